import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DeploymentStatus } from '@/generated/prisma/enums';
import type { Tx } from '@/server/db';
import { type ClonedCommit, type CloneRequest, gitAuthFor } from '@/server/git/git-clone';
import { deployJob } from '@/server/jobs/definitions/deploy.job';
import { enqueue } from '@/server/jobs/enqueue';
import { inTransaction } from '@/server/transaction';
import type { BaseImages } from '@/shared/builders';
import type { BuilderBackend } from '@/shared/builders/backends';
import { DEFAULT_GROUP, formatRemaining } from '@/shared/deployment-groups';
import { baseImagesFromToml, parseRiseToml, RISE_TOML, type RiseToml } from '@/shared/rise-toml';
import { deploymentRepo } from '../deployments/deployment.repo';
import { resolveGitSourceForBuild } from '../git-sources/git-source.service';
import { projectRepo } from '../projects/project.repo';
import { failAbandonedBuild } from './fail-abandoned-build';
import { gitBuildRepo } from './git-build.repo';
import { ServerBuildLog } from './server-build-log';

/** What a server build needs from the machine: git, the image builder and the registry push. */
export type GitBuildDeps = {
  clone(request: CloneRequest): Promise<ClonedCommit>;
  build(input: {
    backend: BuilderBackend;
    context: string;
    dockerfile?: string;
    /** Buildpacks builder image (.rise.toml [build] `builder`). */
    builder?: string;
    /** Base images .rise.toml [build] sets; the server's RISE_BUILD_* defaults fill in the rest. */
    images: Partial<BaseImages>;
    tag: string;
    project: string;
    onLog: (line: string) => void;
    signal: AbortSignal;
  }): Promise<void>;
  /** Pushes `reference` with credentials for this project and deployment only; returns the digest. */
  push(
    reference: string,
    target: { project: string; deploymentId: string },
    onLog: (line: string) => void,
    signal: AbortSignal,
  ): Promise<string>;
  /** `<registry host>/<repository>` the project's images are pushed to. */
  repositoryOf(project: string): string;
  /** How often the build checks whether it was cancelled (ms). */
  cancelPollMs?: number;
  /** How long one attempt may run before it is stopped and fails (RISE_BUILD_TIMEOUT). */
  timeoutMs: number;
};

/** Which attempt of the build's job this is: the last one settles the deployment whatever happens. */
export type BuildAttempt = { retryCount: number; retryLimit: number };

