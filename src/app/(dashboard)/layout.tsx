import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import type { ReactNode } from 'react';
import { AppHeader } from '@/components/layout/app-header';
import { parseTheme, THEME_COOKIE } from '@/components/theme/theme';
import { REQUEST_PATH_HEADER } from '@/proxy';
import { TRPCReactProvider } from '@/trpc/react';
import { requireSignedIn } from '@/trpc/server';

export const dynamic = 'force-dynamic';

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const returnTo = (await headers()).get(REQUEST_PATH_HEADER) ?? '/';
  const me = await requireSignedIn(returnTo, (api) => api.me());
  // Service accounts authenticate with tokens and have no browser session.
  if (me.kind !== 'user') redirect('/signin');
  const theme = parseTheme((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <TRPCReactProvider>
      <AppHeader user={me} theme={theme} />
      <main className="mx-auto flex max-w-6xl flex-col gap-6 px-4 py-6 sm:px-6">{children}</main>
    </TRPCReactProvider>
  );
}
