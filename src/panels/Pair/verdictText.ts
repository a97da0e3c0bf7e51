/**
 * The words of a kinship card: band names, where the score sits among the validation pairs, and
 * where the head comes from.
 */
import type { Band } from '../../ml/head/bands';
import type { HeadProvenance } from '../../ml/pair/head-choice';
import type { KinshipScore } from '../../ml/pair/verdict';

export const BAND_TEXT: Record<Band, string> = {
  related: 'Likely related',
  'cant-tell': "Can't tell",
  unlikely: 'Unlikely to be related',
};

export const percent = (p: number, digits = 0): string => `${(p * 100).toFixed(digits)} %`;

function formatDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime())
    ? 'at an unknown date'
    : d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
}

/** "Built-in kinship model (trained on …, validation AUC 0.80 on 50 held-out families)". */
export function provenanceLine(p: HeadProvenance): string {
  const auc = p.auc !== null ? `validation AUC ${p.auc.toFixed(2)}` : 'no validation figures';
  const families =
    p.validationFamilies !== null ? ` on ${p.validationFamilies} held-out families` : '';
  if (p.source === 'built-in') {
    return `Built-in kinship model (trained on ${p.datasetName ?? 'a kinship dataset'}, ${auc}${families})`;
  }
  const on = p.datasetName ? ` on ${p.datasetName}` : '';
  if (p.ensembleMembers !== null && p.auc !== null) {
    // Out-of-fold: every family was held out by one head of the ensemble.
    const over = p.validationFamilies !== null ? ` over ${p.validationFamilies} families` : '';
    return `Your ensemble of ${p.ensembleMembers} heads, trained ${formatDate(p.trainedAt)}${on}, out-of-fold AUC ${p.auc.toFixed(2)}${over}`;
  }
  return `Your head, trained ${formatDate(p.trainedAt)}${on}, ${auc}${families}`;
}

/**
 * "Higher than 87 % of unrelated pairs and 42 % of related pairs among the 50 held-out
 * families." (member level: "pairs of people"; estimated distributions: "about").
 */
export function placementSentence(k: KinshipScore): string | null {
  if (k.aboveUnrelated === null || k.aboveRelated === null) return null;
  const about = k.scoringSource === 'estimated' ? 'about ' : '';
  const what = k.level === 'member' ? 'pairs of people' : 'photo pairs';
  const families = k.provenance.validationFamilies;
  const among =
    families !== null ? ` among the ${families} held-out families` : ' in its validation';
  return (
    `Higher than ${about}${percent(k.aboveUnrelated)} of unrelated ${what} and ` +
    `${percent(k.aboveRelated)} of related ${what}${among}.`
  );
}

/** "based on 3 × 2 photos" (with the pair count and range when there are several pairs). */
export function basisLine(
  k: KinshipScore,
  photosA: number,
  photosB: number,
  pairs: number,
): string {
  const mirrored = k.mirrored ? ' · each face also mirrored, as the model was validated' : '';
  const base = `based on ${photosA} × ${photosB} photo${photosA * photosB === 1 ? '' : 's'}${mirrored}`;
  if (pairs <= 1) return base;
  return `${base} · mean of ${pairs} face pairs, ${percent(k.spread.min)}–${percent(k.spread.max)}`;
}

export const WHAT_IT_IS_NOT =
  'Not a DNA test: it compares the faces in these photos only, and it learned from balanced ' +
  'pairs (half related), so 50 % is not the chance that any two people are related.';
