import { describe, expect, it } from 'vitest';
import type { ComparisonReport, EncoderComparison } from '../../worker/compare';
import { reportJson, tableCsv, tableRows } from './reportTable';

const interval = (auc: number) => ({
  auc,
  lower: auc - 0.05,
  upper: auc + 0.05,
  level: 0.95,
  iterations: 1000,
  stratified: true,
});

function result(id: EncoderComparison['encoderId'], auc: number): EncoderComparison {
  return {
    encoderId: id,
    label: id === 'face-descriptor' ? 'Face descriptor, "dlib"' : 'ResNet50 · VGGFace2',
    dim: id === 'face-descriptor' ? 128 : 4096,
    auc: interval(auc),
    memberAuc: auc + 0.01,
    accuracy: 0.7,
    threshold: 0.45,
    tprAt10: 0.3,
    roc: [
      { fpr: 0, tpr: 0, threshold: 0 },
      { fpr: 1, tpr: 1, threshold: 0 },
    ],
    cosineAuc: interval(auc - 0.1),
    cosineRoc: [
      { fpr: 0, tpr: 0, threshold: 0 },
      { fpr: 0.05, tpr: 0.2, threshold: 0 },
      { fpr: 0.15, tpr: 0.4, threshold: 0 },
      { fpr: 1, tpr: 1, threshold: 0 },
    ],
    encode: { total: 10, fromCache: 0, encoded: 10, imagesPerSecond: 25, seconds: 0.4 },
    trainSeconds: 3.5,
    bestEpoch: 4,
    epochsRun: 6,
  };
}

const report: ComparisonReport = {
  createdAt: '2026-11-28T00:00:00Z',
  settings: {
    encoderIds: ['face-descriptor', 'resnet50-vggface'],
    split: { kind: 'prefix', prefix: 'F09' },
    options: { epochs: 5 },
    detect: false,
    bootstrapIterations: 1000,
    bootstrapSeed: 1,
  },
  validationPairs: 40,
  kinPairs: 20,
  results: [result('face-descriptor', 0.8), result('resnet50-vggface', 0.55)],
  disagreements: [],
  seconds: 12,
};

describe('comparison table', () => {
  it('has a head row and a cosine baseline row per encoder', () => {
    const rows = tableRows(report);
    expect(rows.map((r) => `${r.encoderId}/${r.method}`)).toEqual([
      'face-descriptor/trained head',
      'resnet50-vggface/trained head',
      'face-descriptor/cosine (zero-shot)',
      'resnet50-vggface/cosine (zero-shot)',
    ]);
    // TPR at FPR 10% interpolated on the baseline's thinned curve: halfway from 0.2 to 0.4.
    expect(rows[2]?.tprAt10).toBeCloseTo(0.3);
    expect(rows[2]?.accuracy).toBeNull();
  });

  it('writes a CSV that parses back to the same numbers, quoting labels with commas', () => {
    const lines = tableCsv(report).trim().split('\n');
    expect(lines[0]).toBe(
      'encoder_id,encoder,method,auc,auc_ci95_low,auc_ci95_high,member_auc,accuracy_at_threshold,threshold,tpr_at_fpr_10,embedding_dim,encode_images_per_s,train_seconds',
    );
    expect(lines).toHaveLength(5);
    expect(lines[1]).toBe(
      'face-descriptor,"Face descriptor, ""dlib""",trained head,0.8,0.75,0.85,0.81,0.7,0.45,0.3,128,25,3.5',
    );
    expect(lines[3]?.split(',').slice(-3)).toEqual(['128', '', '']);
  });

  it('writes a JSON report with the settings needed to reproduce the run', () => {
    const json = JSON.parse(reportJson(report)) as Record<string, unknown>;
    expect(json['format']).toBe('kinlens-comparison');
    expect(json['settings']).toEqual(report.settings);
    expect((json['results'] as unknown[]).length).toBe(2);
  });
});
