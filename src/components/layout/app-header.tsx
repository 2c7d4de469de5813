import Link from 'next/link';
import type { Theme } from '@/components/theme/theme';
import { ThemeToggle } from '@/components/theme/theme-toggle';
import { secondaryButton, smallButton } from '@/components/ui/button';
import { signOut } from '@/server/auth/nextauth';
import { MainNav } from './main-nav';

export function AppHeader({
  user,
  theme,
}: {
  user: { username: string; name: string | null; isPlatformAdmin: boolean };
  theme: Theme;
}) {
  async function signOutAction() {
    'use server';
    await signOut({ redirectTo: '/signin' });
  }
  return (
    <header className="border-b border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <div className="mx-auto flex max-w-6xl flex-col gap-2 px-4 py-3 sm:px-6">
        <div className="flex items-center justify-between gap-3">
          <Link
            href="/"
            className="rounded text-xl font-bold tracking-tight focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
          >
            Rise
          </Link>
          <div className="flex min-w-0 items-center gap-2 text-sm">
            <span data-testid="signed-in-user" className="truncate">
              {user.name ?? user.username}{' '}
              <span className="hidden text-zinc-500 sm:inline">(user:{user.username})</span>
              {user.isPlatformAdmin && (
                <span className="ml-2 rounded bg-amber-100 px-1.5 text-amber-900 dark:bg-amber-900/40 dark:text-amber-200">
                  admin
                </span>
              )}
            </span>
            <ThemeToggle initial={theme} />
            <form action={signOutAction}>
              <button type="submit" className={`${secondaryButton} ${smallButton}`}>
                Sign out
              </button>
            </form>
          </div>
        </div>
        <MainNav isPlatformAdmin={user.isPlatformAdmin} />
      </div>
    </header>
  );
}
