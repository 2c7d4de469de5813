import { Resolver } from 'node:dns/promises';
import http from 'node:http';
import type { LookupFunction } from 'node:net';
import { env as processEnv } from '@/env';
import { HTTP_CHALLENGE_PATH, httpChallengeUrl, txtRecordName } from './domain-challenge';

export type CheckOutcome = { ok: true } | { ok: false; error: string };

/** Looks for a domain's proof of ownership: the TXT record, or the token served over HTTP. */
export interface DomainVerifier {
  checkTxt(hostname: string, token: string): Promise<CheckOutcome>;
  checkHttp(hostname: string, token: string): Promise<CheckOutcome>;
}

/** The TXT look-up, injectable: tests pass their own; the default asks DNS. */
export type TxtResolver = (name: string) => Promise<string[][]>;

const MAX_BODY_BYTES = 1024;
const quoteList = (values: string[], max = 3) =>
  values
    .slice(0, max)
    .map((value) => JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value))
    .join(', ') + (values.length > max ? `, … (${values.length} records)` : '');

/** TXT `_rise-challenge.<hostname>` must contain `token` (records split in chunks are joined first). */
export async function checkTxtRecord(resolveTxt: TxtResolver, hostname: string, token: string) {
  const name = txtRecordName(hostname);
  let records: string[];
  try {
    records = (await resolveTxt(name)).map((chunks) => chunks.join(''));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTFOUND' || code === 'ENODATA') return fail(`TXT ${name} not found`);
    return fail(`TXT ${name} could not be looked up (${code ?? (error as Error).message})`);
  }
  if (records.some((value) => value.trim() === token)) return { ok: true } as const;
  if (records.length === 0) return fail(`TXT ${name} not found`);
  return fail(`TXT ${name} does not have the value ${token}; found: ${quoteList(records)}`);
}

const fail = (error: string): CheckOutcome => ({ ok: false, error });

export type HttpCheckOptions = {
  /** The port Rise's proxy serves plain HTTP on (RISE_PROXY_HTTP_PORT); 80 in production. */
  port: number;
  /** How the domain's address is found; default: the system's resolver. */
  lookup?: LookupFunction;
  timeoutMs?: number;
};

/**
 * GET http://<hostname>/.well-known/rise-challenge/<token> (no redirects followed, at most 1 KiB read)
 * must answer 200 with the token. Only the status reaches the error text, never the body of a
 * stranger's server.
 */
export function checkHttpToken(hostname: string, token: string, options: HttpCheckOptions) {
  const url = httpChallengeUrl(hostname, token, options.port);
  return new Promise<CheckOutcome>((resolve) => {
    const request = http.get(
      {
        host: hostname,
        port: options.port,
        path: `${HTTP_CHALLENGE_PATH}${token}`,
        headers: { host: options.port === 80 ? hostname : `${hostname}:${options.port}` },
        lookup: options.lookup,
        agent: false,
        timeout: options.timeoutMs ?? 5000,
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          body += chunk;
          if (body.length > MAX_BODY_BYTES) response.destroy();
        });
        const settle = () => {
          if (response.statusCode !== 200) resolve(fail(`HTTP ${url} answered ${response.statusCode}`));
          else if (body.trim() !== token) resolve(fail(`HTTP ${url} answered 200 without the token`));
          else resolve({ ok: true });
        };
        response.on('end', settle);
        response.on('close', settle);
        response.on('error', () => resolve(fail(`HTTP ${url} broke off its answer`)));
      },
    );
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', (error) => {
      const code = (error as NodeJS.ErrnoException).code ?? error.message;
      resolve(fail(`HTTP ${url} could not be fetched (${code})`));
    });
  });
}

/** A `lookup` for node:net that asks `resolver` (A, then AAAA) instead of the system's resolver. */
export function lookupThrough(resolver: Resolver): LookupFunction {
  return (hostname, options, callback) => {
    void (async () => {
      const v4 = await resolver.resolve4(hostname).catch(() => [] as string[]);
      const v6 = v4.length > 0 ? [] : await resolver.resolve6(hostname).catch(() => [] as string[]);
      const addresses = [
        ...v4.map((address) => ({ address, family: 4 })),
        ...v6.map((address) => ({ address, family: 6 })),
      ];
      if (addresses.length === 0) {
        const error = Object.assign(new Error(`${hostname} has no A or AAAA record`), { code: 'ENOTFOUND' });
        callback(error, '', 4);
      } else if (options.all) callback(null, addresses);
      else callback(null, addresses[0]!.address, addresses[0]!.family);
    })();
  };
}

/**
 * The verifier Rise uses: DNS through RISE_DNS_SERVERS when set (else the system's servers), the HTTP
 * check on RISE_PROXY_HTTP_PORT, where Rise's proxy answers the challenge.
 */
export function createDomainVerifier(env = processEnv): DomainVerifier {
  const resolver = new Resolver({ timeout: 3000, tries: 2 });
  const custom = env.RISE_DNS_SERVERS.length > 0;
  if (custom) resolver.setServers(env.RISE_DNS_SERVERS);
  const lookup = custom ? lookupThrough(resolver) : undefined;
  return {
    checkTxt: (hostname, token) => checkTxtRecord((name) => resolver.resolveTxt(name), hostname, token),
    checkHttp: (hostname, token) =>
      checkHttpToken(hostname, token, { port: env.RISE_PROXY_HTTP_PORT, lookup }),
  };
}
