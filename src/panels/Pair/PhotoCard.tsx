import { useRef } from 'react';
import { FileName } from '../common/FileName';
import type { SideId, PairPhoto } from '../../store/pairSlice';
import type { FaceChoice } from '../../worker/photos';
import { FacePicker } from './FacePicker';
import { PhotoPreview } from './PhotoPreview';

interface Props {
  side: SideId;
  sideLabel: string;
  photo: PairPhoto;
  /** "photo-a" for the first photo of a side, "photo-a-2" for the second, … */
  testId: string;
  onChoose: (c: FaceChoice) => void;
  onReplace: (file: File) => void;
  onRemove: () => void;
}

/** What the worker is doing with the photo, to be followed by its name. */
function stepText(step: string | null): string {
  switch (step) {
    case 'Loading face models':
      return 'Loading the face models to find faces in';
    case 'reading the photo':
      return 'Reading';
    case 'cutting out the faces':
      return 'Cutting out the faces in';
    default:
      return 'Finding faces in';
  }
}

/** One photo of a person: preview with clickable face boxes, face thumbnails, replace/remove. */
export function PhotoCard({ sideLabel, photo, testId, onChoose, onReplace, onRemove }: Props) {
  const picker = useRef<HTMLInputElement>(null);
  const analysing = photo.status === 'analyzing';
  const a = photo.analysis;
  return (
    <div className="photo-card" data-testid={testId} aria-busy={analysing}>
      <div className="photo-card-image">
        {a ? (
          <PhotoPreview analysis={a} choice={photo.choice} onChoose={onChoose} />
        ) : (
          <div className="photo-placeholder" aria-hidden="true" />
        )}
        {analysing && (
          <div className="photo-status" role="status">
            <span className="spinner" aria-hidden="true" /> {stepText(photo.step)}{' '}
            <FileName name={photo.name} />…
          </div>
        )}
      </div>
      <div className="photo-row">
        {a && (
          <p className="muted small photo-info" data-testid={`${testId}-info`}>
            <FileName name={a.name} testId={`${testId}-name`} /> · {a.width}×{a.height} ·{' '}
            <span data-testid={`${testId}-face-count`}>{a.faces.length}</span> face
            {a.faces.length === 1 ? '' : 's'} ({a.detector === 'tiny' ? 'tiny detector' : 'SSD'}) ·{' '}
            {a.ms.toFixed(0)} ms
            {a.notes.length ? ` · ${a.notes.join('; ')}` : ''}
          </p>
        )}
        <div className="button-row photo-actions">
          <button
            type="button"
            className="small-button"
            onClick={() => picker.current?.click()}
            disabled={analysing}
            data-testid={`${testId}-replace`}
          >
            Replace…
          </button>
          <button
            type="button"
            className="small-button"
            onClick={onRemove}
            data-testid={`${testId}-remove`}
            aria-label={`Remove ${photo.name} from ${sideLabel}`}
          >
            Remove
          </button>
          <input
            ref={picker}
            type="file"
            hidden
            accept="image/*"
            data-testid={`${testId}-replace-input`}
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) onReplace(file);
              e.target.value = '';
            }}
          />
        </div>
      </div>
      {photo.note && (
        <p className="warning-text small" role="status" data-testid={`${testId}-note`}>
          {photo.note}
        </p>
      )}
      {a && (
        <FacePicker
          slotLabel={`${sideLabel}, ${a.name}`}
          testId={`${testId}-faces`}
          faces={a.faces}
          choice={photo.choice}
          onChoose={onChoose}
        />
      )}
    </div>
  );
}
