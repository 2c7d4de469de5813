import { cronRepo } from '@/server/domains/cron/cron.repo';
import { runCronJob } from '@/server/domains/cron/cron.service';
import { DEFAULT_RUNTIME } from '@/shared/runtimes';
import { engineDeps } from '../engine';

export async function handleProjectCron(payload: { cronJobId: string }) {
  const job = await cronRepo.findJob(payload.cronJobId);
  if (!job) return { status: 'gone' };
  return runCronJob(engineDeps(job.project.runtime ?? DEFAULT_RUNTIME), payload.cronJobId);
}
