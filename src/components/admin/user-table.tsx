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
    <section
      aria-labelledby="admin-users"
      className="rounded-xl border border-zinc-200 bg-white p-4 shadow-sm sm:p-6 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <h2 id="admin-users" className="mb-4 text-lg font-semibold">
        Users
      </h2>
      {users.length === 0 ? (
        <p className="text-sm text-zinc-500 dark:text-zinc-400">No users yet.</p>
      ) : (
        <div className="relative -mx-4 overflow-x-auto px-4 sm:-mx-6 sm:px-6">
          <table className="w-full min-w-[40rem] text-left text-sm">
            <caption className="sr-only">Users ({users.length})</caption>
            <thead className="text-zinc-500 dark:text-zinc-400">
              <tr>
                <th scope="col" className="py-2 pr-4 font-medium">
                  Username
                </th>
                <th scope="col" className="py-2 pr-4 font-medium">
                  Name
                </th>
                <th scope="col" className="py-2 pr-4 font-medium">
                  Email
                </th>
                <th scope="col" className="py-2 pr-4 text-right font-medium">
                  Teams
                </th>
                <th scope="col" className="py-2 pr-4 text-right font-medium">
                  Projects
                </th>
                <th scope="col" className="py-2 font-medium">
                  Joined
                </th>
              </tr>
            </thead>
            <tbody>
              {users.map((user) => (
                <tr
                  key={user.username}
                  data-testid={`user-${user.username}`}
                  className="border-t border-zinc-100 align-top dark:border-zinc-800"
                >
                  <td className="py-2.5 pr-4 whitespace-nowrap">
                    <span className="font-mono text-xs">{user.username}</span>
                    {user.isPlatformAdmin && (
                      <span className="ml-2 rounded bg-amber-100 px-1.5 text-xs text-amber-900 dark:bg-amber-900/40 dark:text-amber-200">
                        admin
                      </span>
                    )}
                  </td>
                  <td className="py-2.5 pr-4">{user.name ?? <span className="text-zinc-400">—</span>}</td>
                  <td className="py-2.5 pr-4 break-all">{user.email}</td>
                  <td className="py-2.5 pr-4 text-right tabular-nums">{user.teamCount}</td>
                  <td className="py-2.5 pr-4 text-right tabular-nums">{user.projectCount}</td>
                  <td className="py-2.5 whitespace-nowrap text-zinc-600 dark:text-zinc-400">
                    <TimeAgo date={user.createdAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
