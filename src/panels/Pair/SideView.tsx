import { useAppState } from '../../store';
import type { SideId } from '../../store/pairSlice';
import { DropZone } from '../common/DropZone';
import { PhotoCard } from './PhotoCard';

// Every file goes to the worker, which names the ones that are not images.
const images = (files: FileList | null | undefined): File[] => Array.from(files ?? []);

/** One person: their photos (each with its face choice) and a drop zone that adds more. */
export function SideView({ side, label }: { side: SideId; label: string }) {
  const s = useAppState((st) => ({
    photos: st.sides[side],
    error: st.sideErrors[side],
    add: st.addPhotos,
    replace: st.replacePhoto,
    remove: st.removePhoto,
    clear: st.clearSide,
    choose: st.chooseFace,
    stack: st.faceStack.status,
  }));
  const count = s.photos.length;
  return (
    <section className="side" aria-label={label} data-testid={`side-${side}`}>
      <header className="side-header">
        <h3 className="slot-title">
          {label}
          {count > 0 && (
            <span className="muted small" data-testid={`side-${side}-count`}>
              {' '}
              · {count} photo{count === 1 ? '' : 's'}
            </span>
          )}
        </h3>
        {count > 0 && (
          <button
            type="button"
            className="small-button"
            onClick={() => s.clear(side)}
            data-testid={`side-${side}-clear`}
          >
            Clear
          </button>
        )}
      </header>
      {s.photos.map((photo, i) => (
        <PhotoCard
          key={photo.key}
          side={side}
          sideLabel={label}
          photo={photo}
          testId={i === 0 ? `photo-${side}` : `photo-${side}-${i + 1}`}
          onChoose={(c) => s.choose(side, photo.key, c)}
          onReplace={(f) => void s.replace(side, photo.key, f)}
          onRemove={() => s.remove(side, photo.key)}
        />
      ))}
      <DropZone
        testId={`drop-${side}`}
        label={`${label}: drop photos, paste one, or press Enter to choose files`}
        className={count > 0 ? 'dropzone-compact' : ''}
        accept="image/*"
        multiple
        onDrop={(data) => {
          const files = images(data.files);
          if (files.length) void s.add(side, files);
        }}
        onPick={(files) => void s.add(side, images(files))}
      >
        <div className="dropzone-empty">
          <strong>
            {count > 0 ? `Add more photos of ${label}` : 'Drop photos of this person here'}
          </strong>
          <span className="muted">
            or click to choose · paste with Ctrl+V
            {count === 0 && s.stack === 'loading' ? ' · face models are loading' : ''}
          </span>
        </div>
      </DropZone>
      {s.error && (
        <p className="error-text slot-error" role="alert" data-testid={`photo-${side}-error`}>
          {s.error}
        </p>
      )}
    </section>
  );
}
