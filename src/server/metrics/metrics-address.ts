import { isIP } from 'node:net';
import { z } from 'zod';

/** `host:port` (IPv6 in brackets, `[::1]:9464`), as RISE_METRICS_ADDRESS and RISE_WORKER_METRICS_ADDRESS take. */
export const metricsAddress = z.string().transform((value, context) => {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([a-zA-Z0-9.-]+)):(\d{1,5})$/.exec(value);
  const host = match?.[1] ?? match?.[2];
  const port = Number(match?.[3]);
  if (!host || (match?.[1] && isIP(host) !== 6) || port < 1 || port > 65535) {
    context.addIssue({
      code: 'custom',
      message: 'expected host:port to listen on, e.g. 127.0.0.1:9464, 0.0.0.0:9464 or [::1]:9464',
    });
    return z.NEVER;
  }
  return { host, port };
});
