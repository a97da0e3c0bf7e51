import { useAppState } from '../../store';
import { FileName } from '../common/FileName';
import { DropZone } from '../common/DropZone';
import { ProgressBar } from '../common/ProgressBar';
import { FamilyMatrixView } from './FamilyMatrixView';
import { FamilyPeople } from './FamilyPeople';

/** A family photo (or several): every face becomes a person; every pair is scored. */
export function FamilyView() {
  const s = useAppState((st) => ({
    photos: st.familyPhotos,
    error: st.familyError,
    add: st.addFamilyPhotos,
    remove: st.removeFamilyPhoto,
    clear: st.clearFamily,
    matrix: st.matrix,
    people: st.people.length,
  }));
  const analysing = s.photos.find((p) => p.status === 'analyzing');
  return (
    <div className="family">
      <div className="family-photos">
        {s.photos.map((p, k) => (
          <span key={p.key} className="family-photo" data-testid={`family-photo-${k}`}>
            <FileName name={p.name} />
            <span className="muted small">
              {p.analysis ? ` · ${p.analysis.faces.length} faces` : ' · finding faces…'}
            </span>
            <button
              type="button"
              className="small-button"
              onClick={() => s.remove(p.key)}
              aria-label={`Remove ${p.name}`}
            >
              Remove
            </button>
          </span>
        ))}
        {s.photos.length > 0 && (
          <button
            type="button"
            className="small-button"
            onClick={s.clear}
            data-testid="family-clear"
          >
            Clear all
          </button>
        )}
      </div>
      <DropZone
        testId="drop-family"
        label="Drop a family photo (or several), or press Enter to choose them"
        className={s.photos.length > 0 ? 'dropzone-compact' : ''}
        accept="image/*"
        multiple
        onDrop={(data) => void s.add(Array.from(data.files))}
        onPick={(files) => void s.add(Array.from(files))}
      >
        <div className="dropzone-empty">
          <strong>
            {s.photos.length ? 'Add another photo of the family' : 'Drop a family photo here'}
          </strong>
          <span className="muted">
            every face becomes a person · several photos: merge the faces of the same person
          </span>
        </div>
      </DropZone>
      {analysing && (
        <p className="muted" role="status" data-testid="family-analysing">
          <span className="spinner" aria-hidden="true" /> Finding faces in{' '}
          <FileName name={analysing.name} />…
        </p>
      )}
      {s.error && (
        <p className="error-text" role="alert" data-testid="family-error">
          {s.error}
        </p>
      )}
      <FamilyPeople />
      {s.matrix.status === 'scoring' && (
        <div role="status" data-testid="matrix-progress">
          <ProgressBar
            progress={s.matrix.progress}
            label={`Embedding the faces of ${s.people} people`}
            unit="faces"
          />
        </div>
      )}
      {s.matrix.status === 'error' && (
        <p className="error-text" role="alert">
          {s.matrix.error}
        </p>
      )}
      {s.people === 1 && <p className="muted">One person so far: add a photo with more faces.</p>}
      <FamilyMatrixView />
    </div>
  );
}
