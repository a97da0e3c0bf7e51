import { describe, expect, it } from 'vitest';
import { KinshipError } from '../lib/errors';
import { buildDataset, type FileEntry } from './dataset';

const RELATIONSHIPS = [
  'p1,p2',
  'F0002/MID1,F0002/MID3',
  'F0002/MID2,F0002/MID3',
  'F0002/MID3,F0002/MID1', // reversed duplicate
  'F0005/MID1,F0005/MID2',
  'F0005/MID1,F0005/MID7', // MID7 has no folder
  'F0009/MID1,F0009/MID2', // family without photos
  'F0005/MID1',
].join('\r\n');

const SUBMISSION = [
  'img_pair,is_related',
  'face1.jpg-face2.jpg,0',
  'face2.jpg-face3.jpg,0',
  'face1.jpg-missing.jpg,0',
].join('\n');

/** A FIW tree under `prefix`, with the kinds of clutter real drops contain. */
function fiwEntries(
  prefix: string,
  sep = '/',
): { entries: FileEntry[]; texts: Map<string, string> } {
  const paths: [string, number][] = [
    ['train/F0002/MID1/P00001_face1.jpg', 100],
    ['train/F0002/MID1/P00002_face1.JPG', 100],
    ['train/F0002/MID2/P00003_face2.png', 100],
    ['train/F0002/MID3/P00004_face1.jpeg', 100],
    ['train/F0005/MID1/P00010_face1.webp', 100],
    ['train/F0005/MID2/P00011_face2.bmp', 100],
    ['train/F0005/MID2/P00012_face3.gif', 100],
    ['train/F0005/MID2/empty.jpg', 0],
    ['train/F0005/MID2/notes.txt', 10],
    ['train/F0005/group.jpg', 100],
    ['train/F0005/MID2/extra/P00013.jpg', 100],
    ['train/.DS_Store', 10],
    ['train/F0002/MID1/Thumbs.db', 10],
    ['__MACOSX/train/F0002/MID1/._P00001_face1.jpg', 100],
    ['cover.jpg', 100],
    ['test/face1.jpg', 100],
    ['test/face2.jpg', 100],
    ['test/face3.jpg', 100],
    ['train_relationships.csv', 1],
    ['sample_submission.csv', 1],
  ];
  const texts = new Map<string, string>();
  const entries = paths.map(([p, size]) => {
    const path = `${prefix}${p}`.split('/').join(sep);
    if (p === 'train_relationships.csv') texts.set(path, RELATIONSHIPS);
    if (p === 'sample_submission.csv') texts.set(path, SUBMISSION);
    return { path, size };
  });
  return { entries, texts };
}

function reader(texts: Map<string, string>) {
  return async (path: string): Promise<string> => {
    const text = texts.get(path);
    if (text === undefined) throw new Error(`unexpected read of ${path}`);
    return text;
  };
}

async function expectDatasetError(promise: Promise<unknown>, code: string, pattern: RegExp) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KinshipError);
  expect((error as KinshipError).code).toBe(code);
  expect((error as KinshipError).message).toMatch(pattern);
}

