import type { z } from 'zod';
import { env } from '@/env';
import type { Tx } from '@/server/db';
import type { Caller } from '@/server/domains/access/caller';
import { AppError, notFound } from '@/server/errors';
import { deployJob } from '@/server/jobs/definitions/deploy.job';
import { stopJob } from '@/server/jobs/definitions/stop.job';
import { enqueue } from '@/server/jobs/enqueue';
import { imageSourceFor } from '@/server/registry/image-policy';
import { inTransaction } from '@/server/transaction';
import { DEFAULT_GROUP } from '@/shared/deployment-groups';
import { projectAuditTarget, recordAudit } from '../audit/audit.service';
import { queueManualGitDeployment } from '../git-builds/manual-git-deployment';
import type { ProjectRecord } from '../projects/project.repo';
import { projectRepo } from '../projects/project.repo';
import { groupUrl, hostUrl } from '../projects/project-url';
import { creatorLabel } from './creator-label';
import { type DeploymentRecord, deploymentRepo } from './deployment.repo';
import {
  type createDeploymentInput,
  type DeploymentView,
  imageReference,
  type listDeploymentsInput,
  type reportDeploymentInput,
} from './deployment.schema';
import { envOverridesView, type StoredEnvOverride, sealEnvOverrides } from './deployment-env.service';
import { deploymentGroupRepo } from './deployment-group.repo';
import { insertDeployment, withNewDeploymentId } from './insert-deployment';

type Project = Pick<ProjectRecord, 'id' | 'name' | 'ownerTeamId' | 'activeDeploymentId'>;

export function toView(deployment: DeploymentRecord): DeploymentView {
  return {
    id: deployment.id,
    project: deployment.project.name,
    status: deployment.status,
    active:
      deployment.group === DEFAULT_GROUP
        ? deployment.project.activeDeploymentId === deployment.id
        : deployment.activeForGroup !== null,
    group: deployment.group,
    url: urlOfGroup(deployment),
    expiresAt: deployment.expiresAt,
    image: deployment.image,
    imageDigest: deployment.imageDigest,
    imageRemoved: deployment.imageRemovedAt !== null,
    slot: deployment.slot,
    rolledBackFrom: deployment.rolledBackFromId,
    terminationReason: deployment.terminationReason,
    error: deployment.error,
    createdBy: creatorLabel(deployment),
    trigger: TRIGGER_VIEW[deployment.trigger],
    commit: deployment.commitSha
      ? {
          ref: deployment.gitRef,
          sha: deployment.commitSha,
          message: deployment.commitMessage,
          author: deployment.commitAuthor,
        }
      : null,
    createdAt: deployment.createdAt,
    startedAt: deployment.startedAt,
    healthyAt: deployment.healthyAt,
    finishedAt: deployment.finishedAt,
    crashes:
      deployment.restartCount > 0 || deployment.crashLoopSince
        ? {
            restarts: deployment.restartCount,
            crashLoopingSince: deployment.crashLoopSince,
            lastCrashAt: deployment.lastCrashAt,
            lastExitCode: deployment.lastExitCode,
            lastLogLines: deployment.lastCrashLog,
          }
        : null,
    envOverrides: envOverridesView(deployment.envOverrides),
  };
}

const TRIGGER_VIEW = {
  cli: 'cli',
  git_push: 'git-push',
  pull_request: 'pull-request',
  manual: 'manual',
  rollback: 'rollback',
} as const satisfies Record<DeploymentRecord['trigger'], DeploymentView['trigger']>;

/**
 * The URL of a deployment's group: the host its group was given when created (a later change of
 * RISE_GROUP_HOST_TEMPLATE applies to new groups), else (default group, or a group gone) the one the
 * settings give now.
 */
export function urlOfGroup(deployment: DeploymentRecord): string {
  const row = deployment.project.deploymentGroups.find((group) => group.name === deployment.group);
  return row ? hostUrl(row.host) : groupUrl(deployment.project.name, deployment.group);
}

