import { createHmac, timingSafeEqual } from 'node:crypto';

/** The bearer token web server and worker share for the runtime gateway, derived from AUTH_SECRET. */
export function runtimeGatewayToken(secret: string): string {
  return createHmac('sha256', secret).update('rise-runtime-gateway-v1').digest('hex');
}

export function gatewayTokenMatches(presented: string | undefined, expected: string): boolean {
  const bearer = /^Bearer (\S+)$/.exec(presented ?? '')?.[1] ?? '';
  const a = Buffer.from(bearer);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
