import type { Metadata } from 'next';
import { PlatformBackups } from '@/components/admin/platform-backups';
import { PlatformDisk } from '@/components/admin/platform-disk';
import { PlatformHealth } from '@/components/admin/platform-health';
import { UserTable } from '@/components/admin/user-table';
import { InvitationsPanel } from '@/components/invitation/invitations-panel';
import { env } from '@/env';
import { requireSignedIn } from '@/trpc/server';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Platform admin · Rise' };

export default async function AdminPage() {
  const users = await requireSignedIn('/admin', async (api) => {
    const me = await api.me();
    return me.kind === 'user' && me.isPlatformAdmin ? api.admin.users() : null;
  });
  return (
    <>
      <h1 className="text-2xl font-semibold">Platform admin</h1>
      {users === null ? (
        <p
          role="alert"
          className="rounded-xl border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-200"
        >
          Only platform admins can see this page. Ask an admin of this Rise installation if you need access.
        </p>
      ) : (
        <>
          <PlatformHealth />
          <PlatformDisk />
          <UserTable users={users} />
          {env.RISE_LOCAL_AUTH && <InvitationsPanel />}
          <PlatformBackups />
        </>
      )}
    </>
  );
}
