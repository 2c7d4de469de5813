import type { Role } from '@/server/domains/access/permissions';

const tones: Record<Role, string> = {
  owner: 'bg-violet-100 text-violet-900 dark:bg-violet-900/40 dark:text-violet-200',
  admin: 'bg-indigo-100 text-indigo-900 dark:bg-indigo-900/40 dark:text-indigo-200',
  developer: 'bg-sky-100 text-sky-900 dark:bg-sky-900/40 dark:text-sky-200',
  viewer: 'bg-zinc-200 text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200',
};

/** A team role as a small pill. */
export function RoleBadge({ role }: { role: Role }) {
  return (
    <span
      className={`inline-block rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ${tones[role]}`}
    >
      {role}
    </span>
  );
}
