import { expect, it } from 'vitest';
import { normalQuantile } from './normal';

it('matches tabulated standard normal quantiles in the centre and both tails', () => {
  const table: [number, number][] = [
    [0.5, 0],
    [0.9, 1.2815515655],
    [0.975, 1.9599639845],
    [0.01, -2.326347874],
    [0.001, -3.0902323062],
    [0.9999, 3.7190164855],
  ];
  for (const [p, z] of table) expect(normalQuantile(p)).toBeCloseTo(z, 7);
  expect(normalQuantile(0.3)).toBeCloseTo(-normalQuantile(0.7), 12);
  expect(normalQuantile(0)).toBe(-Infinity);
  expect(() => normalQuantile(1.5)).toThrow(RangeError);
});
