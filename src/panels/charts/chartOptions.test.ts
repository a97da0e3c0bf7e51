import type uPlot from 'uplot';
import { describe, expect, it } from 'vitest';
import { chartDescription, chartOptions, legendValue } from './chartOptions';

const plot = {} as uPlot;

describe('chartOptions', () => {
  it('labels both y axes and the x axis', () => {
    const opts = chartOptions({
      xLabel: 'Epoch',
      yLabel: 'Loss',
      y2Label: 'Train accuracy',
      series: [
        { label: 'loss', values: [1, 0.5], color: '#b3261e' },
        { label: 'train accuracy', values: [0.5, 0.7], color: '#1d7a46', rightAxis: true },
      ],
      width: 400,
      height: 200,
      points: true,
    });
    expect(opts.axes?.map((a) => a.label)).toEqual(['Epoch', 'Loss', 'Train accuracy']);
    expect(opts.series.map((s) => s.scale)).toEqual([undefined, 'y', 'y2']);
  });

  it('gives every legend entry a formatter that shows nothing off the chart', () => {
    const opts = chartOptions({
      xLabel: 'False positive rate',
      yLabel: 'True positive rate',
      series: [{ label: 'chance', values: [0, 1], color: '#999' }],
      width: 400,
      height: 200,
      yRange: [0, 1],
      points: false,
    });
    expect(opts.axes?.[1]?.label).toBe('True positive rate');
    for (const s of opts.series) expect(s.value).toBe(legendValue);
    expect(legendValue(plot, 0.5, 1, null)).toBe('');
    expect(legendValue(plot, null, 1, 3)).toBe('');
    expect(legendValue(plot, 0.123456, 1, 3)).toBe('0.123');
    expect(legendValue(plot, 12, 0, 3)).toBe('12');
  });

  it('describes the axes for screen readers', () => {
    expect(
      chartDescription('Validation ROC curve', {
        xLabel: 'False positive rate',
        yLabel: 'True positive rate',
      }),
    ).toBe('Validation ROC curve: True positive rate against False positive rate');
    expect(
      chartDescription('Training loss and accuracy', {
        xLabel: 'Epoch',
        yLabel: 'Loss',
        y2Label: 'Train accuracy',
      }),
    ).toBe(
      'Training loss and accuracy: Loss (left axis) and Train accuracy (right axis) against Epoch',
    );
  });
});