/**
 * Refuses an image `project` may not run, as far as it can be known here (the worker checks local
 * images against the engine before every start): a malformed reference (BAD_REQUEST naming the wrong
 * part) or another project's repository in Rise's registry (FORBIDDEN).
 */
export function assertProjectMayRun(project: Pick<Project, 'id' | 'name'>, image: string): void {
  imageSourceFor(image, project, env.RISE_REGISTRY_HOST);
}

/**
 * What `deployment.create` would refuse about `image` for `project`, in its words, or null: the
 * dashboard checks a reference as it is typed. Whether a local image carries the project's label is
 * only known to the engine; the deployment reports that.
 */
export function imageProblem(project: Pick<Project, 'id' | 'name'>, image: string): string | null {
  const parsed = imageReference.safeParse(image);
  if (!parsed.success) return parsed.error.issues[0]?.message ?? 'Invalid image reference.';
  try {
    assertProjectMayRun(project, image);
    return null;
  } catch (error) {
    if (error instanceof AppError) return error.message;
    throw error;
  }
}

/** Creates a deployment ready to run (`pushed`) and queues it, in one transaction. */
async function queueDeployment(
  caller: Caller,
  project: Project,
  data: {
    image: string;
    imageDigest?: string | null;
    rolledBackFromId?: string | null;
    envOverrides?: StoredEnvOverride[];
    group?: string;
    expiresAt?: Date | null;
    /** Default `cli`; a run again of an earlier deployment carries its commit. */
    trigger?: 'cli' | 'manual' | 'rollback';
    gitRef?: string | null;
    commitSha?: string | null;
    commitMessage?: string | null;
    commitAuthor?: string | null;
  },
  action: string,
) {
  const { envOverrides, ...version } = data;
  const group = data.group ?? DEFAULT_GROUP;
  const id = await withNewDeploymentId((id) =>
    inTransaction(async (tx: Tx) => {
      await insertDeployment(
        tx,
        caller,
        project,
        id,
        { status: 'pushed', envOverrides, ...version, group },
        {
          event: `Queued ${data.image}`,
          action,
          details: {
            image: data.image,
            rolledBackFrom: data.rolledBackFromId ?? null,
            // Keys only: values, secret or not, stay out of the audit log.
            ...envOverrideKeys(envOverrides),
          },
        },
      );
      // The project's desired state is the default group's; a preview runs while its group exists.
      if (group === DEFAULT_GROUP) await projectRepo.setDesiredState(project.id, 'running', tx);
      await enqueue(tx, deployJob, { deploymentId: id, projectId: project.id });
    }),
  );
  return getDeployment(project, id);
}

const expiryFrom = (expire: number | undefined) =>
  expire === undefined ? null : new Date(Date.now() + expire);

/** The keys of a deployment's overrides for its audit entry (none: nothing added). */
function envOverrideKeys(overrides: StoredEnvOverride[] = []) {
  return overrides.length === 0
    ? {}
    : {
        envOverrideKeys: overrides.map((v) => v.key),
        secretEnvOverrideKeys: overrides.filter((v) => v.secret).map((v) => v.key),
      };
}

export async function createDeployment(
  caller: Caller,
  project: Project,
  input: z.output<typeof createDeploymentInput>,
) {
  const envOverrides = sealEnvOverrides(project.name, input.envOverrides);
  const placement = { group: input.group, expiresAt: expiryFrom(input.expire) };
  if (input.git) {
    if (input.image) throw new AppError('BAD_REQUEST', 'Give either an image or --git, not both.');
    if (input.envOverrides.length > 0)
      throw new AppError(
        'BAD_REQUEST',
        "A server build from git takes the project's env vars; drop -e/--env-file.",
      );
    return getDeployment(project, await queueManualGitDeployment(caller, project, input.ref, placement));
  }
  if (input.image) {
    assertProjectMayRun(project, input.image);
    return queueDeployment(
      caller,
      project,
      { image: input.image, envOverrides, ...placement },
      'deployment.create',
    );
  }
  // Built by the client: the id names the image tag, so the row exists before the build starts.
  const id = await withNewDeploymentId((id) =>
    inTransaction((tx: Tx) =>
      insertDeployment(
        tx,
        caller,
        project,
        id,
        { status: 'pending', envOverrides, ...placement },
        {
          event: 'Waiting for the image to be built and pushed',
          action: 'deployment.create',
          details: { build: 'client', ...envOverrideKeys(envOverrides) },
        },
      ),
    ),
  );
  return getDeployment(project, id);
}

