import { useState } from 'react';
import { useAppState } from '../../store';
import type { FamilyPerson } from '../../store/familySlice';
import { Thumb } from './FacePicker';

/** The face image of a person's first face, from the photo analysis that found it. */
export function useFaceThumb(person: FamilyPerson | undefined, which = 0): ImageData | null {
  const photos = useAppState((s) => s.familyPhotos);
  const face = person?.faces[which];
  if (!face) return null;
  const analysis = photos.find((p) => p.key === face.photoKey)?.analysis;
  return analysis?.faces[face.face]?.thumbnail ?? null;
}

function PersonChip({
  person,
  index,
  selected,
  onSelect,
}: {
  person: FamilyPerson;
  index: number;
  selected: boolean;
  onSelect: (on: boolean) => void;
}) {
  const s = useAppState((st) => ({ rename: st.renamePerson, separate: st.separatePerson }));
  const thumb = useFaceThumb(person);
  return (
    <li
      className={`person-chip${selected ? ' person-selected' : ''}`}
      data-testid={`person-${index}`}
    >
      <label className="person-pick">
        <input
          type="checkbox"
          checked={selected}
          onChange={(e) => onSelect(e.target.checked)}
          aria-label={`Select ${person.name} to merge`}
        />
        {thumb ? (
          <Thumb image={thumb} className="person-thumb" />
        ) : (
          <span className="person-thumb" />
        )}
      </label>
      <input
        className="person-name"
        value={person.name}
        aria-label={`Name of person ${index + 1}`}
        onChange={(e) => s.rename(person.id, e.target.value)}
        data-testid={`person-${index}-name`}
      />
      <span className="muted small">
        {person.faces.length} face{person.faces.length === 1 ? '' : 's'}
        {person.faces.length > 1 && (
          <>
            {' · '}
            <button type="button" className="link-button" onClick={() => s.separate(person.id)}>
              separate
            </button>
          </>
        )}
      </span>
    </li>
  );
}

/** Everyone found in the family photos, with editable names and merging. */
export function FamilyPeople() {
  const s = useAppState((st) => ({ people: st.people, merge: st.mergePeople }));
  const [selected, setSelected] = useState<number[]>([]);
  const chosen = selected.filter((id) => s.people.some((p) => p.id === id));
  if (s.people.length === 0) return null;
  return (
    <div className="family-people">
      <div className="field-row">
        <h3 className="slot-title">
          People{' '}
          <span className="muted small">
            · {s.people.length} · rename them, merge the same person
          </span>
        </h3>
        <button
          type="button"
          className="small-button"
          disabled={chosen.length < 2}
          title={chosen.length < 2 ? 'Select two or more faces of the same person' : undefined}
          onClick={() => {
            s.merge(chosen);
            setSelected([]);
          }}
          data-testid="merge-people"
        >
          Merge {chosen.length >= 2 ? chosen.length : ''} into one person
        </button>
      </div>
      <ul className="person-list" data-testid="people">
        {s.people.map((p, i) => (
          <PersonChip
            key={p.id}
            person={p}
            index={i}
            selected={chosen.includes(p.id)}
            onSelect={(on) =>
              setSelected((now) => (on ? [...now, p.id] : now.filter((id) => id !== p.id)))
            }
          />
        ))}
      </ul>
    </div>
  );
}
