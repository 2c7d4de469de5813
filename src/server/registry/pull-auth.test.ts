import { describe, expect, it } from 'vitest';
import { OutboundGuard } from '@/server/security/outbound-guard';
import { createPullAuth } from './pull-auth';
import type { ProjectRegistryLogins } from './registry-logins';

// Which login a pull uses; the database behind ProjectRegistryLogins is covered by
// test/registry-credentials.int.test.ts.
const logins: ProjectRegistryLogins = {
  forPull: async (project, host) =>
    project.name === 'shop' && (host === 'ghcr.io' || host === 'docker.io')
      ? { username: `bot-${host}`, password: 'token' }
      : null,
  hostHasLogins: async () => true,
};
const pullAuth = createPullAuth({ guardOutbound: false, riseRegistryHost: '127.0.0.1:5000', logins });
const digest = `sha256:${'a'.repeat(64)}`;

describe('createPullAuth', () => {
  it("pulls with the project's own login for the image's registry, keyed like image references", async () => {
    expect(await pullAuth(`GHCR.io/acme/shop@${digest}`, 'shop')).toEqual({
      username: 'bot-ghcr.io',
      password: 'token',
      serveraddress: 'GHCR.io',
    });
    // Docker Hub, however named: Docker's and kubelet's name for it in auth configs.
    for (const image of ['acme/shop:v1', 'docker.io/acme/shop:v1', 'index.docker.io/acme/shop:v1'])
      expect(await pullAuth(image, 'shop')).toEqual({
        username: 'bot-docker.io',
        password: 'token',
        serveraddress: 'https://index.docker.io/v1/',
      });
  });

  it('pulls anonymously where the project has no login, or for an image id', async () => {
    expect(await pullAuth('ghcr.io/acme/shop:v1', 'other')).toBeNull();
    expect(await pullAuth('quay.io/acme/shop:v1', 'shop')).toBeNull();
    expect(await pullAuth(digest, 'shop')).toBeNull();
  });

  it("refuses another project's repository in Rise's registry", async () => {
    await expect(pullAuth('127.0.0.1:5000/other:v1', 'shop')).rejects.toThrow(
      "project 'shop' may not pull 127.0.0.1:5000/other:v1 from Rise's registry",
    );
  });

  it("checks the host with the outbound guard before this machine's engine pulls", async () => {
    const guarded = createPullAuth({
      guardOutbound: true,
      riseRegistryHost: '127.0.0.1:5000',
      logins,
      guard: () => new OutboundGuard({ allow: [], ownHosts: [] }),
    });
    await expect(guarded('10.0.0.1:5000/acme/shop:v1', 'shop')).rejects.toThrow(/private address/);
  });
});
