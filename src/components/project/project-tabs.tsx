'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

const tabs = [
  { label: 'Deployments', path: '' },
  { label: 'Environment', path: '/env' },
  { label: 'Domains', path: '/domains' },
  { label: 'Databases', path: '/databases' },
  { label: 'Settings', path: '/settings' },
];

/** The tabs of a project page; the current one is marked with aria-current. */
export function ProjectTabs({ name }: { name: string }) {
  const pathname = usePathname();
  const base = `/projects/${name}`;
  return (
    <nav aria-label="Project" className="-mt-2 overflow-x-auto border-b border-zinc-200 dark:border-zinc-800">
      <ul className="flex gap-1 text-sm">
        {tabs.map((tab) => {
          const href = `${base}${tab.path}`;
          const active = tab.path === '' ? pathname === base : pathname.startsWith(href);
          return (
            <li key={tab.label}>
              <Link
                href={href}
                aria-current={active ? 'page' : undefined}
                className={`-mb-px inline-block rounded-t-md border-b-2 px-3 py-2 whitespace-nowrap focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 ${
                  active
                    ? 'border-indigo-600 font-medium text-zinc-900 dark:border-indigo-400 dark:text-zinc-100'
                    : 'border-transparent text-zinc-600 hover:border-zinc-300 hover:text-zinc-900 dark:text-zinc-400 dark:hover:border-zinc-600 dark:hover:text-zinc-100'
                }`}
              >
                {tab.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
