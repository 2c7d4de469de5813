import { Card } from '@/components/ui/card';
import { cellClass, DataTable, rowClass } from '@/components/ui/table';
import { TimeAgo } from '@/components/ui/time-ago';

type PlatformUser = {
  username: string;
  name: string | null;
  email: string;
  isPlatformAdmin: boolean;
  teamCount: number;
  projectCount: number;
  createdAt: Date;
};

/** Every user of the platform, with how many teams and projects each has. */
export function UserTable({ users }: { users: PlatformUser[] }) {
  return (
    <Card title="Users" titleId="admin-users">
      {users.length === 0 ? (
        <p className="text-sm text-zinc-500 dark:text-zinc-400">No users yet.</p>
      ) : (
        <DataTable
          caption={`Users (${users.length})`}
          minWidth="min-w-[40rem]"
          columns={[
            'Username',
            'Name',
            'Email',
            { label: 'Teams', numeric: true },
            { label: 'Projects', numeric: true },
            'Joined',
          ]}
        >
          {users.map((user) => (
            <tr key={user.username} data-testid={`user-${user.username}`} className={rowClass}>
              <td className={`${cellClass} whitespace-nowrap`}>
                <span className="font-mono text-xs">{user.username}</span>
                {user.isPlatformAdmin && (
                  <span className="ml-2 rounded bg-amber-100 px-1.5 text-xs text-amber-900 dark:bg-amber-900/40 dark:text-amber-200">
                    admin
                  </span>
                )}
              </td>
              <td className={cellClass}>{user.name ?? <span className="text-zinc-400">—</span>}</td>
              <td className={`${cellClass} break-all`}>{user.email}</td>
              <td className={`${cellClass} text-right tabular-nums`}>{user.teamCount}</td>
              <td className={`${cellClass} text-right tabular-nums`}>{user.projectCount}</td>
              <td className={`${cellClass} whitespace-nowrap text-zinc-600 dark:text-zinc-400`}>
                <TimeAgo date={user.createdAt} />
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </Card>
  );
}
