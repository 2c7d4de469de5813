import type { z } from 'zod';
import type { Caller } from '../access/caller';
import { LIST_PAGE_MAX } from '../projects/project.schema';
import { listProjects } from '../projects/project.service';
import { uptimeRepo } from '../uptime/uptime.repo';
import { appMetricsRepo } from './app-metrics.repo';
import type {
  CurrentFigures,
  eventsInput,
  MetricsRange,
  overviewInput,
  ProjectSeries,
} from './app-metrics.schema';
import { RANGE_MS } from './app-metrics.schema';
import { appMetricsReadRepo } from './app-metrics-read.repo';
import { type SeriesCheck, type SeriesSample, withRecentCheckHours, withRecentHours } from './hourly-buckets';
import { resolutionFor } from './retention';

/** Figures older than this are not "current" (the app stopped, or the worker is not sampling). */
const CURRENT_WITHIN_MS = 5 * 60_000;

/** A project's resource and uptime points over `range`, minute points up to 24 h back, hourly beyond. */
export async function projectSeries(
  projectId: string,
  range: MetricsRange,
  now = new Date(),
): Promise<ProjectSeries> {
  const from = new Date(now.getTime() - RANGE_MS[range]);
  const resolution = resolutionFor(from, now);
  const [storedSamples, storedChecks] = await Promise.all([
    appMetricsRepo.series(projectId, resolution, from, now),
    uptimeRepo.series(projectId, resolution, from, now),
  ]);
  let samples: SeriesSample[] = storedSamples;
  let checks: SeriesCheck[] = storedChecks;
  if (resolution === 'hour') {
    const [minuteSamples, minuteChecks] = await Promise.all([
      appMetricsRepo.series(projectId, 'minute', from, now),
      uptimeRepo.series(projectId, 'minute', from, now),
    ]);
    samples = withRecentHours(storedSamples, minuteSamples);
    checks = withRecentCheckHours(storedChecks, minuteChecks);
  }
  const resources = samples.map((sample, index) => {
    const previous = index > 0 ? samples[index - 1] : undefined;
    const rate = (current: number, before: number | undefined) => {
      if (!previous || before === undefined || current < before) return null;
      const seconds = (sample.at.getTime() - previous.at.getTime()) / 1000;
      return seconds > 0 ? (current - before) / seconds : null;
    };
    return {
      at: sample.at,
      cpuPercent: sample.cpuPercent,
      cpuPercentMax: sample.cpuPercentMax,
      memoryBytes: sample.memoryBytes,
      memoryBytesMax: sample.memoryBytesMax,
      memoryLimitBytes: sample.memoryLimitBytes,
      networkRxPerSecond: rate(sample.networkRxBytes, previous?.networkRxBytes),
      networkTxPerSecond: rate(sample.networkTxBytes, previous?.networkTxBytes),
      restarts: sample.restarts,
    };
  });
  const total = checks.reduce((sum, check) => sum + check.checks, 0);
  const up = checks.reduce((sum, check) => sum + check.upChecks, 0);
  return {
    resolution,
    from,
    to: now,
    resources,
    uptime: checks.map((check) => ({
      at: check.at,
      checks: check.checks,
      upChecks: check.upChecks,
      responseMs: check.responseMs,
      statusCode: check.statusCode,
    })),
    uptimePercent: total > 0 ? (up / total) * 100 : null,
  };
}

/** A project's latest figures (within the last minutes) and its uptime over 24 h. */
export async function currentFigures(projectId: string, now = new Date()): Promise<CurrentFigures> {
  const since = new Date(now.getTime() - CURRENT_WITHIN_MS);
  const [[sample], [check], totals] = await Promise.all([
    appMetricsRepo.latest([projectId], since),
    uptimeRepo.latest([projectId], since),
    appMetricsReadRepo.uptimeTotals(projectId, new Date(now.getTime() - RANGE_MS['24h'])),
  ]);
  return {
    sampledAt: sample?.at ?? null,
    cpuPercent: sample?.cpuPercent ?? null,
    memoryBytes: sample?.memoryBytes ?? null,
    memoryLimitBytes: sample?.memoryLimitBytes ?? null,
    checkedAt: check?.at ?? null,
    up: check ? check.upChecks > 0 : null,
    responseMs: check?.responseMs ?? null,
    statusCode: check?.statusCode ?? null,
    uptimePercent24h: totals.checks > 0 ? (totals.upChecks / totals.checks) * 100 : null,
  };
}

/** The projects the caller may read (the first page of them), each with its id. */
async function readableProjects(caller: Caller) {
  const summaries = await listProjects(caller, { limit: LIST_PAGE_MAX });
  const ids = await appMetricsReadRepo.projectIdsByName(summaries.map((summary) => summary.name));
  const idOf = new Map(ids.map((row) => [row.name, row.id]));
  return summaries.flatMap((summary) => {
    const id = idOf.get(summary.name);
    return id ? [{ id, summary }] : [];
  });
}

/** Every app the caller may read with its current CPU, memory and uptime, sorted (highest first). */
export async function appsOverview(caller: Caller, input: z.output<typeof overviewInput>, now = new Date()) {
  const projects = await readableProjects(caller);
  const ids = projects.map((project) => project.id);
  const since = new Date(now.getTime() - CURRENT_WITHIN_MS);
  const [samples, checks] = await Promise.all([
    appMetricsRepo.latest(ids, since),
    uptimeRepo.latest(ids, since),
  ]);
  const sampleOf = new Map(samples.map((sample) => [sample.projectId, sample]));
  const checkOf = new Map(checks.map((check) => [check.projectId, check]));
  const apps = projects.map(({ id, summary }) => {
    const sample = sampleOf.get(id);
    const check = checkOf.get(id);
    return {
      name: summary.name,
      status: summary.status,
      url: summary.url,
      cpuPercent: sample?.cpuPercent ?? null,
      memoryBytes: sample?.memoryBytes ?? null,
      memoryLimitBytes: sample?.memoryLimitBytes ?? null,
      up: check ? check.upChecks > 0 : null,
      responseMs: check?.responseMs ?? null,
    };
  });
  const key = input.sort === 'cpu' ? 'cpuPercent' : input.sort === 'memory' ? 'memoryBytes' : null;
  if (key) apps.sort((a, b) => (b[key] ?? -1) - (a[key] ?? -1) || a.name.localeCompare(b.name));
  return { apps };
}

/**
 * What happened lately in the caller's projects, newest first: the notification events (deployments
 * started, succeeded or failed, previews, crashes, uptime changes, backups…), not the deployment log
 * lines, of which one build alone writes hundreds.
 */
export async function recentEvents(caller: Caller, input: z.output<typeof eventsInput>) {
  const ids = (await readableProjects(caller)).map((project) => project.id);
  const notifications = await appMetricsReadRepo.recentNotifications(ids, input.limit);
  return {
    events: notifications.map((event) => ({
      id: event.id,
      at: event.createdAt,
      project: event.project?.name ?? '',
      kind: event.kind,
      message: event.title,
    })),
  };
}
