import type { Stack } from './stack';
import type { Summary } from './stats';

/** One row of the results table: a metric of issue 15, its value now and its goal. */
export type MetricResult = {
  metric: string;
  /** The value as the table shows it, e.g. "median 1.2 s, p95 1.9 s". */
  now: string;
  goal: string;
  /** null: the metric has no numeric goal (shown for information). */
  met: boolean | null;
  summary?: Summary;
  unit?: string;
};

/** When each phase of one deployment began (ms since the epoch), as its events in the database say. */
export type DeployTimeline = {
  label: string;
  queued: number;
  pickedUp?: number;
  containerStarted?: number;
  healthy?: number;
  trafficSwitched?: number;
  oldStopped?: number;
  /** When a client first got the new version's answer at the app's URL. */
  answered?: number;
};

export const CHARTS = {
  'deploy-timeline': 'Deploy timeline: first deploys and redeploys (0 = queued)',
  'concurrent-timeline': '20 deployments of 20 projects queued at once (0 = queued)',
} as const;
export type ChartName = keyof typeof CHARTS;

export type BenchContext = {
  /** The running Rise (`npm start`), started on first use and shared by every bench of a run. */
  stack: () => Promise<Stack>;
  quick: boolean;
  log: (line: string) => void;
  /** Adds a deployment's timeline to one of the charts written to bench/results/<chart>.svg. */
  chart: (chart: ChartName, timeline: DeployTimeline) => void;
};

export type Bench = {
  name: string;
  description: string;
  run: (context: BenchContext) => Promise<MetricResult[]>;
};
