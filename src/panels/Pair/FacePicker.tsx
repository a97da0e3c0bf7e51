import { useEffect, useRef } from 'react';
import type { FaceChoice, FaceSummary } from '../../worker/photos';

export function Thumb({
  image,
  className = 'face-thumb',
}: {
  image: ImageData;
  className?: string;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.width = image.width;
    el.height = image.height;
    el.getContext('2d')?.putImageData(image, 0, 0);
  }, [image]);
  return <canvas ref={ref} className={className} aria-hidden="true" />;
}

interface Props {
  slotLabel: string;
  testId: string;
  faces: FaceSummary[];
  choice: FaceChoice | null;
  onChoose: (c: FaceChoice) => void;
}

/** Every detected face as a thumbnail button, largest first, plus "whole image". */
export function FacePicker({ slotLabel, testId, faces, choice, onChoose }: Props) {
  return (
    <div
      className="face-picker"
      role="radiogroup"
      aria-label={`Face to use from ${slotLabel}`}
      data-testid={testId}
    >
      {faces.map((f, i) => (
        <button
          key={i}
          type="button"
          role="radio"
          aria-checked={choice === i}
          className="face-option"
          title={`Face ${i + 1} (detector score ${f.score.toFixed(2)})`}
          onClick={() => onChoose(i)}
          data-testid={`${testId}-face-${i}`}
        >
          {f.thumbnail ? <Thumb image={f.thumbnail} /> : <span>Face {i + 1}</span>}
          <span className="sr-only">Face {i + 1}</span>
        </button>
      ))}
      <button
        type="button"
        role="radio"
        aria-checked={choice === 'whole'}
        className="face-option face-option-whole"
        onClick={() => onChoose('whole')}
        data-testid={`${testId}-whole`}
      >
        Use the whole image as the face
      </button>
    </div>
  );
}
