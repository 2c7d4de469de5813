import { describe, expect, it } from 'vitest';
import {
  describeRegistryHealth,
  parseBearerChallenge,
  type RegistryExpectation,
} from './platform-health-registry.service';

const expected: RegistryExpectation = {
  host: '127.0.0.1:5000',
  realm: 'http://localhost:3000/api/registry/token',
  service: 'rise-registry',
  issuer: 'rise',
  certificatePath: '/srv/rise/registry-certs/rise-registry.crt',
};
const challenge = 'Bearer realm="http://localhost:3000/api/registry/token",service="rise-registry"';
const answered = (status: number, header: string | null, statusWithRiseToken: number | null = null) =>
  ({ kind: 'answered', status, challenge: header, statusWithRiseToken }) as const;

describe('describeRegistryHealth', () => {
  it('is ok when the registry challenges for Rise and accepts its tokens', () => {
    expect(describeRegistryHealth(expected, answered(401, challenge, 200))).toEqual({
      ok: true,
      detail: '127.0.0.1:5000: running, token auth by Rise',
    });
    // RISE_URL with 127.0.0.1 is the same realm as localhost (Rise normalizes its URL that way).
    const loopback = challenge.replace('localhost', '127.0.0.1');
    expect(describeRegistryHealth(expected, answered(401, loopback, 200)).ok).toBe(true);
  });

  it('says the local registry is not running, and how npm start runs it', () => {
    expect(
      describeRegistryHealth(expected, {
        kind: 'unreachable',
        code: 'ECONNREFUSED',
        message: 'fetch failed',
      }),
    ).toEqual({
      ok: false,
      detail:
        'not running at 127.0.0.1:5000 (connection refused) — npm start runs it when docker-registry is installed (Debian: apt-get install docker-registry)',
    });
  });

  it('points a remote registry at RISE_REGISTRY_HOST instead of npm start', () => {
    const remote = { ...expected, host: 'registry.example.com' };
    expect(
      describeRegistryHealth(remote, { kind: 'unreachable', code: 'ECONNREFUSED', message: 'fetch failed' })
        .detail,
    ).toBe(
      'not running at registry.example.com (connection refused) — check RISE_REGISTRY_HOST and that the registry runs',
    );
    expect(
      describeRegistryHealth(remote, { kind: 'unreachable', code: 'ENOTFOUND', message: 'fetch failed' })
        .detail,
    ).toBe('registry.example.com does not resolve (ENOTFOUND) — check RISE_REGISTRY_HOST');
  });

  it('names the internal address it probed and RISE_REGISTRY_INTERNAL_URL when that is set', () => {
    const compose = { ...expected, internalUrl: 'http://registry:5000' };
    expect(describeRegistryHealth(compose, answered(401, challenge, 200))).toEqual({
      ok: true,
      detail: '127.0.0.1:5000 (at http://registry:5000): running, token auth by Rise',
    });
    expect(
      describeRegistryHealth(compose, { kind: 'unreachable', code: 'ECONNREFUSED', message: 'fetch failed' })
        .detail,
    ).toBe(
      'not running at 127.0.0.1:5000 (at http://registry:5000) (connection refused) — check RISE_REGISTRY_INTERNAL_URL and that the registry runs',
    );
    expect(
      describeRegistryHealth(compose, { kind: 'unreachable', code: 'EAI_AGAIN', message: 'fetch failed' })
        .detail,
    ).toBe('registry:5000 does not resolve (EAI_AGAIN) — check RISE_REGISTRY_INTERNAL_URL');
  });

  it('reports a silent port and unknown failures with what was seen', () => {
    expect(
      describeRegistryHealth(expected, { kind: 'unreachable', code: 'TIMEOUT', message: '2.5 s' }).detail,
    ).toBe('no answer from 127.0.0.1:5000 within 2.5 s — is something else listening on that port?');
    expect(
      describeRegistryHealth(expected, { kind: 'unreachable', code: null, message: 'bad port' }).detail,
    ).toMatch(/^cannot reach 127\.0\.0\.1:5000 \(bad port\) — npm start runs it/);
  });

  it('refuses a registry without token auth', () => {
    const health = describeRegistryHealth(expected, answered(200, null));
    expect(health.ok).toBe(false);
    expect(health.detail).toBe(
      "127.0.0.1:5000 runs without token auth: anyone who reaches it can push and pull any project's images — " +
        'configure auth.token (realm http://localhost:3000/api/registry/token, service rise-registry, issuer rise, ' +
        'rootcertbundle /srv/rise/registry-certs/rise-registry.crt)',
    );
  });

  it('names a wrong realm and a wrong service', () => {
    const other = 'Bearer realm="http://rise.internal:3000/api/registry/token",service="other"';
    expect(describeRegistryHealth(expected, answered(401, other, 401)).detail).toBe(
      'token auth misconfigured (its realm is http://rise.internal:3000/api/registry/token, ' +
        "Rise's token endpoint is http://localhost:3000/api/registry/token: set auth.token.realm, or RISE_URL; " +
        "its service is other, Rise's RISE_REGISTRY_SERVICE is rise-registry)",
    );
  });

  it("names the issuer and certificate when the registry rejects Rise's tokens", () => {
    expect(describeRegistryHealth(expected, answered(401, challenge, 401))).toEqual({
      ok: false,
      detail:
        'token auth misconfigured (it rejects tokens Rise signs: its auth.token.issuer must be RISE_REGISTRY_ISSUER (rise) ' +
        "and its rootcertbundle Rise's certificate /srv/rise/registry-certs/rise-registry.crt)",
    });
  });

  it('reports other answers as they are', () => {
    expect(describeRegistryHealth(expected, answered(502, null)).detail).toBe(
      '127.0.0.1:5000 answered HTTP 502 on /v2/',
    );
    expect(describeRegistryHealth(expected, answered(401, 'Basic realm="Registry"')).detail).toBe(
      'token auth misconfigured (127.0.0.1:5000 asks for "Basic realm="Registry"", not a Bearer token from Rise) — ' +
        'configure auth.token with realm http://localhost:3000/api/registry/token',
    );
  });
});

describe('parseBearerChallenge', () => {
  it('reads quoted and bare parameters', () => {
    expect(parseBearerChallenge('Bearer realm="https://r/t",service=reg,scope="repository:a:pull"')).toEqual({
      realm: 'https://r/t',
      service: 'reg',
      scope: 'repository:a:pull',
    });
    expect(parseBearerChallenge('Basic realm="x"')).toBeNull();
  });
});
