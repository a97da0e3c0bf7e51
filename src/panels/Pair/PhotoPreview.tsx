import { useEffect, useRef } from 'react';
import type { FaceChoice, PhotoAnalysis } from '../../worker/photos';

/** The photo (a worker-made preview bitmap) with every face box drawn; the chosen one highlighted. */
export function PhotoPreview({
  analysis,
  choice,
}: {
  analysis: PhotoAnalysis;
  choice: FaceChoice | null;
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

  return (
    <canvas
      ref={canvas}
      className="photo-preview"
      role="img"
      aria-label={`${analysis.name}: ${analysis.faces.length} face${analysis.faces.length === 1 ? '' : 's'} found`}
    />
  );
}
