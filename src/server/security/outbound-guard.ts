import dns, { type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { BlockList, isIP, type Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { Agent, buildConnector, fetch as undiciFetch } from 'undici';
import { env } from '@/env';

// One guard for every connection Rise makes on a user's behalf (image registries and their token
// realms, S3 endpoints of backup destinations, webhooks): it refuses loopback, private, link-local,
// multicast, reserved and Rise's own addresses unless RISE_OUTBOUND_ALLOW lists them. The address is
// checked when the socket connects (a `lookup` hook), so a name that resolves to something else later
// (DNS rebinding) is checked again; literal IPs, which skip `lookup`, are checked before connecting.

export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'carrier-grade NAT'
  | 'unique local'
  | 'link-local'
  | 'unspecified'
  | 'multicast'
  | 'documentation'
  | 'benchmarking'
  | 'reserved';

type Range = [AddressClass, string, number];

const IPV4_RANGES: Range[] = [
  ['unspecified', '0.0.0.0', 8],
  ['private', '10.0.0.0', 8],
  ['carrier-grade NAT', '100.64.0.0', 10],
  ['loopback', '127.0.0.0', 8],
  ['link-local', '169.254.0.0', 16],
  ['private', '172.16.0.0', 12],
  ['reserved', '192.0.0.0', 24],
  ['documentation', '192.0.2.0', 24],
  ['reserved', '192.88.99.0', 24],
  ['private', '192.168.0.0', 16],
  ['benchmarking', '198.18.0.0', 15],
  ['documentation', '198.51.100.0', 24],
  ['documentation', '203.0.113.0', 24],
  ['multicast', '224.0.0.0', 4],
  ['reserved', '240.0.0.0', 4],
];

const IPV6_RANGES: Range[] = [
  ['unspecified', '::', 128],
  ['loopback', '::1', 128],
  // IPv4-compatible addresses (deprecated); IPv4-mapped ones (::ffff:a.b.c.d) are classified as IPv4.
  ['reserved', '::', 96],
  ['reserved', '64:ff9b:1::', 48],
  ['reserved', '100::', 64],
  ['reserved', '2001::', 23],
  ['documentation', '2001:db8::', 32],
  // 6to4 embeds an IPv4 address Rise cannot check.
  ['reserved', '2002::', 16],
  ['unique local', 'fc00::', 7],
  ['link-local', 'fe80::', 10],
  ['reserved', 'fec0::', 10],
  ['multicast', 'ff00::', 8],
];

const ipv4Lists = IPV4_RANGES.map(([kind, network, prefix]) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, 'ipv4');
  return { kind, list };
});
const ipv6Lists = IPV6_RANGES.map(([kind, network, prefix]) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, 'ipv6');
  return { kind, list };
});
const globalUnicast = new BlockList();
globalUnicast.addSubnet('2000::', 3, 'ipv6');
const ipv4Mapped = new BlockList();
ipv4Mapped.addSubnet('::ffff:0:0', 96, 'ipv6');
const nat64 = new BlockList();
nat64.addSubnet('64:ff9b::', 96, 'ipv6');

/** The IPv4 address inside a NAT64 (64:ff9b::/96) address. */
function embeddedIpv4(address: string): string {
  const groups = expandIpv6(address);
  const high = groups[6]!;
  const low = groups[7]!;
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

function expandIpv6(address: string): number[] {
  let text = address;
  // A trailing dotted IPv4 (::ffff:1.2.3.4, 64:ff9b::1.2.3.4) becomes two groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, -dotted[1]!.length)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string?];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const middle = tail === undefined ? [] : new Array(8 - left.length - right.length).fill('0');
  return [...left, ...middle, ...right].map((group) => Number.parseInt(group || '0', 16));
}

/** What kind of address `address` (an IPv4 or IPv6 literal, no brackets) is. */
export function classifyAddress(address: string): AddressClass {
  const family = isIP(address);
  if (family === 0) throw new Error(`not an IP address: ${address}`);
  if (family === 4) return ipv4Lists.find(({ list }) => list.check(address, 'ipv4'))?.kind ?? 'public';
  // BlockList applies IPv4 rules to IPv4-mapped IPv6 addresses.
  if (ipv4Mapped.check(address, 'ipv6'))
    return ipv4Lists.find(({ list }) => list.check(address, 'ipv6'))?.kind ?? 'public';
  if (nat64.check(address, 'ipv6')) return classifyAddress(embeddedIpv4(address));
  const special = ipv6Lists.find(({ list }) => list.check(address, 'ipv6'))?.kind;
  if (special) return special;
  return globalUnicast.check(address, 'ipv6') ? 'public' : 'reserved';
}

type AllowEntry = { text: string; host?: string; addresses?: BlockList; port: number | null };

/** One RISE_OUTBOUND_ALLOW entry: an IP, a CIDR or a host name, with an optional `:port` ([v6]:port). */
export function parseAllowEntry(text: string): AllowEntry {
  let value = text.trim();
  let port: number | null = null;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(value);
  if (bracketed) {
    value = bracketed[1]!;
    port = bracketed[2] ? Number(bracketed[2]) : null;
  } else if ((value.match(/:/g) ?? []).length === 1) {
    const [host, portText] = value.split(':') as [string, string];
    if (!/^\d+$/.test(portText)) throw new Error(`RISE_OUTBOUND_ALLOW entry '${text}': bad port`);
    value = host;
    port = Number(portText);
  }
  if (port !== null && (port < 1 || port > 65535))
    throw new Error(`RISE_OUTBOUND_ALLOW entry '${text}': port out of range`);
  const slash = value.indexOf('/');
  const address = slash === -1 ? value : value.slice(0, slash);
  const family = isIP(address);
  if (family !== 0) {
    const prefix = slash === -1 ? (family === 4 ? 32 : 128) : Number(value.slice(slash + 1));
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128))
      throw new Error(`RISE_OUTBOUND_ALLOW entry '${text}': bad prefix length`);
    const addresses = new BlockList();
    addresses.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
    return { text, addresses, port };
  }
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(value))
    throw new Error(`RISE_OUTBOUND_ALLOW entry '${text}': expected an IP, a CIDR or a host name`);
  return { text, host: value.toLowerCase(), port };
}

