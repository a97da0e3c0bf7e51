/**
 * Builds a dataset from the flat file list a browser gives for a dropped folder (or
 * `webkitdirectory`): finds where the Kaggle layout sits (possibly one or two folders deep),
 * collects families → members → photos, reads the CSVs, and reports everything it skipped.
 * A bad file or row never aborts the build; only a folder with nothing usable throws.
 */
import { throwIfAborted } from '../lib/abort';
import { KinshipError } from '../lib/errors';
import {
  parseRelationshipsCsv,
  parseSubmissionCsv,
  type CsvProblem,
  type KinPair,
  type SubmissionPair,
} from './csv';
import {
  compareIds,
  familyOf,
  parseFamilyFolder,
  parseMemberFolder,
  type FamilyId,
  type MemberId,
} from './ids';

/** One file of the dropped folder: its relative path (`/` or `\` separated) and byte size. */
export interface FileEntry {
  path: string;
  size: number;
}

/** Reads a file's text by the `path` it had in the entry list. */
export type ReadText = (path: string) => Promise<string>;

export const IMAGE_EXTENSIONS = ['jpg', 'jpeg', 'png', 'webp', 'bmp', 'gif'] as const;

export type SkipReason =
  | 'system-file'
  | 'empty-file'
  | 'not-an-image'
  | 'outside-member-folder'
  | 'below-member-folder'
  | 'outside-dataset'
  | 'duplicate-path';

/** Plain-words explanations of each skip reason, for the UI and the CLI. */
export const SKIP_REASON_TEXT: Record<SkipReason, string> = {
  'system-file': 'system or hidden file (e.g. .DS_Store, __MACOSX)',
  'empty-file': 'empty file (0 bytes)',
  'not-an-image': `not an image (${IMAGE_EXTENSIONS.join(', ')})`,
  'outside-member-folder': 'image not inside a member folder like train/F0002/MID1/',
  'below-member-folder': 'image in a sub-folder below a member folder',
  'outside-dataset': 'image outside the train/ and test/ folders',
  'duplicate-path': 'the same path appears twice',
};

export interface SkippedFile {
  path: string;
  reason: SkipReason;
}

export interface Member {
  id: MemberId;
  family: FamilyId;
  /** Photo paths as given in the entry list, sorted. */
  photos: string[];
}

export interface Family {
  id: FamilyId;
  members: MemberId[];
}

/** A listed kin pair that cannot be used because a member has no photos. */
export interface PairWithoutPhotos extends KinPair {
  missing: MemberId[];
}

/** A sample_submission row whose two images were found in test/. */
export interface TestPair extends SubmissionPair {
  pathA: string;
  pathB: string;
}

export interface TestPairMissingImages {
  imgPair: string;
  line: number;
  missing: string[];
}

export interface DatasetReport {
  /** Folder holding train/ and the CSVs ('' = the dropped folder itself). */
  root: string;
  /** Folder whose sub-folders are the families, usually `<root>/train`. */
  familiesDir: string;
  relationshipsCsv: string;
  submissionCsv: string | null;
  testDir: string | null;
  families: number;
  members: number;
  photos: number;
  /** Distinct kin pairs listed in the CSV (after removing duplicates and bad rows). */
  kinPairsListed: number;
  kinPairsUsable: number;
  pairsWithoutPhotos: PairWithoutPhotos[];
  membersWithoutPhotos: MemberId[];
  csvProblems: (CsvProblem & { file: string })[];
  skipped: SkippedFile[];
  skippedByReason: Partial<Record<SkipReason, number>>;
  testImages: number;
  testPairs: number;
  testPairsMissingImages: TestPairMissingImages[];
  warnings: string[];
}

export interface Dataset {
  families: Family[];
  /** Members with at least one photo, sorted by id. */
  members: Member[];
  /** Listed kin pairs whose two members both have photos. */
  kinPairs: KinPair[];
  /** Test image paths, sorted. */
  testImages: string[];
  /** Every valid row of sample_submission.csv, in file order (for writing a submission). */
  submissionPairs: SubmissionPair[];
  /** The submission rows whose two images were found. */
  testPairs: TestPair[];
  report: DatasetReport;
}

export interface BuildDatasetOptions {
  signal?: AbortSignal;
}

