import { describe, expect, it } from 'vitest';
import { KinshipError } from '../lib/errors';
import { parseRelationshipsCsv, parseSubmissionCsv, splitImagePair } from './csv';
import { parseMemberId } from './ids';

function expectCsvError(fn: () => unknown, pattern: RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(KinshipError);
    expect((e as KinshipError).code).toBe('CSV_FORMAT');
    expect((e as KinshipError).message).toMatch(pattern);
    return;
  }
  throw new Error('expected a CSV_FORMAT error');
}

describe('parseMemberId', () => {
  it('normalises separators, case and leading folders', () => {
    expect(parseMemberId('F0002/MID1')).toBe('F0002/MID1');
    expect(parseMemberId('F0002\\MID1')).toBe('F0002/MID1');
    expect(parseMemberId(' f0002/mid1 ')).toBe('F0002/MID1');
    expect(parseMemberId('train/F0002/MID1')).toBe('F0002/MID1');
    expect(parseMemberId('F0002')).toBeNull();
    expect(parseMemberId('F0002/X1')).toBeNull();
  });
});

describe('parseRelationshipsCsv', () => {
  it('reads pairs in id order and dedupes duplicate and reversed rows', () => {
    const text = [
      'p1,p2',
      'F0002/MID3,F0002/MID1',
      'F0002/MID1,F0002/MID3',
      'F0002/MID3,F0002/MID1',
      'F0003/MID10,F0003/MID2',
    ].join('\n');
    const parsed = parseRelationshipsCsv(text);
    expect(parsed.pairs).toEqual([
      { a: 'F0002/MID1', b: 'F0002/MID3', line: 2 },
      { a: 'F0003/MID2', b: 'F0003/MID10', line: 5 },
    ]);
    expect(parsed.rowCount).toBe(4);
    expect(parsed.problems.map((p) => [p.line, p.kind])).toEqual([
      [3, 'duplicate'],
      [4, 'duplicate'],
    ]);
    expect(parsed.problems[0]?.message).toContain('line 2');
  });

  it('accepts a UTF-8 BOM, CRLF line ends and backslash separators', () => {
    const text = '\ufeffp1,p2\r\nF0001\\MID1,F0001\\MID2\r\nF0001/MID2,F0001/MID4\r\n';
    const parsed = parseRelationshipsCsv(text);
    expect(parsed.pairs.map((p) => `${p.a}-${p.b}`)).toEqual([
      'F0001/MID1-F0001/MID2',
      'F0001/MID2-F0001/MID4',
    ]);
    expect(parsed.problems).toEqual([]);
  });

  it('ignores extra columns and finds p1/p2 by header name', () => {
    const text = 'relationship,p2,p1,note\nfather-son,F0005/MID2,F0005/MID1,x\n';
    expect(parseRelationshipsCsv(text).pairs).toEqual([
      { a: 'F0005/MID1', b: 'F0005/MID2', line: 2 },
    ]);
  });

  it('reports one-column, malformed and self-pair rows with line numbers and keeps the rest', () => {
    const text = [
      'p1,p2',
      'F0001/MID1',
      'F0001/MID1,F0001/MID2',
      'F0001/MID1,',
      'hello,F0001/MID2',
      'F0001/MID3,F0001/MID3',
      '',
      'F0001/MID2,F0001/MID3',
    ].join('\n');
    const parsed = parseRelationshipsCsv(text);
    expect(parsed.pairs.map((p) => p.line)).toEqual([3, 8]);
    expect(parsed.problems.map((p) => [p.line, p.kind])).toEqual([
      [2, 'missing-column'],
      [4, 'missing-column'],
      [5, 'bad-member-id'],
      [6, 'self-pair'],
    ]);
    expect(parsed.problems[0]?.message).toMatch(/1 value/);
  });

  it('throws a clear CSV_FORMAT error for an empty file', () => {
    expectCsvError(() => parseRelationshipsCsv(''), /empty.*p1,p2/);
    expectCsvError(() => parseRelationshipsCsv('\ufeff\r\n\r\n  \n'), /empty/);
  });

  it('throws when the header names other columns', () => {
    expectCsvError(() => parseRelationshipsCsv('a,b\nx,y\n'), /columns p1,p2/);
  });

  it('reads a headerless file and says so', () => {
    const parsed = parseRelationshipsCsv('F0001/MID1,F0001/MID2\nF0001/MID1,F0001/MID3\n');
    expect(parsed.pairs).toHaveLength(2);
    expect(parsed.pairs[0]?.line).toBe(1);
    expect(parsed.warnings).toEqual([
      'No header row "p1,p2"; the first two columns were read as p1 and p2.',
    ]);
  });

  it('reports members unknown to the folder tree but keeps their pairs', () => {
    const text = 'p1,p2\nF0001/MID1,F0001/MID2\nF0001/MID1,F0001/MID9\n';
    const parsed = parseRelationshipsCsv(text, {
      knownMembers: new Set(['F0001/MID1', 'F0001/MID2']),
    });
    expect(parsed.pairs).toHaveLength(2);
    expect(parsed.problems).toEqual([
      { line: 3, kind: 'unknown-member', message: 'F0001/MID9 has no photos.' },
    ]);
  });
});

