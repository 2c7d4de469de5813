import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import { apiAs, createTeamWithRoles, createUser, uniqueName, userCaller } from '../../../../test/fixtures';
import type { ProjectChange } from './project.schema';
import { projectChanges } from './project-changes';

type Api = ReturnType<typeof apiAs>;

/** Every page of project.list, following the cursor until a short page. */
async function allPages(api: Api, input: { limit: number; team?: string; search?: string }) {
  const pages: string[][] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await api.project.list({ ...input, cursor });
    pages.push(page.map((project) => project.name));
    if (page.length < input.limit) return pages;
    cursor = page.at(-1)?.name;
  }
}

describe('project.list pages', () => {
  it('pages in name order without gaps or repeats, and only through what the caller may see', async () => {
    const { team, members } = await createTeamWithRoles();
    const me = apiAs(userCaller(members.developer));
    const prefix = uniqueName('pg');
    const mine = [`${prefix}-c`, `${prefix}-a`, `${prefix}-e`];
    const teams = [`${prefix}-b`, `${prefix}-d`];
    for (const name of mine) await me.project.create({ name });
    for (const name of teams) await me.project.create({ name, owner: `team:${team.name}` });
    const stranger = await createUser();
    await apiAs(userCaller(stranger)).project.create({ name: `${prefix}-aa` });

    const pages = await allPages(me, { limit: 2, search: prefix });
    expect(pages).toEqual([[`${prefix}-a`, `${prefix}-b`], [`${prefix}-c`, `${prefix}-d`], [`${prefix}-e`]]);
    expect(await allPages(me, { limit: 1, team: team.name })).toEqual([[`${prefix}-b`], [`${prefix}-d`], []]);
    // A team the caller is not in shows nothing of that team, existing or not.
    const other = await createTeamWithRoles();
    await apiAs(userCaller(other.members.owner)).project.create({
      name: `${prefix}-x`,
      owner: `team:${other.team.name}`,
    });
    expect(await me.project.list({ team: other.team.name })).toEqual([]);
    expect(await me.project.list({ team: 'no-such-team' })).toEqual([]);
    expect(await apiAs(userCaller(stranger)).project.list({ search: prefix })).toMatchObject([
      { name: `${prefix}-aa`, role: 'owner' },
    ]);
  });

  it('shows the latest deployment and the status derived from it', async () => {
    const owner = await createUser();
    const api = apiAs(userCaller(owner));
    const name = uniqueName('latest');
    await api.project.create({ name });
    const project = await getDb().project.findUniqueOrThrow({ where: { name } });
    const base = Date.now() - 60_000;
    for (const [index, status] of (['superseded', 'failed', 'building'] as const).entries()) {
      await getDb().deployment.create({
        data: {
          id: `${name}-${index}`,
          projectId: project.id,
          status,
          createdAt: new Date(base + index * 1000),
        },
      });
    }
    const [summary] = await api.project.list({ search: name });
    expect(summary).toMatchObject({
      name,
      status: 'deploying',
      role: 'owner',
      owner: `user:${owner.username}`,
      lastDeployment: { id: `${name}-2`, status: 'building' },
    });
  });
});

describe('deployment.list pages', () => {
  it('pages newest first by the last id, ties broken by id', async () => {
    const owner = await createUser();
    const api = apiAs(userCaller(owner));
    const name = uniqueName('deps');
    await api.project.create({ name });
    const project = await getDb().project.findUniqueOrThrow({ where: { name } });
    const sameTime = new Date();
    // Ids as Rise makes them (date-time-random); all five created in the same instant.
    const ids = Array.from({ length: 5 }, () => `20260101-0000-${randomBytes(2).toString('hex')}`).sort();
    for (const id of ids) {
      await getDb().deployment.create({
        data: { id, projectId: project.id, status: 'superseded', createdAt: sameTime },
      });
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await api.deployment.list({ project: name, limit: 2, cursor });
      seen.push(...page.map((deployment) => deployment.id));
      if (page.length < 2) break;
      cursor = page.at(-1)?.id;
    }
    expect(seen).toEqual([...ids].reverse());
  });
});

