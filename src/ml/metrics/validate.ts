/** Shared argument checks for the metric functions. */

/** Throws when scores and labels differ in length or a score is NaN. */
export function checkScoresAndLabels(scores: ArrayLike<number>, labels: ArrayLike<number>): void {
  if (scores.length !== labels.length) {
    throw new RangeError(`${scores.length} scores but ${labels.length} labels`);
  }
  for (let i = 0; i < scores.length; i++) {
    if (Number.isNaN(scores[i])) throw new RangeError(`score ${i} is NaN`);
  }
}

/** A label counts as positive (kin) when it is above 0.5, so 1/0 and true/false-like both work. */
export function isPositive(label: number | undefined): boolean {
  return (label ?? 0) > 0.5;
}
