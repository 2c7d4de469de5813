import type { Caller } from '@/server/domains/access/caller';
import { recordAudit } from '@/server/domains/audit/audit.service';
import type {
  RegistryCredentials,
  RegistryProject,
  RegistryProvider,
} from '@/server/registry/providers/types';
import type { CredentialSubject } from '@/server/registry/registry-credential';

const subjectOf = (caller: Caller): CredentialSubject =>
  caller.kind === 'user'
    ? { kind: 'user', userId: caller.user.id, username: caller.user.username }
    : {
        kind: 'service-account',
        serviceAccountId: caller.serviceAccount.id,
        name: caller.serviceAccount.name,
      };

/** Push credentials for `project` (already authorized for project:deploy); audited without the secret. */
export async function issueRegistryCredentials(
  caller: Caller,
  project: RegistryProject,
  provider: RegistryProvider,
): Promise<RegistryCredentials> {
  const credentials = await provider.credentials(project, subjectOf(caller));
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
