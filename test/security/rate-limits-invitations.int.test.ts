import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import { apiAs, createTeamWithRoles, createUser, rejectionOf, uniqueName, userCaller } from '../fixtures';

// Invitations are a way into a team: a team admin must not reach another team's invitations, nor
// invite someone as owner; the link must not be recoverable from what is stored or listed.
const email = () => `${uniqueName('invitee')}@example.test`;

describe('invitations across tenants', () => {
  it('a team admin cannot list or revoke another team’s invitations', async () => {
    const ours = await createTeamWithRoles();
    const theirs = await createTeamWithRoles();
    const invited = await apiAs(userCaller(theirs.members.admin)).invitation.createForTeam({
      team: theirs.team.name,
      email: email(),
      role: 'developer',
    });
    const ourAdmin = apiAs(userCaller(ours.members.admin));
    expect(await ourAdmin.invitation.listForTeam({ team: ours.team.name })).toEqual([]);
    const revoke = await rejectionOf(
      ourAdmin.invitation.revokeForTeam({ team: ours.team.name, id: invited.id }),
      TRPCError,
    );
    expect(revoke.code).toBe('NOT_FOUND');
    const list = await rejectionOf(ourAdmin.invitation.listForTeam({ team: theirs.team.name }), TRPCError);
    expect(list.code).toBe('NOT_FOUND');
    expect(await getDb().invitation.count({ where: { id: invited.id } })).toBe(1);
  });

  it('only an owner invites an owner', async () => {
    const { team, members } = await createTeamWithRoles();
    const asAdmin = rejectionOf(
      apiAs(userCaller(members.admin)).invitation.createForTeam({
        team: team.name,
        email: email(),
        role: 'owner',
      }),
      TRPCError,
    );
    expect((await asAdmin).code).toBe('FORBIDDEN');
    const byOwner = await apiAs(userCaller(members.owner)).invitation.createForTeam({
      team: team.name,
      email: email(),
      role: 'owner',
    });
    expect(byOwner.role).toBe('owner');
  });

  it('stores and lists no usable link', async () => {
    const admin = await createUser({ admin: true });
    const created = await apiAs(userCaller(admin)).invitation.create({ email: email() });
    const token = new URL(created.link).searchParams.get('invite')!;
    const row = await getDb().invitation.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.tokenHash).not.toContain(token);
    const listed = await apiAs(userCaller(admin)).invitation.list();
    expect(JSON.stringify(listed)).not.toContain(token);
    expect(listed.map((item) => item.id)).toContain(created.id);
  });

  it('refuses to invite an existing account, or a role without a team', async () => {
    const admin = await createUser({ admin: true });
    const existing = await createUser();
    const api = apiAs(userCaller(admin));
    expect((await rejectionOf(api.invitation.create({ email: existing.email }), TRPCError)).code).toBe(
      'CONFLICT',
    );
    expect(
      (await rejectionOf(api.invitation.create({ email: email(), role: 'viewer' }), TRPCError)).code,
    ).toBe('BAD_REQUEST');
    expect(
      (await rejectionOf(api.invitation.create({ email: email(), team: uniqueName('none') }), TRPCError))
        .code,
    ).toBe('NOT_FOUND');
  });
});
