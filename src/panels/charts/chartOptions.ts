import type uPlot from 'uplot';

export interface Series {
  label: string;
  values: Array<number | null>;
  color: string;
  /** Draw against a second y axis on the right (e.g. loss next to AUC). */
  rightAxis?: boolean;
  dash?: number[];
}

export interface ChartSpec {
  xLabel: string;
  /** Label of the left y axis. */
  yLabel?: string | undefined;
  /** Label of the right y axis, when a series uses it. */
  y2Label?: string | undefined;
  series: Series[];
  width: number;
  height: number;
  yRange?: [number, number] | undefined;
  /** Draw points only at x values (ROC curves use false). */
  points: boolean;
}

/** A legend value: three decimals at most; nothing at all while the pointer is off the chart. */
export function legendValue(
  _u: uPlot,
  v: number | null,
  _series: number,
  idx: number | null,
): string {
  return idx === null || v === null ? '' : v.toLocaleString('en-US', { maximumFractionDigits: 3 });
}

/**
 * What the chart canvas shows, for screen readers: "Validation ROC curve: True positive rate
 * against False positive rate" (the axis labels themselves are drawn on the canvas).
 */
export function chartDescription(
  title: string,
  spec: Pick<ChartSpec, 'xLabel' | 'yLabel' | 'y2Label'>,
): string {
  const y = spec.y2Label
    ? `${spec.yLabel ?? 'values'} (left axis) and ${spec.y2Label} (right axis)`
    : (spec.yLabel ?? 'values');
  return `${title}: ${y} against ${spec.xLabel}`;
}

/**
 * uPlot options for LineChart: labelled axes, a legend without placeholder values, and a
 * `data-idle` attribute on the chart root while no point is under the pointer (CSS then hides
 * the empty value cells and the x entry).
 */
export function chartOptions(spec: ChartSpec): uPlot.Options {
  const hasRight = spec.series.some((s) => s.rightAxis);
  const markIdle = (u: uPlot): void => {
    u.root.toggleAttribute('data-idle', u.legend.idx == null);
  };
  return {
    width: spec.width,
    height: spec.height,
    scales: {
      x: { time: false },
      y: spec.yRange ? { range: spec.yRange } : { auto: true },
      ...(hasRight ? { y2: { auto: true } } : {}),
    },
    axes: [
      { label: spec.xLabel, size: 40 },
      { scale: 'y', size: 50, ...(spec.yLabel ? { label: spec.yLabel } : {}) },
      ...(hasRight
        ? [
            {
              scale: 'y2',
              side: 1 as const,
              grid: { show: false },
              size: 50,
              ...(spec.y2Label ? { label: spec.y2Label } : {}),
            },
          ]
        : []),
    ],
    series: [
      { label: spec.xLabel, value: legendValue },
      ...spec.series.map((s) => ({
        label: s.label,
        stroke: s.color,
        width: 2,
        scale: s.rightAxis ? 'y2' : 'y',
        ...(s.dash ? { dash: s.dash } : {}),
        points: { show: spec.points },
        value: legendValue,
      })),
    ],
    legend: { show: true },
    cursor: { drag: { x: false, y: false } },
    hooks: { init: [markIdle], setLegend: [markIdle] },
  };
}
