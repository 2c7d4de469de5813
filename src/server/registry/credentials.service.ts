import type { Caller } from '@/server/domains/access/caller';
import { recordAudit } from '@/server/domains/audit/audit.service';
import { registryProvider } from './providers';
import type { RegistryCredentials, RegistryProject, RegistryProvider } from './providers/types';

/** Push credentials for `project` (already authorized for project:deploy); audited without the secret. */
export async function issueRegistryCredentials(
  caller: Caller,
  project: RegistryProject,
  provider: RegistryProvider = registryProvider(),
): Promise<RegistryCredentials> {
  const credentials = await provider.credentials(project, caller);
  await recordAudit(caller, {
    action: 'registry.credentials',
    targetType: 'project',
    targetId: project.id,
    targetName: project.name,
    details: {
      provider: provider.kind,
      host: credentials.host,
      repository: credentials.repository,
      username: credentials.username,
      expiresAt: credentials.expiresAt.toISOString(),
    },
  });
  return credentials;
}
