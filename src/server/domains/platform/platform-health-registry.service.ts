/**
 * What the Admin page says about Rise's built-in registry: from what a probe saw (pure, so every
 * message is unit-tested), the exact problem and how to fix it, never a bare "fetch failed".
 */

export type RegistryExpectation = {
  /** RISE_REGISTRY_HOST */
  host: string;
  /** RISE_REGISTRY_INTERNAL_URL, where it was probed, when that is not the host's own address. */
  internalUrl?: string;
  /** `<RISE_URL>/api/registry/token`, the realm the registry must send clients to. */
  realm: string;
  service: string;
  issuer: string;
  /** Rise's certificate, the registry's auth.token.rootcertbundle. */
  certificatePath: string;
};

export type RegistryObservation =
  /** /v2/ could not be fetched: `code` as ECONNREFUSED, ENOTFOUND, TIMEOUT. */
  | { kind: 'unreachable'; code: string | null; message: string }
  | {
      kind: 'answered';
      status: number;
      /** The WWW-Authenticate header of a 401. */
      challenge: string | null;
      /** Status of /v2/ with a bearer token Rise signed (no access); null when not tried. */
      statusWithRiseToken: number | null;
    };

export type RegistryHealth = { ok: boolean; detail: string };

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/i;

/** The parameters of a `Bearer realm="…",service="…"` challenge. */
export function parseBearerChallenge(header: string): Record<string, string> | null {
  const match = /^\s*Bearer\s+(.*)$/i.exec(header);
  if (!match) return null;
  const params: Record<string, string> = {};
  for (const [, key, quoted, bare] of (match[1] ?? '').matchAll(/([a-zA-Z_]+)=(?:"([^"]*)"|([^,\s]*))/g)) {
    params[key!.toLowerCase()] = quoted ?? bare ?? '';
  }
  return params;
}

/** Realms compared as Rise compares its own URL: loopback IPs as `localhost`, no trailing slash. */
function sameRealm(actual: string | undefined, expected: string): boolean {
  const normalize = (value: string) =>
    value.replace(/^(https?:\/\/)(127\.0\.0\.1|\[::1\])(?=[:/]|$)/i, '$1localhost').replace(/\/+$/, '');
  return actual !== undefined && normalize(actual).toLowerCase() === normalize(expected).toLowerCase();
}

function unreachable(expected: RegistryExpectation, code: string | null, message: string): string {
  const setting = expected.internalUrl ? 'RISE_REGISTRY_INTERNAL_URL' : 'RISE_REGISTRY_HOST';
  const where = expected.internalUrl ? `${expected.host} (at ${expected.internalUrl})` : expected.host;
  const local = !expected.internalUrl && LOOPBACK.test(expected.host);
  const hint = local
    ? 'npm start runs it when docker-registry is installed (Debian: apt-get install docker-registry)'
    : `check ${setting} and that the registry runs`;
  switch (code) {
    case 'ECONNREFUSED':
      return `not running at ${where} (connection refused) — ${hint}`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `${expected.internalUrl ? new URL(expected.internalUrl).host : expected.host} does not resolve (${code}) — check ${setting}`;
    case 'TIMEOUT':
      return `no answer from ${where} within ${message} — is something else listening on that port?`;
    default:
      return `cannot reach ${where} (${code ?? message}) — ${hint}`;
  }
}

export function describeRegistryHealth(
  expected: RegistryExpectation,
  observed: RegistryObservation,
): RegistryHealth {
  if (observed.kind === 'unreachable')
    return { ok: false, detail: unreachable(expected, observed.code, observed.message) };
  const host = expected.internalUrl ? `${expected.host} (at ${expected.internalUrl})` : expected.host;
  if (observed.status === 200)
    return {
      ok: false,
      detail:
        `${host} runs without token auth: anyone who reaches it can push and pull any project's images — ` +
        `configure auth.token (realm ${expected.realm}, service ${expected.service}, issuer ${expected.issuer}, ` +
        `rootcertbundle ${expected.certificatePath})`,
    };
  if (observed.status !== 401)
    return { ok: false, detail: `${host} answered HTTP ${observed.status} on /v2/` };

  const challenge = observed.challenge ? parseBearerChallenge(observed.challenge) : null;
  if (!challenge)
    return {
      ok: false,
      detail: `token auth misconfigured (${host} asks for ${observed.challenge ? `"${observed.challenge}"` : 'credentials without a challenge'}, not a Bearer token from Rise) — configure auth.token with realm ${expected.realm}`,
    };
  const problems: string[] = [];
  if (!sameRealm(challenge.realm, expected.realm))
    problems.push(
      `its realm is ${challenge.realm || '(none)'}, Rise's token endpoint is ${expected.realm}: set auth.token.realm, or RISE_URL`,
    );
  if (challenge.service !== expected.service)
    problems.push(
      `its service is ${challenge.service || '(none)'}, Rise's RISE_REGISTRY_SERVICE is ${expected.service}`,
    );
  if (problems.length === 0 && observed.statusWithRiseToken === 401)
    problems.push(
      `it rejects tokens Rise signs: its auth.token.issuer must be RISE_REGISTRY_ISSUER (${expected.issuer}) ` +
        `and its rootcertbundle Rise's certificate ${expected.certificatePath}`,
    );
  else if (
    problems.length === 0 &&
    observed.statusWithRiseToken !== null &&
    observed.statusWithRiseToken !== 200
  )
    problems.push(`it answered HTTP ${observed.statusWithRiseToken} to a token Rise signed`);
  if (problems.length > 0) return { ok: false, detail: `token auth misconfigured (${problems.join('; ')})` };
  return { ok: true, detail: `${host}: running, token auth by Rise` };
}
