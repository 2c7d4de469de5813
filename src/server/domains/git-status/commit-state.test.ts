import { describe, expect, it } from 'vitest';
import { ALL_STATUSES } from '../deployments/state-machine';
import { commitStateOf, describeState, shouldReport } from './commit-state';

describe('commit state of a deployment', () => {
  it('maps every deployment status: in progress → pending, healthy → success, failed/unhealthy → failure', () => {
    const mapped = Object.fromEntries(ALL_STATUSES.map((status) => [status, commitStateOf(status)]));
    expect(mapped).toEqual({
      pending: 'pending',
      building: 'pending',
      pushing: 'pending',
      pushed: 'pending',
      deploying: 'pending',
      healthy: 'success',
      unhealthy: 'failure',
      failed: 'failure',
      cancelled: 'cancelled',
      cancelling: null,
      terminating: null,
      superseded: null,
      stopped: null,
      expired: null,
    });
  });

  it('reports a state once, never pending after a result, and a result after another', () => {
    expect(shouldReport('pending', null)).toBe(true);
    expect(shouldReport('pending', 'pending')).toBe(false);
    expect(shouldReport('success', 'pending')).toBe(true);
    expect(shouldReport('success', 'success')).toBe(false);
    expect(shouldReport('pending', 'success')).toBe(false);
    expect(shouldReport('pending', 'failure')).toBe(false);
    expect(shouldReport('failure', 'success')).toBe(true);
    expect(shouldReport('success', 'failure')).toBe(true);
    expect(shouldReport('cancelled', 'pending')).toBe(true);
    expect(shouldReport('success', null)).toBe(true);
  });

  it('describes the state in the words the forge shows', () => {
    expect(describeState('pending', 'building')).toBe('Rise is building this commit');
    expect(describeState('pending', 'deploying')).toBe('Rise is deploying this commit');
    expect(describeState('success', 'healthy')).toBe('Deployed by Rise');
    expect(describeState('failure', 'failed')).toBe('The deployment failed');
    expect(describeState('failure', 'unhealthy')).toBe('The deployment is unhealthy');
    expect(describeState('cancelled', 'cancelled')).toBe('The deployment was cancelled');
  });
});
