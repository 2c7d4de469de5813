'use client';

import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import type { MetricsRange, ProjectSeries } from '@/server/domains/app-metrics/app-metrics.schema';
import { useTRPC } from '@/trpc/react';
import { formatBytes, formatMs, formatPercent } from './format';
import { TimeSeriesChart } from './time-series-chart';

const RANGES: MetricsRange[] = ['1h', '6h', '24h', '7d', '30d'];
const seconds = (at: Date) => Math.floor(new Date(at).getTime() / 1000);
const bytesPerSecond = (value: number) => `${formatBytes(value)}/s`;
const percent = (value: number) => formatPercent(value);

/** The Metrics tab: CPU, memory, network and response time over a range, with the uptime share. */
export function MetricsPanel({ project, initialSeries }: { project: string; initialSeries: ProjectSeries }) {
  const trpc = useTRPC();
  const [range, setRange] = useState<MetricsRange>('1h');
  const query = useQuery(
    trpc.metrics.series.queryOptions(
      { project, range },
      { initialData: range === '1h' ? initialSeries : undefined, refetchInterval: 60_000 },
    ),
  );
  const series = query.data ?? initialSeries;
  const charts = useMemo(() => {
    const resourceTimes = series.resources.map((point) => seconds(point.at));
    const uptimeTimes = series.uptime.map((point) => seconds(point.at));
    return {
      range: [seconds(series.from), seconds(series.to)] as [number, number],
      resourceTimes,
      uptimeTimes,
      cpu: [{ label: 'CPU', color: '#4f46e5', values: series.resources.map((point) => point.cpuPercent) }],
      memory: [
        { label: 'Memory', color: '#059669', values: series.resources.map((point) => point.memoryBytes) },
        {
          label: 'Limit',
          color: '#a1a1aa',
          values: series.resources.map((point) => point.memoryLimitBytes),
        },
      ],
      network: [
        {
          label: 'Received',
          color: '#0284c7',
          values: series.resources.map((point) => point.networkRxPerSecond),
        },
        {
          label: 'Sent',
          color: '#d97706',
          values: series.resources.map((point) => point.networkTxPerSecond),
        },
      ],
      response: [
        { label: 'Response', color: '#db2777', values: series.uptime.map((point) => point.responseMs) },
      ],
    };
  }, [series]);
  const latest = series.resources.at(-1);
  const lastCheck = series.uptime.at(-1);
  const empty = series.resources.length === 0 && series.uptime.length === 0;

  return (
    <Card
      title="Metrics"
      actions={
        <fieldset className="flex gap-1 text-sm">
          <legend className="sr-only">Range</legend>
          {RANGES.map((option) => (
            <button
              key={option}
              type="button"
              aria-pressed={option === range}
              onClick={() => setRange(option)}
              className={`rounded px-2 py-1 ${option === range ? 'bg-indigo-600 text-white' : 'hover:bg-zinc-100 dark:hover:bg-zinc-800'}`}
            >
              {option}
            </button>
          ))}
        </fieldset>
      }
    >
      {empty ? (
        <EmptyState title="No figures yet">
          Rise samples running apps every minute; figures appear once the app has run for a minute.
        </EmptyState>
      ) : (
        <>
          <dl className="mb-4 grid grid-cols-2 gap-3 text-sm sm:grid-cols-4" data-testid="metrics-summary">
            <Figure label="CPU" value={formatPercent(latest?.cpuPercent)} />
            <Figure label="Memory" value={formatBytes(latest?.memoryBytes)} />
            <Figure label="Uptime" value={formatPercent(series.uptimePercent, 2)} />
            <Figure
              label="Response time"
              value={lastCheck && lastCheck.upChecks > 0 ? formatMs(lastCheck.responseMs) : 'down'}
            />
          </dl>
          <div className="grid gap-6 lg:grid-cols-2">
            <TimeSeriesChart
              range={charts.range}
              title="CPU"
              times={charts.resourceTimes}
              series={charts.cpu}
              format={percent}
            />
            <TimeSeriesChart
              range={charts.range}
              title="Memory"
              times={charts.resourceTimes}
              series={charts.memory}
              format={formatBytes}
            />
            <TimeSeriesChart
              range={charts.range}
              title="Network"
              times={charts.resourceTimes}
              series={charts.network}
              format={bytesPerSecond}
            />
            <TimeSeriesChart
              range={charts.range}
              title="Response time"
              times={charts.uptimeTimes}
              series={charts.response}
              format={formatMs}
            />
          </div>
        </>
      )}
    </Card>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt className="text-zinc-500">{label}</dt>
      <dd className="text-lg font-semibold tabular-nums">{value}</dd>
    </div>
  );
}
