import { useEffect, useMemo, useRef, useState } from 'react';
import { useAppState } from '../../store';
import type { FamilyPerson } from '../../store/familySlice';
import { saveFile } from '../../store/finetuneSlice';
import { Thumb } from './FacePicker';
import { useFaceThumb } from './FamilyPeople';
import {
  cellColour,
  cellText,
  drawMatrix,
  matrixCsv,
  matrixRows,
  rowFor,
  type MatrixRow,
} from './familyMatrix';
import { ResultCards } from './ResultCards';
import { BAND_TEXT } from './verdictText';

function Face({ person }: { person: FamilyPerson | undefined }) {
  const thumb = useFaceThumb(person);
  return thumb ? (
    <Thumb image={thumb} className="matrix-thumb" />
  ) : (
    <span className="matrix-thumb" />
  );
}

type SortKey = 'probability' | 'name';

function verdictOf(r: MatrixRow): string {
  if (r.samePerson) return 'Same person?';
  return r.band ? BAND_TEXT[r.band] : 'No kinship model';
}

/** The heatmap of every pair with its numbers, a sortable list beside it, and the opened pair. */
export function FamilyMatrixView() {
  const s = useAppState((st) => ({
    matrix: st.matrix,
    people: st.people,
    encoder: st.matrixEncoder,
    setEncoder: st.setMatrixEncoder,
    encoders: st.encoderInfos,
    opened: st.openedPair,
    open: st.openPair,
    chooseHead: st.chooseHeadSource,
    setActiveTab: st.setActiveTab,
  }));
  const [sort, setSort] = useState<SortKey>('probability');
  const result = s.matrix.result;
  const people = useMemo(
    () => s.matrix.peopleIds.map((id) => s.people.find((p) => p.id === id)),
    [s.matrix.peopleIds, s.people],
  );
  const names = people.map((p, k) => p?.name || `Person ${k + 1}`);
  const rows = useMemo(() => (result ? matrixRows(result, s.encoder) : []), [result, s.encoder]);
  const sorted = useMemo(() => {
    const out = [...rows];
    if (sort === 'probability')
      out.sort((a, b) => (b.probability ?? b.cosine) - (a.probability ?? a.cosine));
    else
      out.sort((a, b) => `${names[a.i]}${names[a.j]}`.localeCompare(`${names[b.i]}${names[b.j]}`));
    return out;
  }, [rows, sort, names]);
  const openedRef = useRef<HTMLElement>(null);
  useEffect(() => {
    if (s.opened) openedRef.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [s.opened]);
  if (!result) return null;
  const label = s.encoders.find((e) => e.id === s.encoder)?.label ?? s.encoder;
  const openedIndex = s.opened
    ? [s.matrix.peopleIds.indexOf(s.opened[0]), s.matrix.peopleIds.indexOf(s.opened[1])]
    : null;
  const openedCell =
    openedIndex && openedIndex[0] !== undefined && openedIndex[1] !== undefined
      ? result.cells.find(
          (c) =>
            c.i === Math.min(openedIndex[0] as number, openedIndex[1] as number) &&
            c.j === Math.max(openedIndex[0] as number, openedIndex[1] as number),
        )
      : undefined;
  const openIdx = (i: number, j: number): void => {
    const a = s.matrix.peopleIds[i];
    const b = s.matrix.peopleIds[j];
    if (a !== undefined && b !== undefined) s.open(a, b);
  };

  return (
    <div className="family-matrix" data-testid="family-matrix" data-people={result.people}>
      <div className="field-row">
        <label htmlFor="matrix-encoder">Scores of</label>
        <select
          id="matrix-encoder"
          value={s.encoder}
          onChange={(e) => s.setEncoder(e.target.value as typeof s.encoder)}
        >
          {s.encoders.map((e) => (
            <option key={e.id} value={e.id}>
              {e.label}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="small-button"
          onClick={() => saveFile('kinship-matrix.csv', matrixCsv(names, rows, label), 'text/csv')}
          data-testid="matrix-csv"
        >
          Export CSV
        </button>
        <button
          type="button"
          className="small-button"
          onClick={() =>
            drawMatrix(names, rows, `Kinship matrix · ${label}`).toBlob((blob) => {
              if (blob) saveFile('kinship-matrix.png', blob, 'image/png');
            })
          }
          data-testid="matrix-png"
        >
          Export PNG
        </button>
        <span className="muted small" data-testid="matrix-time">
          {result.people} people · {result.cells.length} pairs · faces embedded in{' '}
          {(result.embedMs / 1000).toFixed(1)} s, pairs scored in {result.scoreMs.toFixed(0)} ms
        </span>
      </div>
      {openedCell && openedIndex && (
        <section
          className="opened-pair"
          data-testid="opened-pair"
          aria-label="Selected pair"
          ref={openedRef}
        >
          <h3>
            {names[openedIndex[0] as number]} and {names[openedIndex[1] as number]}
            <button type="button" className="small-button" onClick={() => s.open(null)}>
              Close
            </button>
          </h3>
          <ResultCards
            result={openedCell.scores}
            photosA={people[openedIndex[0] as number]?.faces.length ?? 1}
            photosB={people[openedIndex[1] as number]?.faces.length ?? 1}
            reliability={{}}
            onReliability={() => s.setActiveTab('compare')}
            onTrain={() => s.setActiveTab('finetune')}
            onChooseHead={(id, source) => void s.chooseHead(id, source)}
          />
        </section>
      )}
      <div className="matrix-layout">
        <div className="table-wrap">
          <table className="heatmap" aria-label={`Kinship matrix (${label})`}>
            <thead>
              <tr>
                <th />
                {people.map((p, j) => (
                  <th key={j} scope="col" title={names[j]}>
                    <Face person={p} />
                    <span className="heatmap-name">{names[j]}</span>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {people.map((p, i) => (
                <tr key={i}>
                  <th scope="row" title={names[i]}>
                    <Face person={p} />
                    <span className="heatmap-name">{names[i]}</span>
                  </th>
                  {people.map((_, j) => {
                    const r = rowFor(rows, i, j);
                    return (
                      <td key={j} style={{ background: cellColour(r) }}>
                        {r ? (
                          <button
                            type="button"
                            className="heatmap-cell"
                            onClick={() => openIdx(i, j)}
                            aria-label={`${names[i]} and ${names[j]}: ${cellText(r)}, ${verdictOf(r)}`}
                            data-testid={`cell-${i}-${j}`}
                          >
                            {cellText(r)}
                          </button>
                        ) : (
                          <span className="muted">·</span>
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <div className="matrix-list">
          <div className="field-row small">
            Sort by
            <button
              type="button"
              className="small-button"
              aria-pressed={sort === 'probability'}
              onClick={() => setSort('probability')}
            >
              score
            </button>
            <button
              type="button"
              className="small-button"
              aria-pressed={sort === 'name'}
              onClick={() => setSort('name')}
            >
              name
            </button>
          </div>
          <ol data-testid="pair-list">
            {sorted.map((r) => (
              <li key={`${r.i}-${r.j}`}>
                <button type="button" className="link-button" onClick={() => openIdx(r.i, r.j)}>
                  {names[r.i]} · {names[r.j]}
                </button>{' '}
                <strong>{cellText(r)}</strong> <span className="muted small">{verdictOf(r)}</span>
              </li>
            ))}
          </ol>
        </div>
      </div>
    </div>
  );
}
