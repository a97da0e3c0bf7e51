import { describe, expect, it } from 'vitest';
import { checkFaceLandmarks } from './eye-check';
import type { Point } from './geometry';

/**
 * 68 points of a schematic face: eye rings (36–41, 42–47) around the given centres, the mouth
 * (48–67) `mouthDrop` eye distances below their midpoint, perpendicular to the eye line, and
 * the other points on the midpoint (the check does not read them).
 */
function face(left: Point, right: Point, mouthDrop = 1.2, mouthShift = 0): Point[] {
  const dx = right.x - left.x;
  const dy = right.y - left.y;
  const mid = { x: (left.x + right.x) / 2, y: (left.y + right.y) / 2 };
  // Down the face: the eye line turned 90° clockwise in image coordinates (y down).
  const mouth = {
    x: mid.x - dy * mouthDrop + dx * mouthShift,
    y: mid.y + dx * mouthDrop + dy * mouthShift,
  };
  const ring = (c: Point, r: number, n: number): Point[] =>
    Array.from({ length: n }, (_, k) => ({
      x: c.x + r * Math.cos((2 * Math.PI * k) / n),
      y: c.y + r * Math.sin((2 * Math.PI * k) / n),
    }));
  return [
    ...Array.from({ length: 36 }, () => mid),
    ...ring(left, 5, 6),
    ...ring(right, 5, 6),
    ...ring(mouth, 12, 20),
  ];
}

describe('checkFaceLandmarks', () => {
  it('accepts a level face and returns its eye centres', () => {
    const check = checkFaceLandmarks(face({ x: 75, y: 95 }, { x: 150, y: 95 }), 224, 224);
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.eyes.left.x).toBeCloseTo(75, 6);
    expect(check.eyes.right.y).toBeCloseTo(95, 6);
  });

  it('accepts a face tilted 30° and rejects one tilted 40°', () => {
    const tilted = (deg: number): Point[] => {
      const t = (deg * Math.PI) / 180;
      const c = { x: 112, y: 95 };
      const h = { x: 35 * Math.cos(t), y: 35 * Math.sin(t) };
      return face({ x: c.x - h.x, y: c.y - h.y }, { x: c.x + h.x, y: c.y + h.y });
    };
    expect(checkFaceLandmarks(tilted(30), 224, 224).ok).toBe(true);
    expect(checkFaceLandmarks(tilted(-30), 224, 224).ok).toBe(true);
    expect(checkFaceLandmarks(tilted(40), 224, 224)).toEqual({
      ok: false,
      reason: 'eyes not level',
    });
  });

  it('names the problem of implausible eyes', () => {
    const reason = (points: Point[]): string | undefined => {
      const check = checkFaceLandmarks(points, 224, 224);
      return check.ok ? undefined : check.reason;
    };
    expect(reason(face({ x: -5, y: 95 }, { x: 60, y: 95 }))).toBe('eyes outside the image');
    expect(reason(face({ x: 100, y: 95 }, { x: 125, y: 95 }))).toBe('eyes too close together');
    expect(reason(face({ x: 20, y: 95 }, { x: 200, y: 95 }))).toBe('eyes too far apart');
    // Image right eye left of the image left eye: a mirrored or upside-down guess.
    expect(reason(face({ x: 150, y: 95 }, { x: 75, y: 95 }))).toBe('eyes not level');
    expect(reason(face({ x: 75, y: 95 }, { x: 150, y: 95 }, 0.3))).toBe(
      'no face shape around the eyes',
    );
    expect(reason(face({ x: 75, y: 95 }, { x: 150, y: 95 }, 1.2, 0.8))).toBe(
      'no face shape around the eyes',
    );
  });

  it('refuses anything but 68 points', () => {
    expect(() => checkFaceLandmarks([{ x: 1, y: 1 }], 224, 224)).toThrow(/expected 68 landmarks/);
  });
});
