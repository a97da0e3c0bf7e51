import { describe, expect, it } from 'vitest';
import {
  affineScale,
  applyAffine,
  composeAffine,
  eyeAlignmentTransform,
  eyeCentresFrom68,
  fitSquareTransform,
  invertAffine,
  similarityFromPointPairs,
  type Affine,
  type Point,
} from './geometry';
import { DESCRIPTOR_TEMPLATE, RESNET_TEMPLATE, zoomOutTemplate } from './align';

function expectPoint(actual: Point, expected: Point, digits = 9): void {
  expect(actual.x).toBeCloseTo(expected.x, digits);
  expect(actual.y).toBeCloseTo(expected.y, digits);
}

/** Rotation by `degrees` (clockwise on screen, y down), uniform `scale`, then shift. */
function similarity(degrees: number, scale: number, shift: Point): Affine {
  const r = (degrees * Math.PI) / 180;
  const a = scale * Math.cos(r);
  const b = scale * Math.sin(r);
  return { a, b, c: -b, d: a, e: shift.x, f: shift.y };
}

const angleOf = (t: Affine): number => (Math.atan2(t.b, t.a) * 180) / Math.PI;

describe('similarityFromPointPairs', () => {
  it('maps both points exactly and has no shear or mirroring', () => {
    const from: [Point, Point] = [
      { x: 12.5, y: 40 },
      { x: 97, y: 22.25 },
    ];
    const to: [Point, Point] = [
      { x: 3, y: 7 },
      { x: -20, y: 55 },
    ];
    const t = similarityFromPointPairs(from, to);
    expectPoint(applyAffine(t, from[0]), to[0]);
    expectPoint(applyAffine(t, from[1]), to[1]);
    expect(t.d).toBeCloseTo(t.a, 12);
    expect(t.c).toBeCloseTo(-t.b, 12);
  });

  it('rejects coincident source points', () => {
    const p = { x: 5, y: 5 };
    expect(() => similarityFromPointPairs([p, p], [p, { x: 6, y: 5 }])).toThrow(RangeError);
  });
});

describe('eyeAlignmentTransform', () => {
  const size = 150;
  const templateLeft = {
    x: DESCRIPTOR_TEMPLATE.eyes.left.x * size,
    y: DESCRIPTOR_TEMPLATE.eyes.left.y * size,
  };
  const templateRight = {
    x: DESCRIPTOR_TEMPLATE.eyes.right.x * size,
    y: DESCRIPTOR_TEMPLATE.eyes.right.y * size,
  };

  it('puts the eyes exactly on the template points', () => {
    const eyes = { left: { x: 812.3, y: 401.9 }, right: { x: 903.7, y: 388.1 } };
    const t = eyeAlignmentTransform(eyes, DESCRIPTOR_TEMPLATE.eyes, size);
    expectPoint(applyAffine(t, eyes.left), templateLeft);
    expectPoint(applyAffine(t, eyes.right), templateRight);
  });

  it('undoes a 30° rotation and a 2.5× scale of the whole face, not just the eyes', () => {
    // A canonical upright face: eyes on the template, nose and mouth below.
    const canonical = {
      left: templateLeft,
      right: templateRight,
      nose: { x: 75, y: 80 },
      mouth: { x: 75, y: 105 },
    };
    const photo = similarity(30, 2.5, { x: 640, y: 210 });
    const inPhoto = (p: Point): Point => applyAffine(photo, p);
    const t = eyeAlignmentTransform(
      { left: inPhoto(canonical.left), right: inPhoto(canonical.right) },
      DESCRIPTOR_TEMPLATE.eyes,
      size,
    );
    expect(angleOf(t)).toBeCloseTo(-30, 9);
    expect(affineScale(t)).toBeCloseTo(1 / 2.5, 12);
    expectPoint(applyAffine(t, inPhoto(canonical.nose)), canonical.nose);
    expectPoint(applyAffine(t, inPhoto(canonical.mouth)), canonical.mouth);
  });

  it('scales with the output size: the same face at 300 px is twice the 150 px crop', () => {
    const eyes = { left: { x: 100, y: 120 }, right: { x: 140, y: 118 } };
    const small = eyeAlignmentTransform(eyes, DESCRIPTOR_TEMPLATE.eyes, 150);
    const large = eyeAlignmentTransform(eyes, DESCRIPTOR_TEMPLATE.eyes, 300);
    expect(affineScale(large)).toBeCloseTo(2 * affineScale(small), 12);
    expect(angleOf(large)).toBeCloseTo(angleOf(small), 12);
  });
});

describe('affine helpers', () => {
  it('inverts and composes', () => {
    const t: Affine = { a: 1.5, b: -0.25, c: 0.75, d: 2, e: -3, f: 9 };
    const p = { x: 17, y: -4 };
    expectPoint(applyAffine(invertAffine(t), applyAffine(t, p)), p);
    const u = similarity(-12, 0.8, { x: 5, y: 6 });
    expectPoint(applyAffine(composeAffine(u, t), p), applyAffine(u, applyAffine(t, p)));
    expect(() => invertAffine({ a: 1, b: 2, c: 2, d: 4, e: 0, f: 0 })).toThrow(RangeError);
  });

  it('takes eye centres as the means of landmarks 36–41 and 42–47', () => {
    const landmarks = Array.from({ length: 68 }, (_, i) => ({ x: i, y: 2 * i }));
    const eyes = eyeCentresFrom68(landmarks);
    expectPoint(eyes.left, { x: 38.5, y: 77 });
    expectPoint(eyes.right, { x: 44.5, y: 89 });
    expect(() => eyeCentresFrom68(landmarks.slice(0, 5))).toThrow(RangeError);
  });

  it('fits an image into a square by centre-cropping or padding', () => {
    const crop = fitSquareTransform(300, 150, 100, 'crop');
    expectPoint(applyAffine(crop, { x: 150, y: 75 }), { x: 50, y: 50 });
    expectPoint(applyAffine(crop, { x: 75, y: 0 }), { x: 0, y: 0 });
    const pad = fitSquareTransform(300, 150, 100, 'pad');
    expectPoint(applyAffine(pad, { x: 0, y: 0 }), { x: 0, y: 25 });
    expectPoint(applyAffine(pad, { x: 300, y: 150 }), { x: 100, y: 75 });
  });
});

describe('crop templates', () => {
  it('derives the ResNet crop as the descriptor crop with 1.3× the field of view', () => {
    const eyeDistance = (t: typeof DESCRIPTOR_TEMPLATE): number => t.eyes.right.x - t.eyes.left.x;
    expect(RESNET_TEMPLATE.size).toBe(224);
    expect(eyeDistance(DESCRIPTOR_TEMPLATE) / eyeDistance(RESNET_TEMPLATE)).toBeCloseTo(1.3, 12);
    expect(RESNET_TEMPLATE.eyes.left.y).toBeCloseTo(
      0.5 - (0.5 - DESCRIPTOR_TEMPLATE.eyes.left.y) / 1.3,
      12,
    );
    expect(zoomOutTemplate(DESCRIPTOR_TEMPLATE, 1, 150)).toEqual(DESCRIPTOR_TEMPLATE);
  });
});