/** A step of the build that failed, with what it said last. */
class StepFailed extends Error {
  constructor(
    readonly step: string,
    readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

const BUILDING: readonly DeploymentStatus[] = ['pending', 'building', 'pushing'];

/**
 * Builds a `pending` deployment from its project's git source: clone, `.rise.toml` [build] settings,
 * build, push to Rise's registry, then `pushed` and the deploy job, like a client build's report. A
 * `building`/`pushing` one (a previous attempt's worker died) is built again from scratch, after the
 * dead attempt's work directory is removed. A deployment cancelled meanwhile (`cancelling`) has its
 * git and build processes stopped and ends `cancelled`; a failed step ends it `failed` with the step
 * and the last lines of output, and so does an attempt that runs longer than `deps.timeoutMs` (its
 * processes stopped like a cancel's). `signal` (the job given up: worker shutdown, expiry) stops the
 * build and rethrows, so the job's retry builds it again; on the last attempt it ends `failed` instead.
 */
export async function runGitBuild(
  deps: GitBuildDeps,
  payload: { deploymentId: string; projectId: string },
  signal: AbortSignal,
  attempt: BuildAttempt,
): Promise<void> {
  const deployment = await deploymentRepo.findById(payload.deploymentId);
  if (!deployment || deployment.projectId !== payload.projectId) return;
  const id = deployment.id;
  if (deployment.status === 'cancelling') return finishCancelled(id);
  if (!BUILDING.includes(deployment.status)) return;
  let status: DeploymentStatus = deployment.status;
  if (status === 'pending') {
    if (!(await deploymentRepo.transition(id, 'pending', 'building')))
      return runGitBuild(deps, payload, signal, attempt);
    status = 'building';
    await deploymentRepo.addEvent(id, 'Building on the server from git', 'info');
  } else {
    await deploymentRepo.addEvent(id, `The build was interrupted while ${status}: building again`, 'warn');
  }

  await removeWorkDirs(id);
  // Before any timer starts: an error here leaves nothing running (the job's retry deals with it).
  const workDir = await mkdtemp(path.join(tmpdir(), `${WORK_DIR_PREFIX}${id}-`));
  const log = new ServerBuildLog(payload.projectId, id);
  const abort = new AbortController();
  let cancelled = false;
  let timedOut = false;
  let current = 'source';
  const timeout = setTimeout(() => {
    timedOut = true;
    abort.abort();
  }, deps.timeoutMs);
  const onJobAbort = () => abort.abort();
  signal.addEventListener('abort', onJobAbort);
  const watcher = setInterval(async () => {
    if ((await gitBuildRepo.status(id).catch(() => null)) === 'cancelling') {
      cancelled = true;
      abort.abort();
    }
  }, deps.cancelPollMs ?? 1000);
  const step = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
    current = name;
    try {
      if (abort.signal.aborted) throw new Error('The build was stopped.');
      return await run();
    } catch (error) {
      throw new StepFailed(name, error);
    }
  };
  try {
    const source = await resolveGitSourceForBuild(payload.projectId);
    if (!source)
      throw new StepFailed('source', new Error(`Project '${deployment.project.name}' has no git source.`));
    const ref = deployment.gitRef ?? source.branch;
    log.add(`Cloning ${source.repositoryUrl} (${deployment.commitSha ?? ref})`);
    const checkout = path.join(workDir, 'src');
    const commit = await step('clone', () =>
      deps.clone({
        url: source.repositoryUrl,
        ref,
        sha: deployment.commitSha,
        submodules: source.submodules,
        auth: gitAuthFor(source, source.repositoryUrl),
        dir: checkout,
        onLog: log.add,
        signal: abort.signal,
      }),
    );
    await gitBuildRepo.recordCommit(id, commit);
    log.add(`Checked out ${commit.sha}: ${commit.message.split('\n')[0] ?? ''}`);
    const root = inside(checkout, source.rootDirectory || '.', 'Root directory');
    const settings = await step('config', async () => {
      const build = (await readRiseTomlIn(root))?.build;
      if (build)
        log.add(
          `Using [build] of ${RISE_TOML}${source.dockerfile ? ' (the git source sets the Dockerfile)' : ''}`,
        );
      return {
        // The git source's own Dockerfile wins over .rise.toml's backend and Dockerfile: it is this
        // project's setting, the file is the repository's. Context and base images still come from the file.
        backend: source.dockerfile ? ('dockerfile' as const) : (build?.backend ?? 'auto'),
        dockerfile: source.dockerfile ?? build?.dockerfile,
        context: inside(
          checkout,
          path.join(source.rootDirectory || '.', build?.context ?? '.'),
          'Build context',
        ),
        builder: build?.builder,
        images: baseImagesFromToml(build),
      };
    });
    const reference = `${deps.repositoryOf(deployment.project.name)}:${id}`;
    await step('build', () =>
      deps.build({
        ...settings,
        tag: reference,
        project: deployment.project.name,
        onLog: log.add,
        signal: abort.signal,
      }),
    );
    if (status === 'building') {
      if (!(await deploymentRepo.transition(id, 'building', 'pushing')))
        throw new StepFailed('push', moved(id));
      status = 'pushing';
      await deploymentRepo.addEvent(id, 'Pushing the image', 'info');
    }
    const digest = await step('push', () =>
      deps.push(reference, { project: deployment.project.name, deploymentId: id }, log.add, abort.signal),
    );
    await log.flush();
    const pushed = await inTransaction(async (tx: Tx) => {
      if (
        !(await deploymentRepo.transition(
          id,
          'pushing',
          'pushed',
          { imageDigest: digest, image: reference },
          tx,
        ))
      )
        return false;
      if (deployment.group === DEFAULT_GROUP)
        await projectRepo.setDesiredState(payload.projectId, 'running', tx);
      await enqueue(tx, deployJob, { deploymentId: id, projectId: payload.projectId });
      await deploymentRepo.addEvent(id, `Image pushed: ${reference}@${digest}`, 'info', tx);
      return true;
    });
    if (!pushed) throw new StepFailed('push', moved(id));
  } catch (error) {
    await log.flush();
    if (cancelled || (await gitBuildRepo.status(id)) === 'cancelling') return finishCancelled(id);
    const failed = error instanceof StepFailed ? error : new StepFailed(current, error);
    let headline = `Build failed at step '${failed.step}': ${failed.message}`;
    if (timedOut) headline = `Build timed out after ${formatRemaining(deps.timeoutMs)} at step '${current}'`;
    else if (signal.aborted) {
      if (attempt.retryCount < attempt.retryLimit) throw error;
      headline = `Build interrupted at step '${current}' (its job was given up: the worker stopped or the job expired) with no retries left`;
    }
    const tail = log.lastLines();
    await failAbandonedBuild(id, [headline, ...(tail.length > 0 ? ['Last lines:', ...tail] : [])].join('\n'));
  } finally {
    clearTimeout(timeout);
    clearInterval(watcher);
    signal.removeEventListener('abort', onJobAbort);
    await rm(workDir, { recursive: true, force: true });
  }
}

const moved = (id: string) => new Error(`Deployment '${id}' changed state during the build.`);

const WORK_DIR_PREFIX = 'rise-build-';

/** Work directories a previous attempt at this build left behind on this machine (its worker was killed). */
export async function removeWorkDirs(id: string) {
  const prefix = `${WORK_DIR_PREFIX}${id}-`;
  const names = await readdir(tmpdir()).catch(() => [] as string[]);
  await Promise.all(
    names
      .filter((name) => name.startsWith(prefix))
      .map((name) => rm(path.join(tmpdir(), name), { recursive: true, force: true })),
  );
}

/** `relative` resolved under `checkout`; a path that leaves the repository fails the config step. */
function inside(checkout: string, relative: string, what: string): string {
  const resolved = path.resolve(checkout, relative);
  if (resolved !== checkout && !resolved.startsWith(`${checkout}${path.sep}`))
    throw new StepFailed('config', new Error(`${what} '${relative}' is outside the repository.`));
  return resolved;
}

/** The repository's `.rise.toml` at the source's root directory, validated by the CLI's own schema. */
async function readRiseTomlIn(dir: string): Promise<RiseToml | null> {
  const text = await readFile(path.join(dir, RISE_TOML), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  return text === null ? null : parseRiseToml(text);
}

async function finishCancelled(id: string) {
  if (await deploymentRepo.transition(id, 'cancelling', 'cancelled', { terminationReason: 'cancelled' }))
    await deploymentRepo.addEvent(id, 'Build cancelled', 'warn');
}
