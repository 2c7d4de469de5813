/** The size of the subnet each project network gets from RISE_DOCKER_SUBNET_POOL: 254 addresses. */
export const PROJECT_SUBNET_PREFIX = 24;

type Range = { first: number; last: number };

const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** `a.b.c.d/n` as the first and last address (unsigned 32-bit integers); null when not IPv4 CIDR. */
export function parseCidr(cidr: string): Range | null {
  const match = IPV4_CIDR.exec(cidr.trim());
  if (!match) return null;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((octet) => octet > 255) || prefix > 32) return null;
  const address = octets.reduce((value, octet) => value * 256 + octet, 0);
  const size = 2 ** (32 - prefix);
  const first = address - (address % size);
  return { first, last: first + size - 1 };
}

/** Why `cidr` cannot be a pool of /24 project subnets, or null when it can. */
export function subnetPoolProblem(cidr: string): string | null {
  const range = parseCidr(cidr);
  if (!range) return 'expected an IPv4 network in CIDR notation, e.g. 10.213.0.0/16';
  const prefix = Number(cidr.split('/')[1]);
  if (prefix > PROJECT_SUBNET_PREFIX)
    return `expected a network of at least one /${PROJECT_SUBNET_PREFIX} (a prefix length of ${PROJECT_SUBNET_PREFIX} or less)`;
  if (formatAddress(range.first) !== cidr.split('/')[0])
    return `expected the network address: ${formatAddress(range.first)}/${prefix}`;
  return null;
}

/** The first /24 of `pool` that overlaps none of `used` (CIDRs of existing networks); null when full. */
export function freeSubnet(pool: string, used: readonly string[]): string | null {
  const range = parseCidr(pool);
  if (!range) throw new Error(`invalid subnet pool ${JSON.stringify(pool)}`);
  const taken = used.map(parseCidr).filter((item): item is Range => item !== null);
  const step = 2 ** (32 - PROJECT_SUBNET_PREFIX);
  for (let first = range.first; first + step - 1 <= range.last; first += step) {
    const last = first + step - 1;
    if (!taken.some((other) => other.first <= last && first <= other.last)) {
      return `${formatAddress(first)}/${PROJECT_SUBNET_PREFIX}`;
    }
  }
  return null;
}

/** The gateway Docker would give `cidr` (its first host address), stated so that inspect shows it. */
export function gatewayOf(cidr: string): string {
  const range = parseCidr(cidr);
  if (!range) throw new Error(`invalid subnet ${JSON.stringify(cidr)}`);
  return formatAddress(range.first + 1);
}

function formatAddress(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}
