import { describe, expect, it } from 'vitest';
import { formerNetworkPrefix, projectNetworkPrefix } from './labels';

describe('project network prefix', () => {
  it('is RISE_DOCKER_NETWORK when set, whatever the instance', () => {
    expect(projectNetworkPrefix('apps', 'staging')).toBe('apps');
    expect(formerNetworkPrefix('apps', 'staging')).toBeNull();
  });

  it('is rise-apps for the default installation, as before', () => {
    expect(projectNetworkPrefix(undefined, 'rise')).toBe('rise-apps');
    expect(formerNetworkPrefix(undefined, 'rise')).toBeNull();
  });

  it("names any other installation, so no project name of one gives another's network name", () => {
    expect(projectNetworkPrefix(undefined, 'staging')).toBe('rise-apps.staging');
    expect(formerNetworkPrefix(undefined, 'staging')).toBe('rise-apps');
    // Project names have no '.': `rise-apps-staging-shop` is the default installation's `staging-shop`.
    expect(`${projectNetworkPrefix(undefined, 'staging')}-shop`).not.toBe(
      `${projectNetworkPrefix(undefined, 'rise')}-staging-shop`,
    );
  });
});