const REPORT_TRANSITIONS = {
  building: { from: ['pending'], message: 'Building the image' },
  pushing: { from: ['building'], message: 'Pushing the image' },
  pushed: { from: ['pushing'], message: 'Image pushed' },
  failed: { from: ['pending', 'building', 'pushing'], message: 'Build failed' },
} as const;

/** A client's build progress; `pushed` pins the digest and queues the deploy in the same transaction. */
export async function reportDeployment(
  caller: Caller,
  project: Project,
  input: z.output<typeof reportDeploymentInput>,
) {
  const deployment = await deploymentRepo.findInProject(project.id, input.deployment);
  if (!deployment) throw notFound(`Deployment '${input.deployment}' not found in project '${project.name}'.`);
  const step = REPORT_TRANSITIONS[input.phase];
  if (input.phase === 'pushed') assertProjectMayRun(project, input.image);
  const moved = await inTransaction(async (tx: Tx) => {
    const data =
      input.phase === 'pushed'
        ? { imageDigest: input.digest, image: input.image }
        : input.phase === 'failed'
          ? { error: input.error, terminationReason: 'failed' as const }
          : {};
    if (!(await deploymentRepo.transition(deployment.id, step.from, input.phase, data, tx))) return false;
    if (input.phase === 'pushed') {
      if (deployment.group === DEFAULT_GROUP) await projectRepo.setDesiredState(project.id, 'running', tx);
      await enqueue(tx, deployJob, { deploymentId: deployment.id, projectId: project.id });
    }
    const detail =
      input.phase === 'pushed'
        ? `: ${input.image}@${input.digest}`
        : input.phase === 'failed'
          ? `: ${input.error}`
          : '';
    await deploymentRepo.addEvent(
      deployment.id,
      `${step.message}${detail}`,
      input.phase === 'failed' ? 'error' : 'info',
      tx,
    );
    await recordAudit(
      caller,
      {
        action: `deployment.${input.phase}`,
        targetType: 'deployment',
        targetId: deployment.id,
        targetName: deployment.id,
        projectId: project.id,
        teamId: project.ownerTeamId,
      },
      tx,
    );
    return true;
  });
  if (!moved) {
    throw new AppError(
      'PRECONDITION_FAILED',
      `Deployment '${deployment.id}' is ${deployment.status}; it cannot move to ${input.phase}.`,
    );
  }
  return getDeployment(project, deployment.id);
}

/**
 * A page of the project's deployments, newest first; the next page starts after the last id. One
 * group's (default: `default`), or every group's with `allGroups`.
 */
export async function listDeployments(project: Project, page: z.output<typeof listDeploymentsInput>) {
  const group = page.allGroups ? undefined : (page.group ?? DEFAULT_GROUP);
  return (await deploymentRepo.listForProject(project.id, page.limit, page.cursor ?? undefined, group)).map(
    toView,
  );
}

export async function getDeployment(project: Project, id: string) {
  const deployment = await deploymentRepo.findInProject(project.id, id);
  if (!deployment)
    throw notFound(
      `Deployment '${id}' not found in project '${project.name}'. List them with \`rise d ls ${project.name}\`.`,
    );
  return toView(deployment);
}

/**
 * A new deployment of an earlier deployment's pinned digest (no rebuild), in the group rolled back:
 * `input.group` (default: the named deployment's group, else `default`).
 */
