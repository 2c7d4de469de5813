import { describe, expect, it } from 'vitest';
import { readInstanceIdentity } from './instance-identity';

const keys = { project: 'p', deployment: 'd', slot: 's', group: 'g' };

describe('readInstanceIdentity', () => {
  it('reads project, deployment and slot from the given keys', () => {
    expect(readInstanceIdentity(keys, { p: 'shop', d: '20261122-0600-ab12', s: 'b' })).toEqual({
      project: 'shop',
      deploymentId: '20261122-0600-ab12',
      slot: 'b',
    });
  });

  it('reads a non-default group and leaves the default one out', () => {
    expect(readInstanceIdentity(keys, { p: 'shop', d: '20261122-0600-ab12', s: 'a', g: 'mr--26' })).toEqual({
      project: 'shop',
      group: 'mr--26',
      deploymentId: '20261122-0600-ab12',
      slot: 'a',
    });
    expect(readInstanceIdentity(keys, { p: 'shop', d: '20261122-0600-ab12', s: 'a', g: 'default' })).toEqual({
      project: 'shop',
      deploymentId: '20261122-0600-ab12',
      slot: 'a',
    });
  });

  it('reads the process and replica of an instance other than web replica 0, and ignores malformed ones', () => {
    const withProcess = { ...keys, process: 'pr', replica: 'r' };
    const base = { p: 'shop', d: '20261122-0600-ab12', s: 'a' };
    expect(readInstanceIdentity(withProcess, { ...base, pr: 'worker', r: '1' })).toEqual({
      project: 'shop',
      deploymentId: '20261122-0600-ab12',
      slot: 'a',
      process: 'worker',
      replica: 1,
    });
    for (const labels of [
      { pr: 'web', r: '0' },
      { pr: 'Worker!', r: '1' },
      { pr: 'worker', r: '-1' },
      { pr: 'worker', r: 'x' },
    ]) {
      expect(readInstanceIdentity(withProcess, { ...base, ...labels })).toEqual({
        project: 'shop',
        deploymentId: '20261122-0600-ab12',
        slot: 'a',
      });
    }
  });

  it('is null when a label is missing or the slot is neither a nor b', () => {
    expect(readInstanceIdentity(keys, { p: 'shop', s: 'a' })).toBeNull();
    expect(readInstanceIdentity(keys, { d: '20261122-0600-ab12', s: 'a' })).toBeNull();
    expect(readInstanceIdentity(keys, { p: 'shop', d: '20261122-0600-ab12', s: 'c' })).toBeNull();
  });
});
