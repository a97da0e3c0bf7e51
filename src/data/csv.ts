/**
 * Parsers for the two Kaggle CSVs: train_relationships.csv (p1,p2 kin pairs) and
 * sample_submission.csv (img_pair,is_related). Both "restore" untrusted input: a bad row is
 * reported with its line number and skipped; only a file with nothing usable throws.
 */
import { KinshipError } from '../lib/errors';
import { isBlank, readRows, type CsvRow } from './csv-rows';
import { compareIds, parseMemberId, type MemberId } from './ids';

export type CsvProblemKind =
  | 'missing-column'
  | 'bad-member-id'
  | 'self-pair'
  | 'duplicate'
  | 'unknown-member'
  | 'bad-image-pair'
  | 'unclosed-quote';

export interface CsvProblem {
  /** 1-based line number in the file (the header is line 1). */
  line: number;
  kind: CsvProblemKind;
  message: string;
}

/** An unordered kin pair, stored with `a` before `b` in id order. */
export interface KinPair {
  a: MemberId;
  b: MemberId;
  /** Line of the first row that listed the pair. */
  line: number;
}

export interface RelationshipsCsv {
  pairs: KinPair[];
  problems: CsvProblem[];
  /** Data rows read (excluding the header and blank lines). */
  rowCount: number;
  /** Notes about the file as a whole, e.g. a missing header row. */
  warnings: string[];
}

export interface RelationshipsParseOptions {
  /** File name used in error messages. */
  file?: string;
  /** When given, rows naming a member outside this set are reported (and still returned). */
  knownMembers?: ReadonlySet<MemberId>;
}

export interface SubmissionPair {
  /** The img_pair cell exactly as written, e.g. `face05508.jpg-face01210.jpg`. */
  imgPair: string;
  a: string;
  b: string;
  line: number;
}

export interface SubmissionCsv {
  pairs: SubmissionPair[];
  problems: CsvProblem[];
  rowCount: number;
  warnings: string[];
}

const RELATIONSHIPS_NAME = 'train_relationships.csv';
const SUBMISSION_NAME = 'sample_submission.csv';

export function parseRelationshipsCsv(
  text: string,
  options: RelationshipsParseOptions = {},
): RelationshipsCsv {
  const file = options.file ?? RELATIONSHIPS_NAME;
  const warnings: string[] = [];
  const { rows, columns, dataStart, problems } = locateColumns(text, {
    file,
    columns: ['p1', 'p2'],
    example: '"p1,p2" and one row per kin pair, e.g. "F0002/MID1,F0002/MID3"',
    looksLikeData: (cells) =>
      parseMemberId(cells[0] ?? '') !== null && parseMemberId(cells[1] ?? '') !== null,
    headerless: 'No header row "p1,p2"; the first two columns were read as p1 and p2.',
    warnings,
  });
  const [p1, p2] = columns as [number, number];

  const pairs: KinPair[] = [];
  const firstLineOf = new Map<string, number>();
  let rowCount = 0;
  for (const { cells, line } of rows.slice(dataStart)) {
    if (isBlank(cells)) continue;
    rowCount++;
    const rawA = cells[p1]?.trim() ?? '';
    const rawB = cells[p2]?.trim() ?? '';
    if (rawA === '' || rawB === '') {
      problems.push({
        line,
        kind: 'missing-column',
        message: `row has ${cells.filter((c) => c.trim() !== '').length} value(s); expected p1 and p2.`,
      });
      continue;
    }
    const a = parseMemberId(rawA);
    const b = parseMemberId(rawB);
    if (!a || !b) {
      const bad = a ? rawB : rawA;
      problems.push({
        line,
        kind: 'bad-member-id',
        message: `"${bad}" is not a member id like F0002/MID1.`,
      });
      continue;
    }
    if (a === b) {
      problems.push({ line, kind: 'self-pair', message: `${a} is paired with itself.` });
      continue;
    }
    const [lo, hi] = compareIds(a, b) <= 0 ? [a, b] : [b, a];
    const key = `${lo}|${hi}`;
    const seenAt = firstLineOf.get(key);
    if (seenAt !== undefined) {
      problems.push({
        line,
        kind: 'duplicate',
        message: `${a} – ${b} repeats line ${seenAt} (pairs are unordered).`,
      });
      continue;
    }
    firstLineOf.set(key, line);
    pairs.push({ a: lo, b: hi, line });
    const known = options.knownMembers;
    if (known) {
      for (const m of [lo, hi]) {
        if (!known.has(m)) {
          problems.push({ line, kind: 'unknown-member', message: `${m} has no photos.` });
        }
      }
    }
  }
  return { pairs, problems: byLine(problems), rowCount, warnings };
}

