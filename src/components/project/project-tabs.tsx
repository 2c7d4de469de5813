'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useEffect, useRef } from 'react';

const tabs = [
  { label: 'Deployments', path: '' },
  { label: 'Metrics', path: '/metrics' },
  { label: 'Previews', path: '/previews' },
  { label: 'Source', path: '/source' },
  { label: 'Environment', path: '/env' },
  { label: 'Domains', path: '/domains' },
  { label: 'Databases', path: '/databases' },
  { label: 'Volumes', path: '/volumes' },
  { label: 'Cron jobs', path: '/cron' },
  { label: 'Service accounts', path: '/service-accounts' },
  { label: 'Terminal', path: '/terminal' },
  { label: 'Settings', path: '/settings' },
];

/**
 * Scrolls the tab bar sideways just enough to show its current tab. Not scrollIntoView: that would
 * also scroll the page vertically when the bar is out of view (e.g. after going back to a scrolled page).
 */
function revealCurrentTab(bar: HTMLElement) {
  const current = bar.querySelector('[aria-current="page"]');
  if (!current) return;
  const barBox = bar.getBoundingClientRect();
  const tabBox = current.getBoundingClientRect();
  if (tabBox.left < barBox.left) bar.scrollLeft -= barBox.left - tabBox.left;
  else if (tabBox.right > barBox.right) bar.scrollLeft += tabBox.right - barBox.right;
}

/**
 * The tabs of a project page; the current one is marked with aria-current. On a narrow screen the bar
 * scrolls sideways, and the current tab is brought into view on load and whenever the page changes.
 */
export function ProjectTabs({ name }: { name: string }) {
  const pathname = usePathname();
  const base = `/projects/${name}`;
  const bar = useRef<HTMLElement>(null);
  useEffect(() => {
    if (bar.current && pathname) revealCurrentTab(bar.current);
  }, [pathname]);
  return (
    <nav
      ref={bar}
      aria-label="Project"
      className="-mt-2 overflow-x-auto border-b border-zinc-200 dark:border-zinc-800"
    >
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
