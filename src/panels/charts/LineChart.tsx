import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { chartDescription, chartOptions, type Series } from './chartOptions';

export type { Series } from './chartOptions';

interface Props {
  title: string;
  x: number[];
  xLabel: string;
  /** Label of the left y axis. */
  yLabel?: string;
  /** Label of the right y axis, when a series uses it. */
  y2Label?: string;
  series: Series[];
  height?: number;
  yRange?: [number, number];
  testId?: string;
  /** Called with the chart canvas once drawn (PNG export). */
  onCanvas?: (canvas: HTMLCanvasElement | null) => void;
  /** Draw points only at x values (ROC curves use false). */
  points?: boolean;
}

/**
 * A small responsive line chart (uPlot) that redraws when its data changes. The legend names the
 * series; their values appear only while the pointer is over the chart.
 */
export function LineChart({
  title,
  x,
  xLabel,
  yLabel,
  y2Label,
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
    const opts = chartOptions({
      xLabel,
      yLabel,
      y2Label,
      series,
      width: Math.max(240, el.clientWidth),
      height,
      yRange,
      points,
    });
    const data = [x, ...series.map((s) => s.values)] as uPlot.AlignedData;
    const plot = new uPlot(opts, data, el);
    const canvas = el.querySelector('canvas');
    canvas?.setAttribute('role', 'img');
    canvas?.setAttribute('aria-label', chartDescription(title, { xLabel, yLabel, y2Label }));
    onCanvas?.(canvas);
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: Math.max(240, el.clientWidth), height }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [title, x, series, height, yRange, xLabel, yLabel, y2Label, onCanvas, points]);

  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <div ref={host} />
    </figure>
  );
}
