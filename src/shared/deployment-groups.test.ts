import { describe, expect, it } from 'vitest';
import {
  expiryDuration,
  formatRemaining,
  groupHost,
  groupKey,
  groupNameProblem,
  groupSlug,
} from './deployment-groups';

describe('deployment groups', () => {
  it('takes default and names of lowercase letters, digits, - and /; refuses --, other characters and long slugs', () => {
    for (const valid of ['default', 'mr/26', 'pr-7', 'feature/login-form', 'a1']) {
      expect(groupNameProblem(valid)).toBeNull();
    }
    expect(groupNameProblem('MR/26')).toContain('is not valid');
    expect(groupNameProblem('mr/')).toContain('is not valid');
    expect(groupNameProblem('x')).toContain('is not valid');
    expect(groupNameProblem('mr--26')).toContain("'--' is reserved");
    expect(groupNameProblem(`${'a/'.repeat(21)}b`)).toContain('at most 63 characters');
  });

  it("turns '/' into '--' for hosts, route keys and Kubernetes names; the default group keeps the project's", () => {
    expect(groupSlug('mr/26')).toBe('mr--26');
    expect(groupKey('shop', 'mr/26')).toBe('shop.mr--26');
    expect(groupKey('shop', 'default')).toBe('shop');
    expect(
      groupHost('{project}-{group}.{base}', { project: 'shop', group: 'mr/26', base: 'apps.test' }),
    ).toBe('shop-mr--26.apps.test');
    expect(
      groupHost('{group}.{project}.preview.example.com', { project: 'shop', group: 'pr-7', base: 'x' }),
    ).toBe('pr-7.shop.preview.example.com');
  });

  it('reads expiries in s, m, h, d and w, up to a year', () => {
    expect(expiryDuration.parse('20s')).toBe(20_000);
    expect(expiryDuration.parse('30m')).toBe(1_800_000);
    expect(expiryDuration.parse('2h')).toBe(7_200_000);
    expect(expiryDuration.parse('7d')).toBe(604_800_000);
    expect(expiryDuration.parse('1w')).toBe(604_800_000);
    for (const bad of ['7', '0d', '1y', '7 days', '-1h', ''])
      expect(expiryDuration.safeParse(bad).success).toBe(false);
    expect(expiryDuration.safeParse('53w').error?.issues[0]?.message).toBe('Expiry is at most 365 days.');
  });

  it('shows the time left briefly', () => {
    expect(formatRemaining(0)).toBe('expired');
    expect(formatRemaining(12_000)).toBe('12s');
    expect(formatRemaining(59 * 60_000)).toBe('59m');
    expect(formatRemaining(2 * 3_600_000 + 5 * 60_000)).toBe('2h 5m');
    expect(formatRemaining(7 * 86_400_000)).toBe('7d');
    expect(formatRemaining(6 * 86_400_000 + 23 * 3_600_000 + 59 * 60_000)).toBe('6d 23h');
  });
});
