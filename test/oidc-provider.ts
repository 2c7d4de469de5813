import { createServer, type Server } from 'node:http';
import Provider from 'oidc-provider';
import { freePort } from '@/server/platform/free-port';

export type TestIdentity = { sub: string; email: string; name: string; preferred_username: string };

/**
 * A real OpenID Provider (npm `oidc-provider`) on 127.0.0.1 with one confidential client. Its built-in
 * development login accepts any login name; `identities` maps that name to the claims it returns.
 */
export async function startOidcProvider(options: {
  redirectUri: string;
  identities: Record<string, TestIdentity>;
  clientId?: string;
  clientSecret?: string;
}) {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const clientId = options.clientId ?? 'rise';
  const clientSecret = options.clientSecret ?? 'rise-test-secret';
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [options.redirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code'],
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'preferred_username'] },
    findAccount: async (_ctx, id) => {
      const identity = options.identities[id];
      if (!identity) return undefined;
      return { accountId: id, claims: async () => ({ ...identity, email_verified: true }) };
    },
    features: { devInteractions: { enabled: true } },
    // Put scope claims (email, name) in the ID token, as Dex, Keycloak and Google do.
    conformIdTokenClaims: false,
    cookies: { keys: ['rise-test-cookie-key'] },
  });
  const server: Server = createServer(provider.callback());
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    issuer,
    clientId,
    clientSecret,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
