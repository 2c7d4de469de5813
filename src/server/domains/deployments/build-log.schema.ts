import { z } from 'zod';
import { deploymentId } from './deployment.schema';

/** Lines one `deployment.appendBuildLog` call may carry. */
export const BUILD_LOG_BATCH_MAX_LINES = 200;
/** Characters of one line as sent; the stored line is cut to BUILD_LOG_LINE_MAX (build-log-line.ts). */
export const BUILD_LOG_SENT_LINE_MAX = 16_384;
/** What one deployment's build log may hold; the rest is dropped and a warning says so. */
export const BUILD_LOG_MAX_LINES = 10_000;
export const BUILD_LOG_MAX_CHARS = 2_000_000;

export const appendBuildLogInput = z.object({
  deployment: deploymentId,
  lines: z
    .array(
      z.string().max(BUILD_LOG_SENT_LINE_MAX, {
        message: `Build log lines are at most ${BUILD_LOG_SENT_LINE_MAX} characters; send longer ones cut.`,
      }),
    )
    .min(1, { message: 'Send at least one line.' })
    .max(BUILD_LOG_BATCH_MAX_LINES, {
      message: `Send at most ${BUILD_LOG_BATCH_MAX_LINES} lines per call.`,
    }),
});

export const appendBuildLogResult = z.object({
  /** Lines stored (empty ones after sanitizing are skipped). */
  accepted: z.number().int(),
  /** Lines not stored because the deployment's build log is full. */
  dropped: z.number().int(),
  /** The build log is full: send no more. */
  full: z.boolean(),
});

export type AppendBuildLogResult = z.infer<typeof appendBuildLogResult>;