describe('buildDataset', () => {
  it('finds the layout two folders deep and builds families, members and photos', async () => {
    const { entries, texts } = fiwEntries('download/rfiw/');
    const ds = await buildDataset(entries, reader(texts));
    expect(ds.report.root).toBe('download/rfiw');
    expect(ds.report.familiesDir).toBe('download/rfiw/train');
    expect(ds.report.relationshipsCsv).toBe('download/rfiw/train_relationships.csv');
    expect(ds.families).toEqual([
      { id: 'F0002', members: ['F0002/MID1', 'F0002/MID2', 'F0002/MID3'] },
      { id: 'F0005', members: ['F0005/MID1', 'F0005/MID2'] },
    ]);
    expect(ds.members.find((m) => m.id === 'F0002/MID1')?.photos).toEqual([
      'download/rfiw/train/F0002/MID1/P00001_face1.jpg',
      'download/rfiw/train/F0002/MID1/P00002_face1.JPG',
    ]);
    expect(ds.members.find((m) => m.id === 'F0005/MID2')?.photos).toHaveLength(2);
    expect(ds.report).toMatchObject({ families: 2, members: 5, photos: 7 });
  });

  it('keeps usable kin pairs and lists pairs naming members without photos', async () => {
    const { entries, texts } = fiwEntries('');
    const ds = await buildDataset(entries, reader(texts));
    expect(ds.kinPairs.map((p) => `${p.a}~${p.b}`)).toEqual([
      'F0002/MID1~F0002/MID3',
      'F0002/MID2~F0002/MID3',
      'F0005/MID1~F0005/MID2',
    ]);
    expect(ds.report.kinPairsListed).toBe(5);
    expect(ds.report.kinPairsUsable).toBe(3);
    expect(ds.report.pairsWithoutPhotos.map((p) => p.missing)).toEqual([
      ['F0005/MID7'],
      ['F0009/MID1', 'F0009/MID2'],
    ]);
    expect(ds.report.membersWithoutPhotos).toEqual(['F0005/MID7', 'F0009/MID1', 'F0009/MID2']);
    // The duplicate and the one-column row are reported with their lines.
    expect(ds.report.csvProblems.map((p) => [p.line, p.kind])).toEqual([
      [4, 'duplicate'],
      [8, 'missing-column'],
    ]);
  });

  it('skips clutter with a reason for each file', async () => {
    const { entries, texts } = fiwEntries('drop/');
    const ds = await buildDataset(entries, reader(texts));
    const reasons = Object.fromEntries(ds.report.skipped.map((s) => [s.path, s.reason]));
    expect(reasons).toEqual({
      'drop/train/F0005/MID2/empty.jpg': 'empty-file',
      'drop/train/F0005/MID2/notes.txt': 'not-an-image',
      'drop/train/F0005/group.jpg': 'outside-member-folder',
      'drop/train/F0005/MID2/extra/P00013.jpg': 'below-member-folder',
      'drop/train/.DS_Store': 'system-file',
      'drop/train/F0002/MID1/Thumbs.db': 'system-file',
      'drop/__MACOSX/train/F0002/MID1/._P00001_face1.jpg': 'system-file',
      'drop/cover.jpg': 'outside-dataset',
    });
    expect(ds.report.skippedByReason).toEqual({
      'empty-file': 1,
      'not-an-image': 1,
      'outside-member-folder': 1,
      'below-member-folder': 1,
      'system-file': 3,
      'outside-dataset': 1,
    });
  });

  it('accepts Windows separators and returns the paths as given', async () => {
    const { entries, texts } = fiwEntries('zip\\inner\\', '\\');
    const ds = await buildDataset(entries, reader(texts));
    expect(ds.report.root).toBe('zip/inner');
    expect(ds.members[0]?.photos[0]).toBe('zip\\inner\\train\\F0002\\MID1\\P00001_face1.jpg');
    expect(ds.testImages).toHaveLength(3);
  });

  it('resolves test pairs and lists those whose images are missing', async () => {
    const { entries, texts } = fiwEntries('k/');
    const ds = await buildDataset(entries, reader(texts));
    expect(ds.report.testDir).toBe('k/test');
    expect(ds.report.testImages).toBe(3);
    expect(ds.submissionPairs.map((p) => p.imgPair)).toEqual([
      'face1.jpg-face2.jpg',
      'face2.jpg-face3.jpg',
      'face1.jpg-missing.jpg',
    ]);
    expect(ds.testPairs.map((p) => [p.pathA, p.pathB])).toEqual([
      ['k/test/face1.jpg', 'k/test/face2.jpg'],
      ['k/test/face2.jpg', 'k/test/face3.jpg'],
    ]);
    expect(ds.report.testPairs).toBe(2);
    expect(ds.report.testPairsMissingImages).toEqual([
      { imgPair: 'face1.jpg-missing.jpg', line: 4, missing: ['missing.jpg'] },
    ]);
  });

  it('works without test files, and a broken submission CSV only warns', async () => {
    const { entries, texts } = fiwEntries('');
    const noTest = entries.filter((e) => !e.path.startsWith('test/') && !e.path.includes('sample'));
    const a = await buildDataset(noTest, reader(texts));
    expect(a.report.submissionCsv).toBeNull();
    expect(a.testPairs).toEqual([]);

    texts.set('sample_submission.csv', '');
    const b = await buildDataset(entries, reader(texts));
    expect(b.testPairs).toEqual([]);
    expect(b.report.warnings.join(' ')).toMatch(/sample_submission\.csv.*empty/);
  });

  it('never uses a spouse (an unlisted family member) as a kin pair', async () => {
    // F0002/MID2 and F0002/MID1 are the parents (spouses): not listed, so not a kin pair.
    const { entries, texts } = fiwEntries('');
    const ds = await buildDataset(entries, reader(texts));
    const listed = new Set(ds.kinPairs.map((p) => `${p.a}~${p.b}`));
    expect(listed.has('F0002/MID1~F0002/MID2')).toBe(false);
  });

  it('throws DATASET_FORMAT when there is no family folder or no relationships CSV', async () => {
    const { entries, texts } = fiwEntries('');
    await expectDatasetError(
      buildDataset(
        entries.filter((e) => !e.path.startsWith('train/')),
        reader(texts),
      ),
      'DATASET_FORMAT',
      /train\/F0002\/MID1/,
    );
    await expectDatasetError(
      buildDataset(
        entries.filter((e) => e.path !== 'train_relationships.csv'),
        reader(texts),
      ),
      'DATASET_FORMAT',
      /train_relationships\.csv not found/,
    );
  });

  it('throws CSV_FORMAT for an empty relationships CSV and DATASET_FORMAT when no pair is usable', async () => {
    const { entries, texts } = fiwEntries('');
    texts.set('train_relationships.csv', '\ufeff\r\n');
    await expectDatasetError(buildDataset(entries, reader(texts)), 'CSV_FORMAT', /empty/);
    texts.set('train_relationships.csv', 'p1,p2\nF0100/MID1,F0100/MID2\n');
    await expectDatasetError(
      buildDataset(entries, reader(texts)),
      'DATASET_FORMAT',
      /none of the 1 kin pairs/,
    );
  });

  it('names the unclosed quote, not the folder tree, when it leaves no pair to read', async () => {
    const { entries, texts } = fiwEntries('');
    texts.set('train_relationships.csv', 'p1,p2\n"F0002/MID1,F0002/MID3\n');
    await expectDatasetError(
      buildDataset(entries, reader(texts)),
      'DATASET_FORMAT',
      /^train_relationships\.csv: no usable kin pair row\. Line 2: a quote \("\) opens here and never closes/,
    );
  });

  it('imports the rows after an unclosed quote and reports its line', async () => {
    const { entries, texts } = fiwEntries('');
    texts.set(
      'train_relationships.csv',
      'p1,p2\n"F0002/MID1,F0002/MID3\nF0002/MID2,F0002/MID3\nF0005/MID1,F0005/MID2\n',
    );
    const ds = await buildDataset(entries, reader(texts));
    expect(ds.kinPairs.map((p) => p.line)).toEqual([3, 4]);
    expect(ds.report.csvProblems).toMatchObject([
      { file: 'train_relationships.csv', line: 2, kind: 'unclosed-quote' },
    ]);
  });

  it('prefers the train folder over other family folders and CSVs in the root', async () => {
    const { entries, texts } = fiwEntries('');
    const more: FileEntry[] = [
      { path: 'val/F0100/MID1/a.jpg', size: 5 },
      { path: 'val/F0100/MID2/a.jpg', size: 5 },
      { path: 'old/train_relationships.csv', size: 5 },
    ];
    const ds = await buildDataset([...more, ...entries], reader(texts));
    expect(ds.report.familiesDir).toBe('train');
    expect(ds.report.relationshipsCsv).toBe('train_relationships.csv');
    expect(ds.report.skipped.filter((s) => s.path.startsWith('val/')).map((s) => s.reason)).toEqual(
      ['outside-dataset', 'outside-dataset'],
    );
  });

  it('stops when the signal is already aborted', async () => {
    const { entries, texts } = fiwEntries('');
    const controller = new AbortController();
    controller.abort();
    await expectDatasetError(
      buildDataset(entries, reader(texts), { signal: controller.signal }),
      'ABORTED',
      /Cancelled/,
    );
  });
});
