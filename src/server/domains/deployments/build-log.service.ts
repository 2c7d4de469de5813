import type { z } from 'zod';
import type { DeploymentStatus } from '@/generated/prisma/enums';
import type { Tx } from '@/server/db';
import type { Caller } from '@/server/domains/access/caller';
import { AppError, notFound } from '@/server/errors';
import { inTransaction } from '@/server/transaction';
import { sanitizeBuildLogLine } from '@/shared/builders/build-log-line';
import { recordAudit } from '../audit/audit.service';
import type { ProjectRecord } from '../projects/project.repo';
import { buildLogRepo } from './build-log.repo';
import {
  type AppendBuildLogResult,
  type appendBuildLogInput,
  BUILD_LOG_MAX_CHARS,
  BUILD_LOG_MAX_LINES,
} from './build-log.schema';
import { deploymentRepo } from './deployment.repo';

type Project = Pick<ProjectRecord, 'id' | 'name' | 'ownerTeamId'>;

/** A client build's phases: the only time its output may be added. */
const BUILD_PHASE: readonly DeploymentStatus[] = ['building', 'pushing'];

const FULL_MARKER = 'Build output truncated';

/**
 * Adds a client build's output lines to the deployment's log (its events, level `build`), sanitized,
 * while the deployment builds or pushes, up to BUILD_LOG_MAX_LINES / BUILD_LOG_MAX_CHARS per
 * deployment; past that the rest is dropped and one warning says so.
 */
export async function appendBuildLog(
  caller: Caller,
  project: Project,
  input: z.output<typeof appendBuildLogInput>,
): Promise<AppendBuildLogResult> {
  const lines = input.lines.map(sanitizeBuildLogLine).filter((line) => line.length > 0);
  return inTransaction(async (tx: Tx) => {
    const status = await buildLogRepo.lockDeployment(project.id, input.deployment, tx);
    if (!status) {
      throw notFound(`Deployment '${input.deployment}' not found in project '${project.name}'.`);
    }
    if (!BUILD_PHASE.includes(status)) {
      throw new AppError(
        'PRECONDITION_FAILED',
        `Deployment '${input.deployment}' is ${status}: build output is accepted only while it is building or pushing.`,
      );
    }
    const usage = await buildLogRepo.usage(input.deployment, FULL_MARKER, tx);
    const accepted: string[] = [];
    let full = usage.full;
    let chars = usage.chars;
    for (const line of full ? [] : lines) {
      if (usage.lines + accepted.length >= BUILD_LOG_MAX_LINES || chars + line.length > BUILD_LOG_MAX_CHARS) {
        full = true;
        break;
      }
      accepted.push(line);
      chars += line.length;
    }
    if (accepted.length > 0) await buildLogRepo.insertLines(input.deployment, accepted, tx);
    if (full && !usage.full) {
      await deploymentRepo.addEvent(
        input.deployment,
        `${FULL_MARKER}: a deployment keeps at most ${BUILD_LOG_MAX_LINES} lines (${BUILD_LOG_MAX_CHARS / 1_000_000} MB) of build output; \`rise d c --verbose\` prints all of it.`,
        'warn',
        tx,
      );
    }
    await recordAudit(
      caller,
      {
        action: 'deployment.build_log',
        targetType: 'deployment',
        targetId: input.deployment,
        targetName: input.deployment,
        projectId: project.id,
        teamId: project.ownerTeamId,
        details: { lines: accepted.length, dropped: lines.length - accepted.length },
      },
      tx,
    );
    return { accepted: accepted.length, dropped: lines.length - accepted.length, full };
  });
}
