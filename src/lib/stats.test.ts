import { expect, it } from 'vitest';
import { median } from './stats';

it('takes the middle value, or the mean of the two middle ones, without sorting its input', () => {
  const xs = [5, 1, 4];
  expect(median(xs)).toBe(4);
  expect(xs).toEqual([5, 1, 4]);
  expect(median([10, 2, 8, 4])).toBe(6);
  expect(median([7])).toBe(7);
  expect(median([])).toBeNaN();
});
