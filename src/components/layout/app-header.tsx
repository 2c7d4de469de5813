import { secondaryButton } from '@/components/ui/card';
import { signOut } from '@/server/auth/nextauth';

export function AppHeader({
  user,
}: {
  user: { username: string; name: string | null; isPlatformAdmin: boolean };
}) {
  async function signOutAction() {
    'use server';
    await signOut({ redirectTo: '/signin' });
  }
  return (
    <header className="border-b border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <div className="mx-auto flex max-w-5xl items-center justify-between gap-4 px-6 py-3">
        <a href="/" className="text-xl font-bold tracking-tight">
          Rise
        </a>
        <div className="flex items-center gap-3 text-sm">
          <span data-testid="signed-in-user">
            {user.name ?? user.username} <span className="text-zinc-500">(user:{user.username})</span>
            {user.isPlatformAdmin && (
              <span className="ml-2 rounded bg-amber-100 px-1.5 text-amber-900">admin</span>
            )}
          </span>
          <form action={signOutAction}>
            <button type="submit" className={secondaryButton}>
              Sign out
            </button>
          </form>
        </div>
      </div>
    </header>
  );
}
