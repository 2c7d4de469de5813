import { describe, expect, it } from 'vitest';
import { freeSubnet, gatewayOf, parseCidr, subnetPoolProblem } from './subnet-pool';

describe('subnet pool', () => {
  it('parses IPv4 CIDRs and rejects the rest', () => {
    expect(parseCidr('10.0.0.0/8')).toEqual({ first: 10 * 2 ** 24, last: 11 * 2 ** 24 - 1 });
    expect(parseCidr('192.168.1.7/24')?.first).toBe(parseCidr('192.168.1.0/24')?.first);
    expect(parseCidr('fd00::/64')).toBeNull();
    expect(parseCidr('10.0.0.300/24')).toBeNull();
    expect(parseCidr('10.0.0.0/33')).toBeNull();
  });

  it('says what is wrong with a pool', () => {
    expect(subnetPoolProblem('10.213.0.0/16')).toBeNull();
    expect(subnetPoolProblem('10.213.0.0/24')).toBeNull();
    expect(subnetPoolProblem('10.213.0.0/25')).toMatch(/at least one \/24/);
    expect(subnetPoolProblem('10.213.4.0/16')).toMatch(/10\.213\.0\.0\/16/);
    expect(subnetPoolProblem('rise')).toMatch(/CIDR/);
  });

  it('picks the first /24 that overlaps no existing network', () => {
    expect(freeSubnet('10.213.0.0/16', [])).toBe('10.213.0.0/24');
    expect(freeSubnet('10.213.0.0/16', ['10.213.0.0/24', '172.17.0.0/16', 'fd00::/64'])).toBe(
      '10.213.1.0/24',
    );
    // A wider network elsewhere covering part of the pool takes all of its /24s.
    expect(freeSubnet('10.213.0.0/22', ['10.213.0.0/23', '10.213.2.128/25'])).toBe('10.213.3.0/24');
    expect(freeSubnet('10.213.0.0/23', ['10.213.0.0/24', '10.213.1.0/24'])).toBeNull();
    expect(freeSubnet('10.213.0.0/23', ['10.0.0.0/8'])).toBeNull();
    expect(gatewayOf('10.213.3.0/24')).toBe('10.213.3.1');
  });
});
