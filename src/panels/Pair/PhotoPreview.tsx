import { useEffect, useRef, type MouseEvent } from 'react';
import type { FaceChoice, PhotoAnalysis } from '../../worker/photos';

/**
 * The photo (a worker-made preview bitmap) with every face box drawn, the chosen one
 * highlighted. A click inside a box picks that face (the smallest box under the pointer, so a
 * face inside another's box stays reachable).
 */
export function PhotoPreview({
  analysis,
  choice,
  onChoose,
}: {
  analysis: PhotoAnalysis;
  choice: FaceChoice | null;
  onChoose: (c: FaceChoice) => void;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    const el = canvas.current;
    const ctx = el?.getContext('2d');
    if (!el || !ctx) return;
    const { preview, faces, decodedWidth } = analysis;
    el.width = preview.width;
    el.height = preview.height;
    ctx.drawImage(preview, 0, 0);
    const s = preview.width / decodedWidth;
    faces.forEach((f, i) => {
      const chosen = choice === i;
      ctx.lineWidth = Math.max(2, preview.width / 240) * (chosen ? 1.6 : 1);
      ctx.strokeStyle = chosen ? '#2f5fd0' : 'rgba(255,255,255,0.85)';
      ctx.strokeRect(f.box.x * s, f.box.y * s, f.box.width * s, f.box.height * s);
    });
  }, [analysis, choice]);

  const pick = (e: MouseEvent<HTMLCanvasElement>): void => {
    const el = canvas.current;
    if (!el) return;
    const rect = el.getBoundingClientRect();
    const x = ((e.clientX - rect.left) / rect.width) * analysis.decodedWidth;
    const y = ((e.clientY - rect.top) / rect.height) * analysis.decodedHeight;
    let best: number | null = null;
    analysis.faces.forEach((f, i) => {
      const inside =
        x >= f.box.x && x <= f.box.x + f.box.width && y >= f.box.y && y <= f.box.y + f.box.height;
      const area = f.box.width * f.box.height;
      const bestFace = best === null ? null : analysis.faces[best];
      if (inside && (!bestFace || area < bestFace.box.width * bestFace.box.height)) best = i;
    });
    if (best !== null) onChoose(best);
  };

  return (
    <canvas
      ref={canvas}
      className="photo-preview"
      role="img"
      onClick={pick}
      aria-label={`${analysis.name}: ${analysis.faces.length} face${analysis.faces.length === 1 ? '' : 's'} found; click a face to use it`}
    />
  );
}