export function parseSubmissionCsv(text: string, options: { file?: string } = {}): SubmissionCsv {
  const file = options.file ?? SUBMISSION_NAME;
  const warnings: string[] = [];
  const { rows, columns, dataStart, problems } = locateColumns(text, {
    file,
    columns: ['img_pair'],
    example: '"img_pair,is_related" and rows like "face05508.jpg-face01210.jpg,0"',
    looksLikeData: (cells) => splitImagePair(cells[0]?.trim() ?? '') !== null,
    headerless: 'No header row "img_pair,is_related"; the first column was read as img_pair.',
    warnings,
  });
  const [column] = columns as [number];

  const pairs: SubmissionPair[] = [];
  const firstLineOf = new Map<string, number>();
  let rowCount = 0;
  for (const { cells, line } of rows.slice(dataStart)) {
    if (isBlank(cells)) continue;
    rowCount++;
    const imgPair = cells[column]?.trim() ?? '';
    const split = splitImagePair(imgPair);
    if (!split) {
      problems.push({
        line,
        kind: imgPair === '' ? 'missing-column' : 'bad-image-pair',
        message:
          imgPair === ''
            ? 'row has no img_pair value.'
            : `"${imgPair}" is not two image names joined by "-", e.g. a.jpg-b.jpg.`,
      });
      continue;
    }
    const seenAt = firstLineOf.get(imgPair);
    if (seenAt !== undefined) {
      problems.push({ line, kind: 'duplicate', message: `${imgPair} repeats line ${seenAt}.` });
      continue;
    }
    firstLineOf.set(imgPair, line);
    pairs.push({ imgPair, a: split[0], b: split[1], line });
  }
  return { pairs, problems: byLine(problems), rowCount, warnings };
}

const IMAGE_PAIR_RE = /^(.+?\.(?:jpe?g|png|webp|bmp|gif))-(.+\.(?:jpe?g|png|webp|bmp|gif))$/i;

/** `["a.jpg", "b.jpg"]` from `a.jpg-b.jpg`; names may themselves contain dashes. */
export function splitImagePair(imgPair: string): [string, string] | null {
  const m = IMAGE_PAIR_RE.exec(imgPair);
  if (m?.[1] && m[2]) return [m[1], m[2]];
  // Names without an image extension: only unambiguous with exactly one dash.
  const parts = imgPair.split('-');
  if (parts.length === 2 && parts[0] && parts[1]) return [parts[0], parts[1]];
  return null;
}

interface ColumnSpec {
  file: string;
  /** Header names, in the order their indices are returned. */
  columns: string[];
  /** What a good file starts with, for the messages. */
  example: string;
  /** Whether a first row without the header is already data (then the columns are 0, 1, …). */
  looksLikeData: (cells: readonly string[]) => boolean;
  /** The warning when the header row is missing but the data is readable. */
  headerless: string;
  warnings: string[];
}

/**
 * The rows of a CSV, where its columns are and where data starts: from the header row, or, when
 * the first row already looks like data, the first columns in order (with a warning). An empty
 * file or an unrecognised first row throws CSV_FORMAT naming the file. `problems` starts with the
 * lines skipped for a quote that never closes.
 */
function locateColumns(
  text: string,
  spec: ColumnSpec,
): { rows: CsvRow[]; columns: number[]; dataStart: number; problems: CsvProblem[] } {
  const { rows, unclosedQuotes } = readRows(text);
  const problems: CsvProblem[] = unclosedQuotes.map((q) => ({
    line: q.line,
    kind: 'unclosed-quote',
    message: q.message,
  }));
  const first = rows.find((r) => !isBlank(r.cells));
  if (!first) {
    throw new KinshipError(
      'CSV_FORMAT',
      `the file is empty. Expected a header row ${spec.example}.`,
      {
        file: spec.file,
      },
    );
  }
  const header = first.cells.map(normaliseHeader);
  const columns = spec.columns.map((name) => header.indexOf(name));
  const dataStart = rows.indexOf(first) + 1;
  if (columns.every((c) => c >= 0)) return { rows, columns, dataStart, problems };
  if (!spec.looksLikeData(first.cells)) {
    throw new KinshipError(
      'CSV_FORMAT',
      `expected a header row with ${spec.columns.length > 1 ? 'columns' : 'a column'} ` +
        `${spec.columns.join(',')}; found "${first.cells.join(',')}".`,
      { file: spec.file },
    );
  }
  spec.warnings.push(spec.headerless);
  return { rows, columns: spec.columns.map((_, i) => i), dataStart: dataStart - 1, problems };
}

/** Problems in file order (a skipped line's problem sits among the row problems). */
function byLine(problems: CsvProblem[]): CsvProblem[] {
  return [...problems].sort((a, b) => a.line - b.line);
}

function normaliseHeader(cell: string): string {
  return cell.trim().replace(/^"|"$/g, '').toLowerCase();
}
