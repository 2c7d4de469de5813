import { reconcile } from '@/server/domains/deployments/reconcile';
import { projectRepo } from '@/server/domains/projects/project.repo';
import { engineDeps } from '../engine';

/**
 * Reconciles each runtime's projects with its own runtime and router: Docker always (it also clears
 * Caddy routes and containers of projects that moved away), Kubernetes only while a project uses it,
 * so installations without a cluster never reach for one.
 */
export async function handleReconcile() {
  const docker = await reconcile(engineDeps('docker'), new Date(), { runtime: 'docker' });
  if (!(await projectRepo.anyOnRuntime('kubernetes'))) return docker;
  const kubernetes = await reconcile(engineDeps('kubernetes'), new Date(), { runtime: 'kubernetes' });
  return { docker, kubernetes };
}
