'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

const links = [
  { href: '/', label: 'Projects', match: (path: string) => path === '/' || path.startsWith('/projects') },
  { href: '/overview', label: 'Overview', match: (path: string) => path.startsWith('/overview') },
  { href: '/teams', label: 'Teams', match: (path: string) => path.startsWith('/teams') },
  { href: '/tokens', label: 'API tokens', match: (path: string) => path.startsWith('/tokens') },
  { href: '/audit', label: 'Audit log', match: (path: string) => path.startsWith('/audit') },
];
const adminLink = { href: '/admin', label: 'Admin', match: (path: string) => path.startsWith('/admin') };

/** The dashboard's sections; on a narrow screen the links wrap onto a second line rather than scroll. */
export function MainNav({ isPlatformAdmin }: { isPlatformAdmin: boolean }) {
  const path = usePathname();
  return (
    <nav aria-label="Main" className="-mx-1 flex flex-wrap gap-1 text-sm">
      {[...links, ...(isPlatformAdmin ? [adminLink] : [])].map((link) => {
        const active = link.match(path);
        return (
          <Link
            key={link.href}
            href={link.href}
            aria-current={active ? 'page' : undefined}
            className={`rounded-md px-3 py-1.5 whitespace-nowrap focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 ${
              active
                ? 'bg-zinc-100 font-medium text-zinc-900 dark:bg-zinc-800 dark:text-zinc-100'
                : 'text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-800'
            }`}
          >
            {link.label}
          </Link>
        );
      })}
    </nav>
  );
}
