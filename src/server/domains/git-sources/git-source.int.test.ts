import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { env } from '@/env';
import { getDb } from '@/server/db';
import { decryptSecret } from '@/server/security/secret-box';
import {
  apiAs,
  createTeamWithRoles,
  createUser,
  rejectionOf,
  uniqueName,
  userCaller,
} from '../../../../test/fixtures';
import { resolveGitSourceForBuild } from './git-source.service';

async function ownProject() {
  const api = apiAs(userCaller(await createUser()));
  const project = uniqueName('git');
  await api.project.create({ name: project });
  const { id } = await getDb().project.findUniqueOrThrow({ where: { name: project } });
  return { api, project, id };
}

const rawRow = (projectId: string) => getDb().gitSource.findUniqueOrThrow({ where: { projectId } });

describe('gitSource.set / get', () => {
  it('creates the source with a webhook URL and returns the webhook secret once, sealed at rest', async () => {
    const { api, project, id } = await ownProject();
    expect(await api.gitSource.get({ project })).toBeNull();

    const created = await api.gitSource.set({
      project,
      repositoryUrl: 'git@github.com:acme/shop.git',
      branch: 'main',
      rootDirectory: 'apps/web/',
      watchPaths: ['apps/web/**', 'package.json'],
      accessToken: 'ghp_s3cr3tT0ken',
    });
    expect(created.webhookSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const row = await rawRow(id);
    expect(row.hookId).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(created.source).toMatchObject({
      repositoryUrl: 'git@github.com:acme/shop.git',
      branch: 'main',
      rootDirectory: 'apps/web',
      dockerfile: null,
      watchPaths: ['apps/web/**', 'package.json'],
      submodules: false,
      provider: null,
      previewExpiry: '7d',
      webhookUrl: `${env.RISE_URL.replace(/\/+$/, '')}/api/hooks/git/github/${row.hookId}`,
      deployKey: null,
      accessTokenSet: true,
    });

    // At rest: the secret and the token are sealed, not stored as given.
    expect(row.webhookSecret).not.toContain(created.webhookSecret);
    expect(decryptSecret(row.webhookSecret)).toBe(created.webhookSecret);
    expect(row.accessToken).not.toContain('ghp_s3cr3tT0ken');
    expect(decryptSecret(row.accessToken!)).toBe('ghp_s3cr3tT0ken');

    // Later reads and updates never carry the secret or the token.
    const got = await api.gitSource.get({ project });
    expect(got).toEqual(created.source);
    expect(JSON.stringify(got)).not.toContain('ghp_s3cr3tT0ken');
    const updated = await api.gitSource.set({
      project,
      branch: 'release/1.x',
      provider: 'gitea',
      dockerfile: 'Dockerfile.prod',
    });
    expect(updated.webhookSecret).toBeNull();
    expect(updated.source).toMatchObject({
      branch: 'release/1.x',
      dockerfile: 'Dockerfile.prod',
      rootDirectory: 'apps/web',
      provider: 'gitea',
      accessTokenSet: true,
      webhookUrl: `${env.RISE_URL.replace(/\/+$/, '')}/api/hooks/git/gitea/${row.hookId}`,
    });
    expect((await rawRow(id)).hookId).toBe(row.hookId);

    // Clearing the token; the audit log records that it changed, never its value.
    expect((await api.gitSource.set({ project, accessToken: null })).source.accessTokenSet).toBe(false);
    expect((await rawRow(id)).accessToken).toBeNull();
    const audit = await getDb().auditEvent.findMany({
      where: { targetName: project, action: { startsWith: 'git-source.' } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    expect(audit.map((event) => event.action)).toEqual([
      'git-source.set',
      'git-source.set',
      'git-source.set',
    ]);
    expect(audit.map((event) => (event.details as { accessToken?: string }).accessToken)).toEqual([
      'set',
      undefined,
      'cleared',
    ]);
    expect(JSON.stringify(audit)).not.toContain('ghp_s3cr3tT0ken');
    expect(JSON.stringify(audit)).not.toContain(created.webhookSecret);
  });

  it('refuses hostile settings with the reason, and a first set without a repository', async () => {
    const { api, project } = await ownProject();
    const missing = await rejectionOf(api.gitSource.set({ project, branch: 'main' }), TRPCError);
    expect(missing.code).toBe('BAD_REQUEST');
    expect(missing.message).toContain('give its repository URL');
    for (const repositoryUrl of [
      '--upload-pack=touch /tmp/x',
      'file:///etc',
      'ext::sh',
      'git@host:-oProxyCommand=x',
    ]) {
      const refused = await rejectionOf(api.gitSource.set({ project, repositoryUrl }), TRPCError);
      expect(refused.code, repositoryUrl).toBe('BAD_REQUEST');
    }
    const branch = await rejectionOf(
      api.gitSource.set({ project, repositoryUrl: 'https://github.com/a/b.git', branch: '--force' }),
      TRPCError,
    );
    expect(branch.code).toBe('BAD_REQUEST');
    expect(await api.gitSource.get({ project })).toBeNull();
  });
});

describe('gitSource secrets', () => {
  it('reveals and rotates the webhook secret, each audited without the value', async () => {
    const { api, project, id } = await ownProject();
    const { webhookSecret } = await api.gitSource.set({
      project,
      repositoryUrl: 'https://gitlab.com/acme/shop.git',
    });
    expect(await api.gitSource.revealWebhookSecret({ project })).toEqual({ webhookSecret });

    const rotated = await api.gitSource.rotateWebhookSecret({ project });
    expect(rotated.webhookSecret).not.toBe(webhookSecret);
    expect(await api.gitSource.revealWebhookSecret({ project })).toEqual(rotated);
    expect(decryptSecret((await rawRow(id)).webhookSecret)).toBe(rotated.webhookSecret);

    const audit = await getDb().auditEvent.findMany({
      where: { targetName: project, action: { startsWith: 'git-source.webhook-secret' } },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    expect(audit.map((event) => event.action)).toEqual([
      'git-source.webhook-secret.reveal',
      'git-source.webhook-secret.rotate',
      'git-source.webhook-secret.reveal',
    ]);
    expect(JSON.stringify(audit)).not.toContain(webhookSecret);
    expect(JSON.stringify(audit)).not.toContain(rotated.webhookSecret);
  });

  it('generates a deploy key: public half shown, private half sealed and usable by ssh', async () => {
    const { api, project, id } = await ownProject();
    await api.gitSource.set({ project, repositoryUrl: 'git@github.com:acme/shop.git' });
    const { publicKey } = await api.gitSource.generateDeployKey({ project });
    expect(publicKey).toMatch(new RegExp(`^ssh-ed25519 AAAA[A-Za-z0-9+/]+ rise-${project}$`));
    expect((await api.gitSource.get({ project }))?.deployKey).toBe(publicKey);

    const row = await rawRow(id);
    expect(row.deployKeyPrivate).not.toContain('PRIVATE KEY');
    const opened = await resolveGitSourceForBuild(id);
    const dir = mkdtempSync(join(tmpdir(), 'rise-git-key-'));
    try {
      const file = join(dir, 'key');
      writeFileSync(file, opened!.deployKeyPrivate!, { mode: 0o600 });
      expect(execFileSync('ssh-keygen', ['-y', '-f', file], { encoding: 'utf8' }).trim()).toBe(publicKey);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    const again = await api.gitSource.generateDeployKey({ project });
    expect(again.publicKey).not.toBe(publicKey);
    const audit = await getDb().auditEvent.findMany({
      where: { targetName: project, action: 'git-source.deploy-key' },
    });
    expect(audit).toHaveLength(2);
    expect(JSON.stringify(audit)).not.toContain('PRIVATE KEY');
  });
});

describe('gitSource.remove', () => {
  it('removes the source; a second remove says there is none', async () => {
    const { api, project, id } = await ownProject();
    await api.gitSource.set({ project, repositoryUrl: 'https://github.com/acme/shop.git' });
    expect(await api.gitSource.remove({ project })).toEqual({ removed: true });
    expect(await api.gitSource.get({ project })).toBeNull();
    expect(await getDb().gitSource.count({ where: { projectId: id } })).toBe(0);
    const again = await rejectionOf(api.gitSource.remove({ project }), TRPCError);
    expect(again.code).toBe('NOT_FOUND');
    expect(again.message).toContain(`rise project update ${project} --git URL`);
  });
});

describe('gitSource permissions', () => {
  it('lets a viewer read but not change or reveal; a developer cannot change it either', async () => {
    const { team, members } = await createTeamWithRoles();
    const project = uniqueName('git');
    await getDb().project.create({ data: { name: project, ownerTeamId: team.id } });
    const admin = apiAs(userCaller(members.admin));
    await admin.gitSource.set({ project, repositoryUrl: 'https://github.com/acme/shop.git' });

    for (const role of ['viewer', 'developer'] as const) {
      const api = apiAs(userCaller(members[role]));
      expect((await api.gitSource.get({ project }))?.repositoryUrl).toBe('https://github.com/acme/shop.git');
      for (const attempt of [
        api.gitSource.set({ project, branch: 'evil' }),
        api.gitSource.revealWebhookSecret({ project }),
        api.gitSource.generateDeployKey({ project }),
        api.gitSource.remove({ project }),
      ]) {
        expect((await rejectionOf(attempt, TRPCError)).code, role).toBe('FORBIDDEN');
      }
    }
    expect((await admin.gitSource.get({ project }))?.branch).toBe('main');
  });
});