export type OutboundGuardConfig = {
  /** RISE_OUTBOUND_ALLOW entries. */
  allow: string[];
  /** Host names (or addresses) of Rise itself: its URL and its registry. Refused unless allowed. */
  ownHosts: string[];
};

/** A connection the guard refused; the message says what and how to allow it. */
export class OutboundRefusedError extends Error {
  readonly code = 'RISE_OUTBOUND_REFUSED';
  constructor(message: string) {
    super(message);
    this.name = 'OutboundRefusedError';
  }
}

type Target = { hostname: string; address: string; port: number };

const stripBrackets = (host: string) => (host.startsWith('[') ? host.slice(1, -1) : host);
const hostPort = (host: string, port: number) => `${isIP(host) === 6 ? `[${host}]` : host}:${port}`;

export class OutboundGuard {
  private readonly allow: AllowEntry[];
  private readonly ownHosts: string[];
  private ownAddresses: { at: number; addresses: Promise<Set<string>> } | null = null;
  private agent: Agent | null = null;

  constructor(config: OutboundGuardConfig) {
    this.allow = config.allow.map(parseAllowEntry);
    this.ownHosts = config.ownHosts.map((host) => stripBrackets(host).toLowerCase());
  }

  private allowed(target: Target): boolean {
    const family = isIP(target.address) === 4 ? 'ipv4' : 'ipv6';
    return this.allow.some(
      (entry) =>
        (entry.port === null || entry.port === target.port) &&
        (entry.host
          ? entry.host === target.hostname.toLowerCase()
          : entry.addresses!.check(target.address, family)),
    );
  }

  /** Addresses Rise's own host names resolve to (cached for a minute). */
  private async own(): Promise<Set<string>> {
    if (!this.ownAddresses || Date.now() - this.ownAddresses.at > 60_000) {
      const addresses = Promise.all(
        this.ownHosts.map((host) =>
          isIP(host)
            ? [host]
            : dns.promises.lookup(host, { all: true }).then(
                (found) => found.map((entry) => entry.address),
                () => [],
              ),
        ),
      ).then((lists) => new Set(lists.flat()));
      this.ownAddresses = { at: Date.now(), addresses };
    }
    return this.ownAddresses.addresses;
  }

  /** Null when Rise may connect to `target`, else why not. */
  async refusal(target: Target): Promise<string | null> {
    if (this.allowed(target)) return null;
    const kind = classifyAddress(target.address);
    const own =
      this.ownHosts.includes(target.hostname.toLowerCase()) || (await this.own()).has(target.address);
    if (kind === 'public' && !own) return null;
    const what = kind === 'public' ? "Rise's own" : `${kind === 'unspecified' ? 'an' : 'a'} ${kind}`;
    const shown =
      target.hostname === target.address
        ? hostPort(target.address, target.port)
        : `${hostPort(target.hostname, target.port)} (${target.address})`;
    return (
      `Rise refused to connect to ${shown}: it is ${what} address, which Rise does not reach on a ` +
      `user's behalf. An administrator can allow it with RISE_OUTBOUND_ALLOW=${hostPort(target.address, target.port)}` +
      (target.hostname !== target.address ? ` (or ${hostPort(target.hostname, target.port)})` : '')
    );
  }

  /** Resolves `host` and checks every address it has (for connections Rise does not make itself, e.g. dockerd's). */
  async assertHostAllowed(host: string, port: number): Promise<void> {
    const hostname = stripBrackets(host);
    const addresses = isIP(hostname)
      ? [hostname]
      : (await dns.promises.lookup(hostname, { all: true })).map((entry) => entry.address);
    for (const address of addresses) {
      const refusal = await this.refusal({ hostname, address, port });
      if (refusal) throw new OutboundRefusedError(refusal);
    }
  }

