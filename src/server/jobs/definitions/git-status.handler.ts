import type { CommitState } from '@/server/domains/git-status/commit-state';
import { guardedForgeHttp } from '@/server/domains/git-status/forge-http';
import { reportGitStatus } from '@/server/domains/git-status/report-git-status';
import { outboundGuard } from '@/server/security/outbound-guard';

export async function handleGitStatus(payload: { deploymentId: string; state: CommitState }) {
  return reportGitStatus(guardedForgeHttp(outboundGuard()), payload);
}
