/**
 * Splits CSV text into rows of cells with their line numbers (papaparse), and recovers from a
 * quote that opens and never closes: papaparse would read every later line into that one field,
 * so the file would look nearly empty. Here that line is reported and skipped, and the lines
 * after it are read as usual.
 */
import Papa from 'papaparse';

export interface CsvRow {
  cells: string[];
  /** 1-based line number in the file. */
  line: number;
}

/** A line whose quote never closes; the line was skipped. */
export interface UnclosedQuote {
  line: number;
  message: string;
}

export const UNCLOSED_QUOTE_MESSAGE =
  'a quote (") opens here and never closes, so every later line would be read as part of ' +
  'this value. This line was skipped; the lines after it were read as usual.';

const DELIMITERS = [',', '\t', ';', '|'];

export function readRows(text: string): { rows: CsvRow[]; unclosedQuotes: UnclosedQuote[] } {
  let rest = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows: CsvRow[] = [];
  const unclosedQuotes: UnclosedQuote[] = [];
  // The delimiter is guessed once, from the start of the file, and kept for the later parts.
  let delimiter: string | undefined;
  let linesBefore = 0;
  for (;;) {
    const result = Papa.parse<string[]>(rest, {
      header: false,
      skipEmptyLines: false,
      ...(delimiter ? { delimiter } : { delimitersToGuess: DELIMITERS }),
    });
    delimiter ??= result.meta.delimiter;
    const missing = result.errors.find((e) => e.code === 'MissingQuotes');
    // Quoted fields never span lines in these files, so row index + 1 is the line number.
    const toRow = (cells: string[], i: number): CsvRow => ({
      cells: cells.map(String),
      line: linesBefore + i + 1,
    });
    if (!missing) {
      rows.push(...result.data.map(toRow));
      return { rows, unclosedQuotes };
    }
    const badRow = missing.row ?? result.data.length - 1;
    rows.push(...result.data.slice(0, badRow).map(toRow));
    // The line holding the opening quote, which papaparse reports at (or just after) `index`.
    const quote = rest.lastIndexOf('"', missing.index ?? rest.length);
    const badLine = countNewlines(rest, Math.max(quote, 0));
    unclosedQuotes.push({ line: linesBefore + badLine + 1, message: UNCLOSED_QUOTE_MESSAGE });
    const end = rest.indexOf('\n', Math.max(quote, 0));
    if (end < 0) return { rows, unclosedQuotes };
    rest = rest.slice(end + 1);
    linesBefore += badLine + 1;
  }
}

export function isBlank(cells: readonly string[]): boolean {
  return cells.every((c) => c.trim() === '');
}

function countNewlines(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