export async function buildDataset(
  entries: readonly FileEntry[],
  readText: ReadText,
  options: BuildDatasetOptions = {},
): Promise<Dataset> {
  const { signal } = options;
  throwIfAborted(signal);
  const skipped: SkippedFile[] = [];
  const warnings: string[] = [];
  const files = normaliseEntries(entries, skipped);

  const familiesDir = chooseFamiliesDir(files);
  if (familiesDir === null) {
    throw new KinshipError(
      'DATASET_FORMAT',
      'No family photos found. Expected a folder train/ with one folder per family and member, ' +
        'e.g. train/F0002/MID1/P00009_face3.jpg, next to train_relationships.csv.',
    );
  }
  const root = parentOf(familiesDir);
  if (lastSegment(familiesDir).toLowerCase() !== 'train') {
    warnings.push(`Family folders were found in "${familiesDir || '.'}" rather than in train/.`);
  }

  const relationshipsFile = chooseCsv(files, /^train_relationships.*\.csv$/i, root);
  if (!relationshipsFile) {
    throw new KinshipError(
      'DATASET_FORMAT',
      `train_relationships.csv not found. Expected it next to the ${familiesDir || 'train'}/ folder, ` +
        'with columns p1,p2 naming kin such as F0002/MID1,F0002/MID3.',
    );
  }
  const submissionFile = chooseCsv(files, /^sample_submission.*\.csv$/i, root);
  const testDir = chooseTestDir(files, root, familiesDir);

  const photosByMember = new Map<MemberId, string[]>();
  const testImages: string[] = [];
  for (const f of files) {
    if (f.original === relationshipsFile.original || f.original === submissionFile?.original) {
      continue;
    }
    const reason = classify(f, familiesDir, testDir);
    if (typeof reason === 'string') {
      skipped.push({ path: f.original, reason });
    } else if (reason.kind === 'test') {
      testImages.push(f.original);
    } else {
      const photos = photosByMember.get(reason.member) ?? [];
      photos.push(f.original);
      photosByMember.set(reason.member, photos);
    }
  }

  const members: Member[] = [...photosByMember.entries()]
    .map(([id, photos]) => ({ id, family: familyOf(id), photos: photos.sort() }))
    .sort((x, y) => compareIds(x.id, y.id));
  const families = groupFamilies(members);

  throwIfAborted(signal);
  const relText = await readText(relationshipsFile.original);
  const rel = parseRelationshipsCsv(relText, { file: relationshipsFile.original });
  warnings.push(...rel.warnings.map((w) => `${relationshipsFile.original}: ${w}`));
  const csvProblems = rel.problems.map((p) => ({ ...p, file: relationshipsFile.original }));

  const kinPairs: KinPair[] = [];
  const pairsWithoutPhotos: PairWithoutPhotos[] = [];
  for (const pair of rel.pairs) {
    const missing = [pair.a, pair.b].filter((m) => !photosByMember.has(m));
    if (missing.length === 0) kinPairs.push(pair);
    else pairsWithoutPhotos.push({ ...pair, missing });
  }
  const membersWithoutPhotos = [...new Set(pairsWithoutPhotos.flatMap((p) => p.missing))].sort(
    compareIds,
  );
  if (rel.pairs.length === 0) {
    // Nothing was read: the rows' own problems say why, not the folder tree.
    throw new KinshipError('DATASET_FORMAT', noPairsMessage(csvProblems), {
      file: relationshipsFile.original,
    });
  }
  if (kinPairs.length === 0) {
    throw new KinshipError(
      'DATASET_FORMAT',
      `none of the ${rel.pairs.length} kin pairs in ${relationshipsFile.original} names two members ` +
        `with photos under ${familiesDir || '.'}/ (expected folders like F0002/MID1 for each id).`,
    );
  }

  throwIfAborted(signal);
  const test = submissionFile
    ? await readTestPairs(submissionFile.original, readText, testImages, csvProblems, warnings)
    : { listed: [], pairs: [], missing: [] };

  const skippedByReason: Partial<Record<SkipReason, number>> = {};
  for (const s of skipped) skippedByReason[s.reason] = (skippedByReason[s.reason] ?? 0) + 1;

  testImages.sort();
  return {
    families,
    members,
    kinPairs,
    testImages,
    submissionPairs: test.listed,
    testPairs: test.pairs,
    report: {
      root,
      familiesDir,
      relationshipsCsv: relationshipsFile.original,
      submissionCsv: submissionFile?.original ?? null,
      testDir,
      families: families.length,
      members: members.length,
      photos: members.reduce((n, m) => n + m.photos.length, 0),
      kinPairsListed: rel.pairs.length,
      kinPairsUsable: kinPairs.length,
      pairsWithoutPhotos,
      membersWithoutPhotos,
      csvProblems,
      skipped,
      skippedByReason,
      testImages: testImages.length,
      testPairs: test.pairs.length,
      testPairsMissingImages: test.missing,
      warnings,
    },
  };
}

