'use client';

import type { z } from 'zod';
import { Card } from '@/components/ui/card';
import { actionsColumn, cellClass, DataTable, hiddenOnPhonesClass, rowClass } from '@/components/ui/table';
import { TimeAgo } from '@/components/ui/time-ago';
import { canOnTeam, ROLES } from '@/server/domains/access/permissions';
import type { teamDetail } from '@/server/domains/teams/team.schema';
import { MemberRoleSelect } from './member-role-select';
import { RemoveMemberButton } from './remove-member-button';
import { RoleBadge } from './role-badge';

type TeamDetail = z.infer<typeof teamDetail>;

/**
 * The members of a team. Admins and owners get a role select and a remove button per member; only
 * owners may touch owners or grant the owner role, as the API enforces. On phones the username and
 * join date move under the name, so that the role select and the remove button fit the width.
 */
export function MemberTable({ team, username }: { team: TeamDetail; username: string | null }) {
  const mayManage = canOnTeam(team.role, 'team:members');
  const isOwner = canOnTeam(team.role, 'team:delete');
  const grantable = ROLES.filter((role) => isOwner || role !== 'owner');
  const owners = team.members.filter((member) => member.role === 'owner').length;

  return (
    <Card title={`Members (${team.members.length})`}>
      {!mayManage && (
        <p className="mb-3 text-sm text-zinc-600 dark:text-zinc-400">
          Only team admins and owners can add or remove members and change roles.
        </p>
      )}
      <DataTable
        caption={`Members of team ${team.name}`}
        minWidth="sm:min-w-[36rem]"
        columns={[
          'Name',
          { label: 'Username', hiddenOnPhones: true },
          'Role',
          { label: 'Joined', hiddenOnPhones: true },
          ...(mayManage ? [actionsColumn] : []),
        ]}
      >
        {team.members.map((member) => {
          const editable = mayManage && (isOwner || member.role !== 'owner');
          const self = member.username === username;
          return (
            <tr key={member.username} data-testid={`member-${member.username}`} className={rowClass}>
              <td className={cellClass}>
                <div className="font-medium">{member.name ?? member.username}</div>
                <div className="text-xs wrap-anywhere text-zinc-500 dark:text-zinc-400">{member.email}</div>
                <div className="text-xs text-zinc-500 sm:hidden dark:text-zinc-400">
                  <span className="font-mono">{member.username}</span>
                  {self && ' (you)'} · joined <TimeAgo date={member.joinedAt} />
                </div>
              </td>
              <td className={`${cellClass} ${hiddenOnPhonesClass} font-mono text-xs whitespace-nowrap`}>
                {member.username}
                {self && <span className="ml-1 font-sans text-zinc-500 dark:text-zinc-400">(you)</span>}
              </td>
              <td className={cellClass}>
                {editable ? (
                  <MemberRoleSelect
                    team={team.name}
                    username={member.username}
                    role={member.role}
                    roles={grantable}
                    lastOwner={member.role === 'owner' && owners <= 1}
                  />
                ) : (
                  <RoleBadge role={member.role} />
                )}
              </td>
              <td
                className={`${cellClass} ${hiddenOnPhonesClass} whitespace-nowrap text-zinc-600 dark:text-zinc-400`}
              >
                <TimeAgo date={member.joinedAt} />
              </td>
              {mayManage && (
                <td className={`${cellClass} text-right`}>
                  {editable && <RemoveMemberButton team={team.name} username={member.username} self={self} />}
                </td>
              )}
            </tr>
          );
        })}
      </DataTable>
    </Card>
  );
}