export async function rollbackDeployment(
  caller: Caller,
  project: Project,
  input: { deployment?: string; group?: string } = {},
) {
  const targetId = input.deployment;
  const named = targetId ? await deploymentRepo.findInProject(project.id, targetId) : null;
  if (targetId && !named) throw notFound(`Deployment '${targetId}' not found in project '${project.name}'.`);
  const group = input.group ?? named?.group ?? DEFAULT_GROUP;
  const target =
    named ?? (await deploymentRepo.findRollbackTarget(project.id, group, await activeIn(project, group)));
  if (!target) {
    throw new AppError(
      'PRECONDITION_FAILED',
      `${group === DEFAULT_GROUP ? `Project '${project.name}'` : `Group '${group}' of '${project.name}'`} has no earlier deployment to roll back to.`,
    );
  }
  return deployAgain(caller, project, target, 'deployment.rollback', {
    trigger: 'rollback',
    rolledBackFromId: target.id,
    keepEnvOverrides: true,
    group,
  });
}

/** The active deployment of one of the project's groups. */
async function activeIn(project: Project, group: string): Promise<string | null> {
  if (group === DEFAULT_GROUP) return project.activeDeploymentId;
  return (await deploymentGroupRepo.find(project.id, group))?.activeDeploymentId ?? null;
}

/**
 * A new deployment of `target`'s pinned digest (no rebuild, no new pull) with the project's current
 * env vars and settings, started blue/green beside the running version: rollback, redeploy, restart
 * and start are all this. `keepEnvOverrides`: `target`'s own env overrides (`rise d c -e`) apply again
 * (rollback, restart, start); a redeploy runs with the project's env vars alone.
 */
async function deployAgain(
  caller: Caller,
  project: Project,
  target: DeploymentRecord,
  action: string,
  options: {
    trigger?: 'manual' | 'rollback';
    rolledBackFromId?: string;
    keepEnvOverrides?: boolean;
    group?: string;
  } = {},
) {
  if (!target.image || !target.imageDigest || !target.healthyAt) {
    throw new AppError(
      'PRECONDITION_FAILED',
      `Deployment '${target.id}' never ran successfully; pick one that did.`,
    );
  }
  if (target.imageRemovedAt) throw imageRemoved(target.id);
  // Its pinned digest is reused as it is; the image must still be one this project may run.
  assertProjectMayRun(project, target.image);
  return queueDeployment(
    caller,
    project,
    {
      image: target.image,
      imageDigest: target.imageDigest,
      rolledBackFromId: options.rolledBackFromId,
      envOverrides: options.keepEnvOverrides ? target.envOverrides : [],
      group: options.group,
      trigger: options.trigger ?? 'manual',
      gitRef: target.gitRef,
      commitSha: target.commitSha,
      commitMessage: target.commitMessage,
      commitAuthor: target.commitAuthor,
    },
    action,
  );
}

/** Refused before anything is queued: the engine could only fail pulling a digest that is gone. */
const imageRemoved = (id: string) =>
  new AppError(
    'PRECONDITION_FAILED',
    `The image of deployment '${id}' was removed by image retention (RISE_IMAGE_RETENTION=${env.RISE_IMAGE_RETENTION} keeps the images of each project's newest ${env.RISE_IMAGE_RETENTION} deployments): it can no longer run. Roll back to a newer deployment, or deploy that version again from source.`,
  );

const neverDeployed = (project: Project) =>
  new AppError(
    'PRECONDITION_FAILED',
    `Project '${project.name}' has never run; deploy it first: \`rise d c ${project.name}\` in a directory with a Dockerfile, or \`rise d c ${project.name} --image <ref>\`.`,
  );

/** The version a redeploy or restart runs again: the active one, else (stopped) the last that ran. */
async function currentVersion(project: Project) {
  const active = project.activeDeploymentId
    ? await deploymentRepo.findInProject(project.id, project.activeDeploymentId)
    : null;
  const current = active?.healthyAt ? active : await deploymentRepo.findLatestRunnable(project.id);
  if (!current?.image || !current.imageDigest) throw neverDeployed(project);
  return current;
}

