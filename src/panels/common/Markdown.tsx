import type { ReactNode } from 'react';
import './markdown.css';

/**
 * The small Markdown subset our model cards use — headings, paragraphs, "- " lists, pipe tables,
 * `code` and **bold** — rendered as React elements (never as HTML), so a card cannot inject
 * markup.
 */
function inline(text: string): ReactNode[] {
  const out: ReactNode[] = [];
  const pattern = /(`[^`]+`|\*\*[^*]+\*\*)/g;
  let last = 0;
  for (const m of text.matchAll(pattern)) {
    const at = m.index ?? 0;
    if (at > last) out.push(text.slice(last, at));
    const token = m[0];
    out.push(
      token.startsWith('`') ? (
        <code key={at}>{token.slice(1, -1)}</code>
      ) : (
        <strong key={at}>{token.slice(2, -2)}</strong>
      ),
    );
    last = at + token.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

const cells = (row: string): string[] =>
  row
    .trim()
    .replace(/^\||\|$/g, '')
    .split('|')
    .map((c) => c.trim());

export function Markdown({ text }: { text: string }) {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const blocks: ReactNode[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] as string;
    const key = blocks.length;
    const heading = /^(#{1,4})\s+(.*)$/.exec(line);
    if (heading) {
      const level = Math.min(6, (heading[1] as string).length + 2);
      const Tag = `h${level}` as 'h3' | 'h4' | 'h5' | 'h6';
      blocks.push(<Tag key={key}>{inline(heading[2] as string)}</Tag>);
      i++;
    } else if (line.startsWith('- ')) {
      const items: string[] = [];
      while (i < lines.length && /^(- |\s{2,}\S)/.test(lines[i] as string)) {
        const l = lines[i] as string;
        if (l.startsWith('- ')) items.push(l.slice(2));
        else items[items.length - 1] += ` ${l.trim()}`;
        i++;
      }
      blocks.push(
        <ul key={key}>
          {items.map((item, k) => (
            <li key={k}>{inline(item)}</li>
          ))}
        </ul>,
      );
    } else if (line.trim().startsWith('|')) {
      const rows: string[][] = [];
      while (i < lines.length && (lines[i] as string).trim().startsWith('|')) {
        const row = cells(lines[i] as string);
        if (!row.every((c) => /^:?-{3,}:?$/.test(c))) rows.push(row);
        i++;
      }
      const [head, ...body] = rows;
      blocks.push(
        <table key={key} className="md-table">
          <thead>
            <tr>
              {head?.map((c, k) => (
                <th key={k}>{inline(c)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {body.map((r, k) => (
              <tr key={k}>
                {r.map((c, n) => (
                  <td key={n}>{inline(c)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>,
      );
    } else if (line.trim() === '') {
      i++;
    } else {
      const para: string[] = [];
      while (
        i < lines.length &&
        (lines[i] as string).trim() !== '' &&
        !/^(#{1,4}\s|- |\s*\|)/.test(lines[i] as string)
      ) {
        para.push((lines[i] as string).trim());
        i++;
      }
      blocks.push(<p key={key}>{inline(para.join(' '))}</p>);
    }
  }
  return <div className="markdown">{blocks}</div>;
}
