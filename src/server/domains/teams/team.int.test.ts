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

describe('teams', () => {
  it('the creator is owner; members are added by username or email', async () => {
    const creator = await createUser();
    const alice = await createUser();
    const api = apiAs(userCaller(creator));
    const name = uniqueName('crew');
    await api.team.create({ name });
    await api.team.addMember({ team: name, user: `user:${alice.username}`, role: 'developer' });
    const team = await api.team.get({ team: name });
    expect(team.members.map((m) => [m.username, m.role])).toEqual([
      [creator.username, 'owner'],
      [alice.username, 'developer'],
    ]);
    expect((await apiAs(userCaller(alice)).team.list()).map((t) => [t.name, t.role])).toEqual([
      [name, 'developer'],
    ]);
  });

  it('an unknown user gets a hint', async () => {
    const { team, members } = await createTeamWithRoles();
    const someone = await createUser({ username: uniqueName('charlotte') });
    const typo = `${someone.username.slice(0, -1)}x`;
    const error = await failure(
      apiAs(userCaller(members.admin)).team.addMember({ team: team.name, user: typo }),
    );
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toContain(`Did you mean '${someone.username}'?`);
  });

  it('admins cannot hand out or take away ownership', async () => {
    const { team, members } = await createTeamWithRoles();
    const admin = apiAs(userCaller(members.admin));
    expect(
      (await failure(admin.team.setRole({ team: team.name, user: members.viewer.username, role: 'owner' })))
        .code,
    ).toBe('FORBIDDEN');
    expect(
      (await failure(admin.team.removeMember({ team: team.name, user: members.owner.username }))).code,
    ).toBe('FORBIDDEN');
  });

  it('a team always keeps an owner', async () => {
    const { team, members } = await createTeamWithRoles();
    const owner = apiAs(userCaller(members.owner));
    const error = await failure(
      owner.team.setRole({ team: team.name, user: members.owner.username, role: 'admin' }),
    );
    expect(error.code).toBe('PRECONDITION_FAILED');
    await owner.team.setRole({ team: team.name, user: members.admin.username, role: 'owner' });
    await owner.team.removeMember({ team: team.name, user: members.owner.username });
    expect((await failure(owner.team.get({ team: team.name }))).code).toBe('NOT_FOUND');
  });

  it('a team that still owns projects cannot be deleted', async () => {
    const { team, members } = await createTeamWithRoles();
    const owner = apiAs(userCaller(members.owner));
    const project = uniqueName('kept');
    await owner.project.create({ name: project, owner: `team:${team.name}` });
    const error = await failure(owner.team.delete({ team: team.name }));
    expect(error.code).toBe('PRECONDITION_FAILED');
    expect(error.message).toBe(`Team '${team.name}' still owns 1 project; delete or transfer them first.`);
    await owner.project.delete({ project });
    expect(await owner.team.delete({ team: team.name })).toEqual({ name: team.name, deleted: true });
  });
});