/** Applies changed env vars and settings: the current version again, as a new deployment. */
export async function redeployProject(caller: Caller, project: Project) {
  return deployAgain(caller, project, await currentVersion(project), 'deployment.redeploy');
}

/**
 * Replaces the running instances by fresh ones of the same pinned image, blue/green, so the app keeps
 * serving throughout (an in-place restart would drop requests while it stops). Like any new instance,
 * they read the project's current env vars, and the running deployment's own overrides apply again.
 */
export async function restartProject(caller: Caller, project: Project & Pick<ProjectRecord, 'desiredState'>) {
  if (project.desiredState !== 'running' || !project.activeDeploymentId) {
    if (!(await deploymentRepo.findLatestRunnable(project.id))) throw neverDeployed(project);
    throw new AppError(
      'PRECONDITION_FAILED',
      project.desiredState === 'stopped'
        ? `Project '${project.name}' is stopped: there is nothing to restart. Start it or redeploy it instead.`
        : `Project '${project.name}' has no version running (its latest deployment is in progress or failed): there is nothing to restart. Redeploy it instead.`,
    );
  }
  return deployAgain(caller, project, await currentVersion(project), 'deployment.restart', {
    keepEnvOverrides: true,
  });
}

/** Starts a stopped project again with the last version that ran. */
export async function startProject(caller: Caller, project: Project) {
  const latest = await deploymentRepo.findLatestRunnable(project.id);
  if (!latest) throw neverDeployed(project);
  return deployAgain(caller, project, latest, 'project.start', { keepEnvOverrides: true });
}

export async function stopProjectRequest(caller: Caller, project: Project) {
  await inTransaction(async (tx: Tx) => {
    await projectRepo.setDesiredState(project.id, 'stopped', tx);
    await enqueue(tx, stopJob, { projectId: project.id });
    await recordAudit(
      caller,
      {
        action: 'project.stop',
        ...projectAuditTarget(project),
      },
      tx,
    );
  });
  return { project: project.name, desiredState: 'stopped' as const };
}

export async function cancelDeployment(caller: Caller, project: Project, id: string) {
  const deployment = await deploymentRepo.findInProject(project.id, id);
  if (!deployment) throw notFound(`Deployment '${id}' not found in project '${project.name}'.`);
  const queued = deployment.status === 'pending' || deployment.status === 'pushed';
  const running = ['building', 'pushing', 'deploying'].includes(deployment.status);
  const moved = await inTransaction(async (tx: Tx) => {
    const ok = queued
      ? await deploymentRepo.transition(
          id,
          deployment.status,
          'cancelled',
          { terminationReason: 'cancelled' },
          tx,
        )
      : running && (await deploymentRepo.transition(id, deployment.status, 'cancelling', {}, tx));
    if (ok) {
      await deploymentRepo.addEvent(id, queued ? 'Cancelled before it started' : 'Cancelling…', 'warn', tx);
      await recordAudit(
        caller,
        {
          action: 'deployment.cancel',
          targetType: 'deployment',
          targetId: id,
          targetName: id,
          projectId: project.id,
          teamId: project.ownerTeamId,
        },
        tx,
      );
    }
    return ok;
  });
  if (!moved) {
    throw new AppError(
      'PRECONDITION_FAILED',
      `Deployment '${id}' is ${deployment.status}; only queued or running deployments can be cancelled.`,
    );
  }
  return getDeployment(project, id);
}

/** Fails a deployment the engine could not finish (an error escaped it); no-op once it has ended. */
export async function failDeployment(deploymentId: string, reason: string) {
  const error = reason.slice(0, 2000);
  if (
    await deploymentRepo.transition(deploymentId, ['pushed', 'deploying', 'cancelling'], 'failed', {
      error,
      terminationReason: 'failed',
    })
  )
    await deploymentRepo.addEvent(deploymentId, `Deployment failed: ${error}`, 'error');
}
