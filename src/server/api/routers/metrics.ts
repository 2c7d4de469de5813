import {
  currentFigures as currentFiguresView,
  eventsInput,
  overview,
  overviewInput,
  projectSeries as projectSeriesView,
  recentEvents as recentEventsView,
  seriesInput,
} from '@/server/domains/app-metrics/app-metrics.schema';
import {
  appsOverview,
  currentFigures,
  projectSeries,
  recentEvents,
} from '@/server/domains/app-metrics/app-metrics-read.service';
import { authenticatedProcedure, createTRPCRouter, projectProcedure } from '../trpc';

export const metricsRouter = createTRPCRouter({
  /** A project's CPU, memory, network and uptime points over a range. */
  series: projectProcedure('project:read')
    .input(seriesInput)
    .output(projectSeriesView)
    .query(({ ctx, input }) => projectSeries(ctx.project.id, input.range)),
  /** A project's latest figures (`rise p s`). */
  current: projectProcedure('project:read')
    .output(currentFiguresView)
    .query(({ ctx }) => currentFigures(ctx.project.id)),
  /** Every app the caller may read with its current figures, sorted. */
  overview: authenticatedProcedure
    .input(overviewInput)
    .output(overview)
    .query(({ ctx, input }) => appsOverview(ctx.caller, input)),
  /** What happened across the caller's projects (notification events), newest first. */
  events: authenticatedProcedure
    .input(eventsInput)
    .output(recentEventsView)
    .query(({ ctx, input }) => recentEvents(ctx.caller, input)),
});
