import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeJwt, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRegistrySigningKey, type RegistrySigningKey } from './signing-key';
import {
  issueRegistryToken,
  parseBasicAuth,
  parseScope,
  parseTokenRequest,
  type RegistryAccessDecider,
  type TokenServiceConfig,
} from './token-service';

describe('registry token request parsing', () => {
  it('reads repeated scope parameters, service and account', () => {
    const params = new URLSearchParams();
    params.set('account', 'alice');
    params.set('service', 'rise-registry');
    params.append('scope', 'repository:project-b:push,pull');
    params.append('scope', 'repository:project-a:pull');
    expect(parseTokenRequest(params)).toEqual({
      account: 'alice',
      service: 'rise-registry',
      scopes: [
        { type: 'repository', name: 'project-b', actions: ['push', 'pull'] },
        { type: 'repository', name: 'project-a', actions: ['pull'] },
      ],
    });
  });

  it('keeps names with colons and slashes, ignores malformed scopes', () => {
    expect(parseScope('repository:host:5000/a/b:pull')).toEqual({
      type: 'repository',
      name: 'host:5000/a/b',
      actions: ['pull'],
    });
    expect(parseScope('registry:catalog:*')).toEqual({ type: 'registry', name: 'catalog', actions: ['*'] });
    expect(parseScope('nonsense')).toBeNull();
    expect(parseTokenRequest(new URLSearchParams('scope=bad')).scopes).toEqual([]);
  });

  it('decodes Basic credentials whose password contains colons', () => {
    const header = `Basic ${Buffer.from('alice:pa:ss').toString('base64')}`;
    expect(parseBasicAuth(header)).toEqual({ username: 'alice', password: 'pa:ss' });
    expect(parseBasicAuth('Bearer x')).toBeNull();
    expect(parseBasicAuth(null)).toBeNull();
  });
});

describe('issueRegistryToken', () => {
  let dataDir: string;
  let key: RegistrySigningKey;
  const issuedAt = new Date('2030-01-02T03:04:05Z');
  const config = (): TokenServiceConfig => ({
    service: 'rise-registry',
    issuer: 'rise',
    tokenTtlSeconds: 300,
    signingKey: async () => key,
    now: () => issuedAt,
  });
  const request = (query: string, authorization: string | null = basic('alice', 'secret')) => ({
    authorization,
    params: new URLSearchParams(query),
  });
  const basic = (username: string, password: string) =>
    `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  const asked: { login: { username: string; password: string }; scopes: unknown }[] = [];
  const grantingPull: RegistryAccessDecider = async (login, scopes) => {
    asked.push({ login, scopes });
    return login.password === 'secret'
      ? {
          subject: login.username,
          access: [{ type: 'repository', name: 'web', actions: ['pull'] }],
          notAfter: null,
        }
      : null;
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'rise-token-service-'));
    key = await ensureRegistrySigningKey(dataDir);
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('signs what the decider grants, for the parsed request, issued by the configured clock', async () => {
    asked.length = 0;
    const response = await issueRegistryToken(
      config(),
      request('service=rise-registry&scope=repository:web:pull,push'),
      grantingPull,
    );
    expect(asked).toEqual([
      {
        login: { username: 'alice', password: 'secret' },
        scopes: [{ type: 'repository', name: 'web', actions: ['pull', 'push'] }],
      },
    ]);
    if (response.status !== 200) throw new Error(`expected 200, got ${response.status}`);
    expect(response.body.expires_in).toBe(300);
    expect(response.body.issued_at).toBe(issuedAt.toISOString());
    const { payload } = await jwtVerify(response.body.token, key.publicKey, {
      issuer: 'rise',
      audience: 'rise-registry',
      currentDate: issuedAt,
    });
    expect(payload).toMatchObject({
      sub: 'alice',
      iat: issuedAt.getTime() / 1000,
      exp: issuedAt.getTime() / 1000 + 300,
      access: [{ type: 'repository', name: 'web', actions: ['pull'] }],
    });
  });

  it('ends the token when the credential it was exchanged for ends, and never after 15 minutes', async () => {
    const notAfter = new Date(issuedAt.getTime() + 42_000);
    const shortLived = await issueRegistryToken(config(), request(''), async () => ({
      subject: 'alice',
      access: [],
      notAfter,
    }));
    if (shortLived.status !== 200) throw new Error(`expected 200, got ${shortLived.status}`);
    expect(shortLived.body.expires_in).toBe(42);
    expect(decodeJwt(shortLived.body.token).exp).toBe(notAfter.getTime() / 1000);

    const long = await issueRegistryToken(
      { ...config(), tokenTtlSeconds: 86_400 },
      request(''),
      grantingPull,
    );
    if (long.status !== 200) throw new Error(`expected 200, got ${long.status}`);
    expect(long.body.expires_in).toBe(900);
  });

  it('answers 401 without Basic credentials or when the decider refuses them, 400 for another service', async () => {
    asked.length = 0;
    const noCredentials = await issueRegistryToken(config(), request('', null), grantingPull);
    expect(noCredentials.status).toBe(401);
    expect(asked).toEqual([]);
    const refused = await issueRegistryToken(config(), request('', basic('alice', 'wrong')), grantingPull);
    expect(refused).toMatchObject({
      status: 401,
      body: {
        errors: [{ code: 'UNAUTHORIZED', message: expect.stringMatching(/Invalid, expired or revoked/) }],
      },
    });
    const otherService = await issueRegistryToken(config(), request('service=elsewhere'), grantingPull);
    expect(otherService).toMatchObject({ status: 400, body: { errors: [{ code: 'UNSUPPORTED' }] } });
  });
});
