import { describe, expect, it } from 'vitest';
import type { DeploymentStatus } from '@/generated/prisma/enums';
import { ALL_STATUSES, canTransition, isTerminal, sourcesOf, TRANSITIONS } from './state-machine';

const LEGAL: [DeploymentStatus, DeploymentStatus][] = [
  ['pending', 'building'],
  ['pending', 'pushed'],
  ['pending', 'cancelling'],
  ['pending', 'cancelled'],
  ['pending', 'failed'],
  ['pending', 'expired'],
  ['building', 'pushing'],
  ['building', 'cancelling'],
  ['building', 'failed'],
  ['pushing', 'pushed'],
  ['pushing', 'cancelling'],
  ['pushing', 'failed'],
  ['pushed', 'deploying'],
  ['pushed', 'cancelling'],
  ['pushed', 'cancelled'],
  ['pushed', 'failed'],
  ['pushed', 'expired'],
  ['deploying', 'healthy'],
  ['deploying', 'cancelling'],
  ['deploying', 'failed'],
  ['healthy', 'unhealthy'],
  ['healthy', 'terminating'],
  ['healthy', 'superseded'],
  ['unhealthy', 'healthy'],
  ['unhealthy', 'terminating'],
  ['unhealthy', 'superseded'],
  ['unhealthy', 'failed'],
  ['cancelling', 'cancelled'],
  ['cancelling', 'failed'],
  ['terminating', 'stopped'],
  ['terminating', 'superseded'],
  ['terminating', 'expired'],
];

const key = (from: string, to: string) => `${from}→${to}`;
const legal = new Set(LEGAL.map(([from, to]) => key(from, to)));

describe('deployment state machine', () => {
  it('has all fourteen states', () => {
    expect(ALL_STATUSES).toHaveLength(14);
  });

  // Every ordered pair of states, legal or not, is checked against the table above.
  for (const from of ALL_STATUSES) {
    for (const to of ALL_STATUSES) {
      const expected = legal.has(key(from, to));
      it(`${key(from, to)} is ${expected ? 'legal' : 'illegal'}`, () => {
        expect(canTransition(from, to)).toBe(expected);
      });
    }
  }

  it('terminal states accept nothing', () => {
    const terminal = ALL_STATUSES.filter(isTerminal).sort();
    expect(terminal).toEqual(['cancelled', 'expired', 'failed', 'stopped', 'superseded']);
    for (const status of terminal) expect(TRANSITIONS[status]).toEqual([]);
  });

  it('names the states a guarded update must expect', () => {
    expect(sourcesOf('healthy').sort()).toEqual(['deploying', 'unhealthy']);
    expect(sourcesOf('pending')).toEqual([]);
  });
});