interface NormalisedFile {
  original: string;
  segments: string[];
  size: number;
}

type Placement = { kind: 'member'; member: MemberId } | { kind: 'test' };

function normaliseEntries(entries: readonly FileEntry[], skipped: SkippedFile[]): NormalisedFile[] {
  const seen = new Set<string>();
  const files: NormalisedFile[] = [];
  for (const entry of entries) {
    const segments = entry.path.split(/[\\/]+/).filter((s) => s !== '' && s !== '.');
    const key = segments.join('/');
    if (segments.length === 0) continue;
    if (seen.has(key)) {
      skipped.push({ path: entry.path, reason: 'duplicate-path' });
      continue;
    }
    seen.add(key);
    if (segments.some(isSystemName)) {
      skipped.push({ path: entry.path, reason: 'system-file' });
      continue;
    }
    files.push({ original: entry.path, segments, size: entry.size });
  }
  return files;
}

/** macOS resource forks (`._x.jpg`, `__MACOSX/`), Finder/Explorer metadata, hidden folders. */
function isSystemName(segment: string): boolean {
  return (
    segment.startsWith('.') ||
    segment === '__MACOSX' ||
    segment.toLowerCase() === 'thumbs.db' ||
    segment.toLowerCase() === 'desktop.ini'
  );
}

function isImage(f: NormalisedFile): boolean {
  const name = lastSegment(f.segments.join('/'));
  const dot = name.lastIndexOf('.');
  const ext = dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
  return (IMAGE_EXTENSIONS as readonly string[]).includes(ext);
}

/** Index of `Fxxxx` when the file sits exactly at `…/Fxxxx/MIDy/file`, else -1. */
function memberFolderIndex(segments: readonly string[]): number {
  const i = segments.length - 3;
  if (i < 0) return -1;
  return parseFamilyFolder(segments[i] ?? '') && parseMemberFolder(segments[i + 1] ?? '') ? i : -1;
}

/**
 * The folder whose children are the family folders: the one holding the most member photos,
 * preferring a folder named `train` (a dropped parent may also hold e.g. `val/`).
 */
function chooseFamiliesDir(files: readonly NormalisedFile[]): string | null {
  const counts = new Map<string, number>();
  for (const f of files) {
    if (f.size === 0 || !isImage(f)) continue;
    const i = memberFolderIndex(f.segments);
    if (i < 0) continue;
    const dir = f.segments.slice(0, i).join('/');
    counts.set(dir, (counts.get(dir) ?? 0) + 1);
  }
  let best: string | null = null;
  let bestScore = -1;
  for (const [dir, count] of counts) {
    const isTrain = lastSegment(dir).toLowerCase() === 'train';
    const score = (isTrain ? 1e12 : 0) + count;
    if (score > bestScore || (score === bestScore && best !== null && dir < best)) {
      best = dir;
      bestScore = score;
    }
  }
  return best;
}

/**
 * The CSV whose name matches, ranked: exact Kaggle name first, then one in the dataset root,
 * then in an ancestor of the root, then the shallowest elsewhere.
 */
function chooseCsv(
  files: readonly NormalisedFile[],
  pattern: RegExp,
  root: string,
): NormalisedFile | null {
  let best: NormalisedFile | null = null;
  let bestRank = Infinity;
  for (const f of files) {
    const name = f.segments[f.segments.length - 1] ?? '';
    if (!pattern.test(name)) continue;
    const dir = f.segments.slice(0, -1).join('/');
    const exact = /^(train_relationships|sample_submission)\.csv$/i.test(name) ? 0 : 1000;
    const place = dir === root ? 0 : isAncestor(dir, root) ? 1 : 10 + f.segments.length;
    const rank = exact + place;
    if (rank < bestRank || (rank === bestRank && best && f.original < best.original)) {
      best = f;
      bestRank = rank;
    }
  }
  return best;
}

/** A folder named `test` under the root (not inside the families folder) with the most images. */
function chooseTestDir(
  files: readonly NormalisedFile[],
  root: string,
  familiesDir: string,
): string | null {
  const counts = new Map<string, number>();
  for (const f of files) {
    if (f.segments.length < 2 || !isImage(f)) continue;
    const dir = f.segments.slice(0, -1).join('/');
    if (lastSegment(dir).toLowerCase() !== 'test') continue;
    if (!isAncestor(root, dir) || isAncestor(familiesDir, dir)) continue;
    counts.set(dir, (counts.get(dir) ?? 0) + 1);
  }
  let best: string | null = null;
  for (const [dir, count] of counts) {
    if (best === null || count > (counts.get(best) ?? 0)) best = dir;
  }
  return best;
}

