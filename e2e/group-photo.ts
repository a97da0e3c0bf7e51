/**
 * A generated "family photo" with many faces: the faces of face-api's sample photos cut out
 * with some margin and laid out on a grid, as one JPEG. The boxes are what SSD MobileNet finds in
 * those photos (largest first per photo), so every tile holds one whole face.
 */
import { readFileSync } from 'node:fs';
import jpeg from 'jpeg-js';
import { samplePhoto } from './helpers';

/** [sample photo, x, y, width, height] of the detected faces (rounded). */
const FACES: [number, number, number, number, number][] = [
  [1, 1474, 198, 201, 237],
  [1, 837, 417, 190, 226],
  [1, 412, 355, 179, 238],
  [2, 1446, 152, 194, 243],
  [2, 899, 222, 154, 227],
  [3, 1073, 215, 223, 296],
  [3, 585, 330, 199, 270],
  [3, 1514, 288, 169, 284],
  [4, 663, 48, 185, 264],
  [4, 255, 183, 162, 249],
  [4, 988, 178, 171, 228],
  [4, 1277, 132, 148, 259],
  [5, 1404, 388, 168, 272],
  [5, 598, 415, 164, 249],
  [5, 1112, 198, 160, 237],
  [5, 787, 109, 154, 212],
  [6, 1485, 260, 210, 298],
  [6, 250, 466, 209, 293],
  [6, 1179, 308, 189, 275],
  [6, 679, 319, 160, 307],
];

export const MAX_GROUP_FACES = FACES.length;

/**
 * One face of the samples as a portrait photo: the square `zoom` × the face box's longer side
 * (1.8: the face about half of the frame; about 1.15: a tight crop like FIW's).
 */
export function portrait(face: number, side = 900, zoom = 1.8): Buffer {
  return groupPhoto(1, side, 1, face, zoom);
}

export function groupPhoto(count: number, tile = 300, columns = 5, first = 0, zoom = 1.8): Buffer {
  if (first + count > FACES.length) throw new RangeError(`at most ${FACES.length} faces`);
  const decoded = new Map<number, { width: number; height: number; data: Uint8Array }>();
  const photo = (n: number) => {
    let d = decoded.get(n);
    if (!d) {
      d = jpeg.decode(readFileSync(samplePhoto(n)), { useTArray: true });
      decoded.set(n, d);
    }
    return d;
  };
  const rows = Math.ceil(count / columns);
  const width = columns * tile;
  const height = rows * tile;
  const out = Buffer.alloc(width * height * 4, 235);
  FACES.slice(first, first + count).forEach(([n, bx, by, bw, bh], k) => {
    const src = photo(n);
    // A square `zoom` × the box's longer side around its centre (1.8: face, hair and shoulders).
    const side = Math.max(bw, bh) * zoom;
    const cx = bx + bw / 2;
    const cy = by + bh / 2;
    const ox = (k % columns) * tile;
    const oy = Math.floor(k / columns) * tile;
    for (let y = 0; y < tile; y++) {
      for (let x = 0; x < tile; x++) {
        const sx = Math.round(cx - side / 2 + (x / tile) * side);
        const sy = Math.round(cy - side / 2 + (y / tile) * side);
        const o = ((oy + y) * width + ox + x) * 4;
        if (sx < 0 || sy < 0 || sx >= src.width || sy >= src.height) continue;
        const i = (sy * src.width + sx) * 4;
        out[o] = src.data[i] ?? 0;
        out[o + 1] = src.data[i + 1] ?? 0;
        out[o + 2] = src.data[i + 2] ?? 0;
      }
    }
  });
  for (let i = 3; i < out.length; i += 4) out[i] = 255;
  return Buffer.from(jpeg.encode({ data: out, width, height }, 90).data);
}
