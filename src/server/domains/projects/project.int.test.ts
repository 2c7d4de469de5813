import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import {
  apiAs,
  createTeamWithRoles,
  createUser,
  rejectionOf,
  uniqueName,
  userCaller,
} from '../../../../test/fixtures';

const failure = (promise: Promise<unknown>) => rejectionOf(promise, TRPCError);

describe('projects', () => {
  it('suggests the team the user meant, as in the CLI journey', async () => {
    const { members } = await createTeamWithRoles('devops');
    await createTeamWithRoles('design');
    const api = apiAs(userCaller(members.developer));
    const error = await failure(
      api.project.create({ name: 'secret-app', visibility: 'private', owner: 'team:devopsy' }),
    );
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toBe(
      "Team 'devopsy' does not exist or you do not have permission to create projects for it. Did you mean 'devops'?",
    );

    // 'design' exists but the user is not a member: it is neither usable nor suggested.
    const hidden = await failure(api.project.create({ name: 'other-app', owner: 'team:desing' }));
    expect(hidden.message).not.toContain('design');

    const created = await api.project.create({
      name: 'secret-app',
      visibility: 'private',
      owner: 'team:devops',
    });
    expect(created).toMatchObject({
      name: 'secret-app',
      visibility: 'private',
      owner: 'team:devops',
      status: 'stopped',
      url: 'http://secret-app.localhost',
    });
  });

  it('viewers cannot create projects for a team', async () => {
    const { team, members } = await createTeamWithRoles();
    const error = await failure(
      apiAs(userCaller(members.viewer)).project.create({ name: uniqueName('p'), owner: `team:${team.name}` }),
    );
    expect(error.message).toContain('do not have permission to create projects');
  });

  it('names are global DNS labels', async () => {
    const alice = apiAs(userCaller(await createUser()));
    const bob = apiAs(userCaller(await createUser()));
    const name = uniqueName('taken');
    await alice.project.create({ name });
    expect((await failure(bob.project.create({ name }))).code).toBe('CONFLICT');
    const invalid = await failure(alice.project.create({ name: 'Bad_Name' }));
    expect(invalid.code).toBe('BAD_REQUEST');
    expect(invalid.message).toContain('lowercase letters, digits and hyphens');
  });

  it('lists what the caller may see with owner, role and URL', async () => {
    const { team, members } = await createTeamWithRoles();
    const outsider = await createUser();
    const teamProject = uniqueName('team-app');
    await apiAs(userCaller(members.admin)).project.create({ name: teamProject, owner: `team:${team.name}` });
    const mine = uniqueName('mine');
    await apiAs(userCaller(members.viewer)).project.create({ name: mine });

    const viewerList = await apiAs(userCaller(members.viewer)).project.list();
    expect(viewerList.map((p) => [p.name, p.role, p.owner]).sort()).toEqual(
      [
        [mine, 'owner', `user:${members.viewer.username}`],
        [teamProject, 'viewer', `team:${team.name}`],
      ].sort(),
    );
    expect(await apiAs(userCaller(outsider)).project.list()).toEqual([]);
    expect((await failure(apiAs(userCaller(outsider)).project.get({ project: teamProject }))).code).toBe(
      'NOT_FOUND',
    );
  });

  it('only an owner transfers, and only to an owner they may use', async () => {
    const { team, members } = await createTeamWithRoles();
    const name = uniqueName('moving');
    await apiAs(userCaller(members.owner)).project.create({ name });
    const moved = await apiAs(userCaller(members.owner)).project.update({
      project: name,
      owner: `team:${team.name}`,
    });
    expect(moved.owner).toBe(`team:${team.name}`);

    const admin = apiAs(userCaller(members.admin));
    const refused = await failure(
      admin.project.update({ project: name, owner: `user:${members.admin.username}` }),
    );
    expect(refused.code).toBe('FORBIDDEN');
    expect((await admin.project.update({ project: name, port: 3000, healthPath: '/healthz' })).port).toBe(
      3000,
    );
  });

  it('every change leaves an audit trail the members can read', async () => {
    const owner = await createUser();
    const api = apiAs(userCaller(owner));
    const name = uniqueName('audited');
    await api.project.create({ name });
    await api.project.update({ project: name, visibility: 'private' });
    await api.project.delete({ project: name });
    const { events } = await api.audit.list({ project: undefined });
    expect(events.slice(0, 3).map((e) => [e.action, e.targetName, e.actor])).toEqual([
      ['project.delete', name, `user:${owner.username}`],
      ['project.update', name, `user:${owner.username}`],
      ['project.create', name, `user:${owner.username}`],
    ]);
    const stranger = apiAs(userCaller(await createUser()));
    expect((await stranger.audit.list({})).events.filter((e) => e.targetName === name)).toEqual([]);
  });
});
