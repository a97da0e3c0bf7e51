/**
 * Mean of `values` per group: member-pair scores are the mean of their photo-pair scores.
 * Groups with no values are NaN.
 */
export function meanByGroup(
  values: ArrayLike<number>,
  groups: ArrayLike<number>,
  groupCount: number,
): Float64Array {
  if (values.length !== groups.length) {
    throw new RangeError(`${values.length} values but ${groups.length} group ids`);
  }
  const sums = new Float64Array(groupCount);
  const counts = new Uint32Array(groupCount);
  for (let i = 0; i < values.length; i++) {
    const g = groups[i] as number;
    if (!(g >= 0 && g < groupCount)) throw new RangeError(`group id ${g} out of range`);
    sums[g] = (sums[g] as number) + (values[i] as number);
    counts[g] = (counts[g] as number) + 1;
  }
  return sums.map((sum, g) => sum / (counts[g] as number));
}
