'use client';

import 'uplot/dist/uPlot.min.css';
import { useEffect, useRef } from 'react';
import type uPlot from 'uplot';

export type ChartSeries = { label: string; color: string; values: (number | null)[] };

/**
 * One uPlot line chart over `times` (seconds since the epoch). uPlot touches the DOM as it loads, so
 * it is imported in the browser only; the chart follows its container's width.
 */
export function TimeSeriesChart({
  title,
  range,
  times,
  series,
  format,
  height = 180,
}: {
  title: string;
  /** The x axis' span, seconds since the epoch: the whole range asked for, however few points. */
  range: [number, number];
  times: number[];
  series: ChartSeries[];
  format: (value: number) => string;
  height?: number;
}) {
  const container = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = container.current;
    if (!element) return;
    let chart: uPlot | null = null;
    let cancelled = false;
    const observer = new ResizeObserver(() => chart?.setSize({ width: element.clientWidth, height }));
    void import('uplot').then(({ default: UPlot }) => {
      if (cancelled) return;
      chart = new UPlot(
        {
          width: element.clientWidth,
          height,
          series: [
            {},
            ...series.map((line) => ({
              label: line.label,
              stroke: line.color,
              width: 1.5,
              value: (_: uPlot, value: number | null) => (value === null ? '–' : format(value)),
            })),
          ],
          axes: [{}, { values: (_: uPlot, ticks: number[]) => ticks.map(format), size: 70 }],
          // The legend shows the newest values until the pointer picks others.
          hooks: { ready: [(plot: uPlot) => plot.setLegend({ idx: times.length - 1 })] },
          scales: {
            x: { time: true, range: () => range },
            y: { range: (_: uPlot, _min: number, max: number) => [0, max > 0 ? max * 1.1 : 1] },
          },
        },
        [times, ...series.map((line) => line.values)] as uPlot.AlignedData,
        element,
      );
      observer.observe(element);
    });
    return () => {
      cancelled = true;
      observer.disconnect();
      chart?.destroy();
    };
  }, [range, times, series, format, height]);
  return (
    <figure className="min-w-0" data-testid={`chart-${title}`}>
      <figcaption className="mb-1 text-sm font-medium">{title}</figcaption>
      <div ref={container} className="w-full" />
    </figure>
  );
}
