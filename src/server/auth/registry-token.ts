import { decideRegistryAccess } from '@/server/domains/registry-access/registry-access.service';
import { tokenServiceConfig } from '@/server/registry/config';
import { verifyCredential } from '@/server/registry/registry-credential';
import { issueRegistryToken, type TokenResponse } from '@/server/registry/token-service';

/**
 * The registry's token endpoint put together: the protocol (registry/token-service.ts) asks the
 * registry-access domain who may pull or push what; registry passwords are checked with this
 * installation's signing key.
 */
export async function answerRegistryTokenRequest(request: {
  authorization: string | null;
  params: URLSearchParams;
}): Promise<TokenResponse> {
  const config = tokenServiceConfig();
  return issueRegistryToken(config, request, (login, scopes) =>
    decideRegistryAccess(login, scopes, async (password) =>
      verifyCredential(await config.signingKey(), password, config.issuer),
    ),
  );
}
