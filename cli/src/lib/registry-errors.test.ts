import { describe, expect, it } from 'vitest';
import { EXIT } from './errors';
import { registryProblem } from './registry-errors';

describe('registryProblem', () => {
  it('names an unreachable registry and how to start it, instead of docker’s dial error', () => {
    const output =
      'Error response from daemon: Get "http://127.0.0.1:5000/v2/": dial tcp 127.0.0.1:5000: connect: connection refused';
    const problem = registryProblem('127.0.0.1:5000', output);
    expect(problem?.exitCode).toBe(EXIT.unreachable);
    expect(problem?.message).toBe(
      "Rise's registry at 127.0.0.1:5000 is not reachable: start it (npm start runs it when `docker-registry` is installed: apt install docker-registry) or set RISE_REGISTRY_HOST on the Rise server to a registry this machine can reach.",
    );
    expect(problem?.message).not.toContain('dial tcp');
  });

  it('recognises an unknown registry host name and a timeout the same way', () => {
    for (const output of [
      'Error response from daemon: Get "https://registry.rise.dev/v2/": dial tcp: lookup registry.rise.dev on 127.0.0.53:53: no such host',
      'Error response from daemon: Get "https://registry.rise.dev/v2/": net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers): context deadline exceeded',
      'dial tcp 10.0.0.9:443: i/o timeout',
    ]) {
      expect(registryProblem('registry.rise.dev', output)?.message).toMatch(
        /^Rise's registry at registry\.rise\.dev is not reachable: start it/,
      );
    }
  });

  it('tells a registry that answers apart from a token service docker cannot reach', () => {
    const output =
      'Error response from daemon: Get "http://127.0.0.1:5000/v2/": Get "http://10.1.2.3:3000/api/registry/token?account=u&service=rise-registry": dial tcp 10.1.2.3:3000: connect: connection refused';
    const problem = registryProblem('127.0.0.1:5000', output);
    expect(problem?.message).toBe(
      "Rise's registry at 127.0.0.1:5000 sends Docker to http://10.1.2.3:3000 for a login token, and Docker cannot reach 10.1.2.3:3000: the registry's token realm (auth.token.realm in its config, Rise's /api/registry/token) must be an address this machine's Docker engine can reach.",
    );
  });

  it('explains a plain-HTTP registry that Docker refuses', () => {
    const problem = registryProblem(
      '10.0.0.5:5000',
      'Error response from daemon: Get "https://10.0.0.5:5000/v2/": http: server gave HTTP response to HTTPS client',
    );
    expect(problem?.message).toContain(
      'add "10.0.0.5:5000" to "insecure-registries" in /etc/docker/daemon.json',
    );
  });

  it('leaves other failures (bad credentials, a denied push) to docker’s own words', () => {
    expect(
      registryProblem('127.0.0.1:5000', 'Error response from daemon: login attempt failed: unauthorized'),
    ).toBeNull();
    expect(
      registryProblem('127.0.0.1:5000', 'denied: requested access to the resource is denied'),
    ).toBeNull();
  });
});
