import { CliError, EXIT } from './errors';

const UNREACHABLE =
  /connection refused|no such host|i\/o timeout|network is unreachable|no route to host|TLS handshake timeout|context deadline exceeded/i;
const PLAIN_HTTP = /server gave HTTP response to HTTPS client/i;

/** The host:port docker failed to dial (`dial tcp 127.0.0.1:5000: …`, `lookup registry.x …`), if it says. */
function dialedAddress(output: string): string | undefined {
  return /dial tcp (?:\[[^\]]+\]|[^\s:]+):\d+/.exec(output)?.[0].slice('dial tcp '.length);
}

/**
 * Names what went wrong when docker cannot talk to Rise's registry, and the fix, instead of docker's
 * raw dial error; null when the output is about something else (bad credentials, a missing image …).
 */
export function registryProblem(registryHost: string, dockerOutput: string): CliError | null {
  if (UNREACHABLE.test(dockerOutput)) {
    const address = dialedAddress(dockerOutput);
    const hostname = registryHost.replace(/:\d+$/, '');
    const urls = [...dockerOutput.matchAll(/"(https?:\/\/[^"\s]+)"/g)].map((match) => match[1]!);
    const elsewhere = urls.find((url) => new URL(url).host !== registryHost);
    if (elsewhere && address && !address.startsWith(hostname)) {
      // The registry answered, but sent docker to its token service (Rise) at an address docker cannot reach.
      return new CliError(
        `Rise's registry at ${registryHost} sends Docker to ${new URL(elsewhere).origin} for a login token, ` +
          `and Docker cannot reach ${address}: the registry's token realm (auth.token.realm in its ` +
          "config, Rise's /api/registry/token) must be an address this machine's Docker engine can reach.",
        EXIT.unreachable,
      );
    }
    return new CliError(
      `Rise's registry at ${registryHost} is not reachable: start it (npm start runs it when ` +
        '`docker-registry` is installed: apt install docker-registry) or set RISE_REGISTRY_HOST on ' +
        'the Rise server to a registry this machine can reach.',
      EXIT.unreachable,
    );
  }
  if (PLAIN_HTTP.test(dockerOutput)) {
    return new CliError(
      `Rise's registry at ${registryHost} speaks plain HTTP, and Docker allows that only for 127.0.0.0/8: ` +
        `add "${registryHost}" to "insecure-registries" in /etc/docker/daemon.json and restart Docker, ` +
        'or serve the registry over HTTPS.',
      EXIT.unreachable,
    );
  }
  return null;
}