function classify(
  f: NormalisedFile,
  familiesDir: string,
  testDir: string | null,
): SkipReason | Placement {
  if (!isImage(f)) return 'not-an-image';
  if (f.size === 0) return 'empty-file';
  const dir = f.segments.slice(0, -1).join('/');
  if (testDir !== null && dir === testDir) return { kind: 'test' };
  if (!isAncestor(familiesDir, dir)) return 'outside-dataset';
  const i = memberFolderIndex(f.segments);
  if (i >= 0 && f.segments.slice(0, i).join('/') === familiesDir) {
    const family = parseFamilyFolder(f.segments[i] ?? '');
    const member = parseMemberFolder(f.segments[i + 1] ?? '');
    if (family && member) return { kind: 'member', member: `${family}/${member}` };
  }
  // Below a member folder: familiesDir/Fxxxx/MIDy/…/file with extra levels.
  const rel = f.segments.slice(depth(familiesDir));
  if (rel.length > 3 && parseFamilyFolder(rel[0] ?? '') && parseMemberFolder(rel[1] ?? '')) {
    return 'below-member-folder';
  }
  return 'outside-member-folder';
}

async function readTestPairs(
  file: string,
  readText: ReadText,
  testImages: readonly string[],
  csvProblems: (CsvProblem & { file: string })[],
  warnings: string[],
): Promise<{ listed: SubmissionPair[]; pairs: TestPair[]; missing: TestPairMissingImages[] }> {
  let parsed;
  try {
    parsed = parseSubmissionCsv(await readText(file), { file });
  } catch (e) {
    // The test set is optional: a broken submission file must not block training.
    if (e instanceof KinshipError && e.code === 'CSV_FORMAT') {
      warnings.push(`${e.message} Test pairs were not loaded.`);
      return { listed: [], pairs: [], missing: [] };
    }
    throw e;
  }
  warnings.push(...parsed.warnings.map((w) => `${file}: ${w}`));
  csvProblems.push(...parsed.problems.map((p) => ({ ...p, file })));

  const byName = new Map<string, string>();
  const byLowerName = new Map<string, string>();
  for (const path of testImages) {
    const name = lastSegment(path.replace(/\\/g, '/'));
    if (!byName.has(name)) byName.set(name, path);
    if (!byLowerName.has(name.toLowerCase())) byLowerName.set(name.toLowerCase(), path);
  }
  const find = (name: string): string | undefined =>
    byName.get(name) ?? byLowerName.get(name.toLowerCase());

  const pairs: TestPair[] = [];
  const missing: TestPairMissingImages[] = [];
  for (const p of parsed.pairs) {
    const pathA = find(p.a);
    const pathB = find(p.b);
    if (pathA !== undefined && pathB !== undefined) {
      pairs.push({ ...p, pathA, pathB });
    } else {
      const absent = [pathA === undefined ? p.a : null, pathB === undefined ? p.b : null];
      missing.push({
        imgPair: p.imgPair,
        line: p.line,
        missing: absent.filter((n): n is string => n !== null),
      });
    }
  }
  return { listed: parsed.pairs, pairs, missing };
}

/** Why a relationships CSV gave no pair: its first problems, with their line numbers. */
function noPairsMessage(problems: readonly CsvProblem[]): string {
  if (problems.length === 0) {
    return 'no kin pair rows. Expected rows like "F0002/MID1,F0002/MID3" below the header p1,p2.';
  }
  const shown = problems.slice(0, 3).map((p) => `Line ${p.line}: ${p.message}`);
  const more = problems.length - shown.length;
  return (
    `no usable kin pair row. ${shown.join(' ')}` +
    (more > 0 ? ` …and ${more} more problem${more === 1 ? '' : 's'}.` : '')
  );
}

function groupFamilies(members: readonly Member[]): Family[] {
  const byFamily = new Map<FamilyId, MemberId[]>();
  for (const m of members) {
    const list = byFamily.get(m.family) ?? [];
    list.push(m.id);
    byFamily.set(m.family, list);
  }
  return [...byFamily.entries()]
    .map(([id, ids]) => ({ id, members: ids }))
    .sort((x, y) => compareIds(x.id, y.id));
}

function lastSegment(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? path : path.slice(slash + 1);
}

function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

function depth(path: string): number {
  return path === '' ? 0 : path.split('/').length;
}

/** True when `dir` is `ancestor` itself or lies inside it ('' is the top of the drop). */
function isAncestor(ancestor: string, dir: string): boolean {
  return ancestor === '' || dir === ancestor || dir.startsWith(`${ancestor}/`);
}