describe('project.changes', () => {
  it('pushes fresh summaries of visible projects only, after an initial resync', async () => {
    const viewer = await createUser();
    const stranger = await createUser();
    const mine = uniqueName('watched');
    const theirs = uniqueName('hidden');
    await apiAs(userCaller(viewer)).project.create({ name: mine });
    await apiAs(userCaller(stranger)).project.create({ name: theirs });
    const [myProject, theirProject] = await Promise.all(
      [mine, theirs].map((name) => getDb().project.findUniqueOrThrow({ where: { name } })),
    );

    const abort = new AbortController();
    const changes = projectChanges(userCaller(viewer), { all: false }, abort.signal);
    try {
      expect((await changes.next()).value).toEqual({ type: 'resync' });
      // The stranger's deployment is committed first: if it leaked, it would come before ours.
      await getDb().deployment.create({
        data: { id: `${theirs}-1`, projectId: theirProject!.id, status: 'pending' },
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      await getDb().deployment.create({
        data: { id: `${mine}-1`, projectId: myProject!.id, status: 'pending' },
      });
      const next = (await changes.next()).value as ProjectChange | undefined;
      expect(next).toMatchObject({ type: 'changed' });
      const names = next?.type === 'changed' ? next.projects.map((summary) => summary.name) : [];
      expect(names).toEqual([mine]);
      expect(next?.type === 'changed' && next.projects[0]).toMatchObject({
        status: 'deploying',
        lastDeployment: { id: `${mine}-1`, status: 'pending' },
      });

      await getDb().deployment.update({ where: { id: `${mine}-1` }, data: { status: 'failed' } });
      expect((await changes.next()).value).toMatchObject({
        type: 'changed',
        // Never started (desired state stopped), so the project is stopped rather than failed.
        projects: [{ name: mine, status: 'stopped', lastDeployment: { status: 'failed' } }],
      });
    } finally {
      abort.abort();
      await changes.return(undefined);
    }
  });

  it('a project page hears only about its project', async () => {
    const owner = await createUser();
    const api = apiAs(userCaller(owner));
    const [page, other] = [uniqueName('page'), uniqueName('other')];
    await api.project.create({ name: page });
    await api.project.create({ name: other });
    const abort = new AbortController();
    const changes = projectChanges(userCaller(owner), { all: false, project: page }, abort.signal);
    try {
      expect((await changes.next()).value).toEqual({ type: 'resync' });
      await api.project.update({ project: other, visibility: 'private' });
      await new Promise((resolve) => setTimeout(resolve, 300));
      await api.project.update({ project: page, visibility: 'private' });
      expect((await changes.next()).value).toMatchObject({
        type: 'changed',
        projects: [{ name: page, visibility: 'private' }],
      });
    } finally {
      abort.abort();
      await changes.return(undefined);
    }
  });

  it('a project page hears of its preview groups: one removed, an expiry extended', async () => {
    const owner = await createUser();
    const name = uniqueName('previews');
    const project = await apiAs(userCaller(owner)).project.create({ name });
    const { id: projectId } = await getDb().project.findUniqueOrThrow({ where: { name: project.name } });
    const deployment = await getDb().deployment.create({
      data: {
        id: `20261202-1415-${randomBytes(2).toString('hex')}`,
        projectId,
        status: 'healthy',
        group: 'mr/1',
      },
    });
    await getDb().deploymentGroup.create({
      data: { projectId, name: 'mr/1', host: `${name}-mr--1.localhost`, activeDeploymentId: deployment.id },
    });
    const abort = new AbortController();
    const changes = projectChanges(userCaller(owner), { all: false, project: name }, abort.signal);
    try {
      expect((await changes.next()).value).toEqual({ type: 'resync' });
      await getDb().deployment.update({ where: { id: deployment.id }, data: { expiresAt: new Date() } });
      expect((await changes.next()).value).toMatchObject({ type: 'changed', projects: [{ name }] });
      await getDb().deploymentGroup.deleteMany({ where: { projectId } });
      expect((await changes.next()).value).toMatchObject({ type: 'changed', projects: [{ name }] });
    } finally {
      abort.abort();
      await changes.return(undefined);
    }
  });

  it("naming another tenant's project hears nothing of it", async () => {
    const owner = await createUser();
    const name = uniqueName('private');
    await apiAs(userCaller(owner)).project.create({ name });
    const abort = new AbortController();
    const changes = projectChanges(
      userCaller(await createUser()),
      { all: true, project: name },
      abort.signal,
    );
    try {
      expect((await changes.next()).value).toEqual({ type: 'resync' });
      const next = changes.next();
      await apiAs(userCaller(owner)).project.update({ project: name, visibility: 'private' });
      // The owner's own subscription would see this within the coalescing delay (see above).
      const heard = await Promise.race([
        next,
        new Promise((resolve) => setTimeout(() => resolve('nothing'), 1500)),
      ]);
      expect(heard).toBe('nothing');
    } finally {
      abort.abort();
      await changes.return(undefined);
    }
  });
});