describe('a quote that never closes', () => {
  const MESSAGE =
    'a quote (") opens here and never closes, so every later line would be read as part of ' +
    'this value. This line was skipped; the lines after it were read as usual.';

  it('skips only that line, names it, and reads every later row', () => {
    const text = [
      'p1,p2',
      '"F0001/MID1,F0001/MID2',
      'F0001/MID1,F0001/MID3',
      'F0002/MID1,F0002/MID2',
    ].join('\n');
    const parsed = parseRelationshipsCsv(text);
    expect(parsed.problems).toEqual([{ line: 2, kind: 'unclosed-quote', message: MESSAGE }]);
    expect(parsed.pairs).toEqual([
      { a: 'F0001/MID1', b: 'F0001/MID3', line: 3 },
      { a: 'F0002/MID1', b: 'F0002/MID2', line: 4 },
    ]);
    expect(parsed.rowCount).toBe(2);
  });

  it('counts lines right after several unclosed quotes, with CRLF, a BOM and semicolons', () => {
    const text = [
      '\ufeffp1;p2;relationship',
      'F0001/MID1;F0001/MID2;"father',
      'F0001/MID1;F0001/MID3;mother',
      'F0002/MID1;"F0002/MID2;x',
      'F0002/MID1;F0002/MID1',
      'F0003/MID1;F0003/MID2',
    ].join('\r\n');
    const parsed = parseRelationshipsCsv(text);
    expect(parsed.problems.map((p) => [p.line, p.kind])).toEqual([
      [2, 'unclosed-quote'],
      [4, 'unclosed-quote'],
      [5, 'self-pair'],
    ]);
    expect(parsed.pairs.map((p) => p.line)).toEqual([3, 6]);
  });

  it('reports an unclosed quote on the last line of a submission file', () => {
    const parsed = parseSubmissionCsv('img_pair,is_related\na.jpg-b.jpg,0\n"c.jpg-d.jpg,0');
    expect(parsed.pairs.map((p) => p.imgPair)).toEqual(['a.jpg-b.jpg']);
    expect(parsed.problems).toEqual([{ line: 3, kind: 'unclosed-quote', message: MESSAGE }]);
  });

  it('still reads quoted cells that close, also with an escaped quote', () => {
    const parsed = parseRelationshipsCsv('p1,p2,note\n"F0001/MID1","F0001/MID2","say ""hi"""\n');
    expect(parsed.problems).toEqual([]);
    expect(parsed.pairs).toEqual([{ a: 'F0001/MID1', b: 'F0001/MID2', line: 2 }]);
  });
});

describe('parseSubmissionCsv', () => {
  it('splits img_pair names, also when names contain dashes', () => {
    expect(splitImagePair('face05508.jpg-face01210.jpg')).toEqual([
      'face05508.jpg',
      'face01210.jpg',
    ]);
    expect(splitImagePair('a-1.jpg-b-2.png')).toEqual(['a-1.jpg', 'b-2.png']);
    expect(splitImagePair('x-y')).toEqual(['x', 'y']);
    expect(splitImagePair('nodash.jpg')).toBeNull();
  });

  it('reads rows, reports bad and duplicate ones, tolerates BOM and CRLF', () => {
    const text = [
      '\ufeffimg_pair,is_related',
      'face05508.jpg-face01210.jpg,0',
      'face05820.jpg-face03938.jpg,0',
      'broken,0',
      'face05508.jpg-face01210.jpg,0',
      ',0',
    ].join('\r\n');
    const parsed = parseSubmissionCsv(text);
    expect(parsed.pairs).toEqual([
      { imgPair: 'face05508.jpg-face01210.jpg', a: 'face05508.jpg', b: 'face01210.jpg', line: 2 },
      { imgPair: 'face05820.jpg-face03938.jpg', a: 'face05820.jpg', b: 'face03938.jpg', line: 3 },
    ]);
    expect(parsed.problems.map((p) => [p.line, p.kind])).toEqual([
      [4, 'bad-image-pair'],
      [5, 'duplicate'],
      [6, 'missing-column'],
    ]);
  });

  it('throws CSV_FORMAT for an empty file or a file without img_pair', () => {
    expectCsvError(() => parseSubmissionCsv(''), /empty.*img_pair/);
    expectCsvError(
      () => parseSubmissionCsv('foo,bar\n1,2\n'),
      /^sample_submission\.csv: expected a header row with a column img_pair; found "foo,bar"\.$/,
    );
  });

  it('reads a headerless file from its first column and says so', () => {
    const parsed = parseSubmissionCsv('\na.jpg-b.jpg,0\nc.jpg-d.jpg,1\n');
    expect(parsed.pairs.map((p) => [p.imgPair, p.line])).toEqual([
      ['a.jpg-b.jpg', 2],
      ['c.jpg-d.jpg', 3],
    ]);
    expect(parsed.warnings).toEqual([
      'No header row "img_pair,is_related"; the first column was read as img_pair.',
    ]);
  });
});
