import type { InstanceExit } from '@/server/runtime/types';
import type { EngineDeps } from './engine-deps';
import { LIVE } from './state-machine';

/**
 * Whether the instance that stopped is the active one of a live app meant to run: then it crashed and
 * the reconciler must see to it. An instance stopped on purpose (the old slot of a deploy, a stopped
 * project, a removed deployment) is not: by the time it stops, it is no longer active.
 */
export async function exitIsCrash(deps: Pick<EngineDeps, 'repos'>, exit: InstanceExit): Promise<boolean> {
  const [owner] = await deps.repos.deployments.findOwners([exit.deploymentId]);
  if (!owner || !LIVE.includes(owner.status)) return false;
  const project = await deps.repos.projects.findForDeploy(owner.projectId, owner.group);
  return project?.desiredState === 'running' && project.activeDeploymentId === owner.id;
}

/**
 * Makes the reconciler see crashes as they happen rather than at its next scheduled pass: on every
 * crash the runtime tells of (see `exitIsCrash`), and whenever its event stream resumes after a gap,
 * `reconcileSoon` is called: one call at a time; what comes meanwhile makes one more call afterwards.
 * Reconciling is idempotent, so a call too many costs a pass, never a wrong restart. Errors are
 * logged, never thrown. Returns the stop function, or null when the runtime tells nothing of exits.
 */
export function watchCrashes(
  deps: Pick<EngineDeps, 'repos' | 'runtime'>,
  reconcileSoon: () => Promise<void>,
  log: (line: string) => void,
): (() => void) | null {
  if (!deps.runtime.watchExits) return null;
  let running = false;
  let again = false;
  const failed = (error: unknown) =>
    log(`crash watch: could not trigger a reconcile: ${error instanceof Error ? error.message : error}`);
  const trigger = () => {
    if (running) {
      again = true;
      return;
    }
    running = true;
    again = false;
    reconcileSoon()
      .catch(failed)
      .finally(() => {
        running = false;
        if (again) trigger();
      });
  };
  return deps.runtime.watchExits({
    onExit: (exit) => {
      exitIsCrash(deps, exit).then((crashed) => {
        if (!crashed) return;
        log(`crash watch: ${exit.project} (${exit.deploymentId}) exited with code ${exit.exitCode ?? '?'}`);
        trigger();
      }, failed);
    },
    onResumed: trigger,
    log,
  });
}
