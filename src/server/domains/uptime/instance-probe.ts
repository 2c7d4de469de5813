import { type ProbeOutcome, probeThroughProxy } from './proxy-probe';
import type { UptimeTarget } from './uptime.repo';

/** Where Rise reaches a running instance (`host:port`), as its health check does; null: not running. */
export type InstanceAddressOf = (
  instance: { project: string } & UptimeTarget['instance'],
) => Promise<string | null>;

/**
 * GET / of a target's active instance at its own address, with the app's Host header: the app's
 * answer without the proxy (nor the sign-in in front of a private app). Plain HTTP, as apps listen.
 */
export function instanceProbe(addressOf: InstanceAddressOf, timeoutMs: number) {
  return async (target: UptimeTarget, host: string): Promise<ProbeOutcome> => {
    const address = await addressOf({ project: target.project, ...target.instance });
    if (!address) return { up: false, statusCode: null, responseMs: 0, error: 'its instance is not running' };
    const colon = address.lastIndexOf(':');
    const ip = address.slice(0, colon).replace(/^\[|\]$/g, '');
    return probeThroughProxy(
      { address: ip, port: Number(address.slice(colon + 1)), tls: false },
      host,
      timeoutMs,
    );
  };
}