  /** A dns.lookup replacement for connections to `port`: fails when any address of the name is refused. */
  lookupFor(port: number) {
    return (
      hostname: string,
      options: dns.LookupOptions,
      callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void,
    ) => {
      dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
        if (error) return callback(error, []);
        void (async () => {
          for (const { address } of addresses) {
            const refusal = await this.refusal({ hostname, address, port });
            if (refusal) return callback(new OutboundRefusedError(refusal), []);
          }
          if (options.all) return callback(null, addresses);
          const first = addresses[0];
          if (!first)
            return callback(
              Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }),
              [],
            );
          callback(null, first.address, first.family);
        })().catch((failure: Error) => callback(failure, []));
      });
    };
  }

  /** An undici dispatcher whose every connection is checked. */
  dispatcher(): Agent {
    this.agent ??= new Agent({
      connect: (options, callback) => {
        const hostname = stripBrackets(options.hostname);
        const port = Number(options.port) || (options.protocol === 'https:' ? 443 : 80);
        const check = isIP(hostname)
          ? this.refusal({ hostname, address: hostname, port })
          : Promise.resolve(null);
        check.then(
          (refusal) => {
            if (refusal) return callback(new OutboundRefusedError(refusal), null);
            buildConnector({ timeout: 10_000, lookup: this.lookupFor(port) } as buildConnector.BuildOptions)(
              options,
              callback,
            );
          },
          (error: Error) => callback(error, null),
        );
      },
    });
    return this.agent;
  }

  /** fetch through the guard; redirects are not followed unless the caller asks (each hop is guarded). */
  fetch(url: string | URL, init: Parameters<typeof undiciFetch>[1] = {}) {
    const target = new URL(url);
    if (target.protocol !== 'http:' && target.protocol !== 'https:')
      return Promise.reject(
        new OutboundRefusedError(`Rise only makes http(s) requests, not ${target.protocol}`),
      );
    return undiciFetch(target, { redirect: 'manual', ...init, dispatcher: this.dispatcher() });
  }

  /** Node http(s) agents whose connections are checked (for clients such as the AWS SDK's). */
  httpAgents(): { httpAgent: http.Agent; httpsAgent: https.Agent } {
    const guarded = <T extends http.Agent>(base: T, defaultPort: number): T => {
      const create = base.createConnection.bind(base) as (
        options: http.ClientRequestArgs,
        callback?: (error: Error | null, socket?: Socket | TLSSocket) => void,
      ) => Socket | undefined;
      (base as unknown as { createConnection: unknown }).createConnection = (
        options: http.ClientRequestArgs,
        callback: (error: Error | null, socket?: Socket) => void,
      ) => {
        const hostname = stripBrackets(options.hostname ?? options.host ?? 'localhost');
        const port = Number(options.port) || defaultPort;
        const check = isIP(hostname)
          ? this.refusal({ hostname, address: hostname, port })
          : Promise.resolve(null);
        check.then(
          (refusal) => {
            if (refusal) return callback(new OutboundRefusedError(refusal));
            try {
              const socket = create({ ...options, lookup: this.lookupFor(port) } as http.ClientRequestArgs);
              if (socket) callback(null, socket);
            } catch (error) {
              callback(error as Error);
            }
          },
          (error: Error) => callback(error),
        );
        return undefined;
      };
      return base;
    };
    return {
      httpAgent: guarded(new http.Agent({ keepAlive: true }), 80),
      httpsAgent: guarded(new https.Agent({ keepAlive: true }), 443),
    };
  }
}

/** The message of a refused or failed outbound request: undici wraps the cause in "fetch failed". */
export function outboundErrorMessage(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    if (current instanceof OutboundRefusedError) return current.message;
    if (!(current.cause instanceof Error)) break;
    current = current.cause;
  }
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause : null;
  if (error.message === 'fetch failed' && cause) {
    const code = (cause as { code?: string }).code;
    return `${cause.message}${code && !cause.message.includes(code) ? ` (${code})` : ''}`;
  }
  return error.message;
}

const hostOf = (url: string) => {
  try {
    return new URL(url).hostname;
  } catch {
    return null;
  }
};

let fromEnv: { key: string; guard: OutboundGuard } | null = null;

/**
 * The guard configured by RISE_OUTBOUND_ALLOW; Rise's own hosts are those of RISE_URL,
 * RISE_REGISTRY_HOST and their internal addresses (RISE_INTERNAL_URL, RISE_REGISTRY_INTERNAL_URL).
 */
export function outboundGuard(): OutboundGuard {
  const registryHost = env.RISE_REGISTRY_HOST.startsWith('[')
    ? env.RISE_REGISTRY_HOST.slice(0, env.RISE_REGISTRY_HOST.indexOf(']') + 1)
    : env.RISE_REGISTRY_HOST.split(':')[0]!;
  const ownHosts = [
    ...new Set([
      hostOf(env.RISE_URL),
      registryHost,
      hostOf(env.RISE_INTERNAL_URL),
      hostOf(env.RISE_REGISTRY_INTERNAL_URL),
    ]),
  ].filter((host): host is string => !!host);
  const key = JSON.stringify([env.RISE_OUTBOUND_ALLOW, ownHosts]);
  if (fromEnv?.key !== key)
    fromEnv = { key, guard: new OutboundGuard({ allow: env.RISE_OUTBOUND_ALLOW, ownHosts }) };
  return fromEnv.guard;
}
