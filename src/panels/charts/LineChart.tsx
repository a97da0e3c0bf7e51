import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Series {
  label: string;
  values: Array<number | null>;
  color: string;
  /** Draw against a second y axis on the right (e.g. loss next to AUC). */
  rightAxis?: boolean;
  dash?: number[];
}

interface Props {
  title: string;
  x: number[];
  xLabel: string;
  series: Series[];
  height?: number;
  yRange?: [number, number];
  testId?: string;
  /** Called with the chart canvas once drawn (PNG export). */
  onCanvas?: (canvas: HTMLCanvasElement | null) => void;
  /** Draw points only at x values (ROC curves use false). */
  points?: boolean;
}

/** A small responsive line chart (uPlot) that redraws when its data changes. */
export function LineChart({
  title,
  x,
  xLabel,
  series,
  height = 220,
  yRange,
  testId,
  onCanvas,
  points = true,
}: Props) {
  const host = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const hasRight = series.some((s) => s.rightAxis);
    const opts: uPlot.Options = {
      width: Math.max(240, el.clientWidth),
      height,
      scales: {
        x: { time: false },
        y: yRange ? { range: yRange } : { auto: true },
        ...(hasRight ? { y2: { auto: true } } : {}),
      },
      axes: [
        { label: xLabel, size: 40 },
        { scale: 'y', size: 50 },
        ...(hasRight ? [{ scale: 'y2', side: 1 as const, grid: { show: false }, size: 50 }] : []),
      ],
      series: [
        { label: xLabel },
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 2,
          scale: s.rightAxis ? 'y2' : 'y',
          ...(s.dash ? { dash: s.dash } : {}),
          points: { show: points },
        })),
      ],
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
    };
    const data = [x, ...series.map((s) => s.values)] as uPlot.AlignedData;
    const plot = new uPlot(opts, data, el);
    onCanvas?.(el.querySelector('canvas'));
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: Math.max(240, el.clientWidth), height }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [x, series, height, yRange, xLabel, onCanvas, points]);

  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <div ref={host} />
    </figure>
  );
}
