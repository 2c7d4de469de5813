import { linkClass } from '@/components/ui/link-class';

/** The preview group a deployment belongs to, linking to the group's URL. */
export function GroupBadge({ group, url }: { group: string; url: string }) {
  return (
    <a
      href={url}
      target="_blank"
      rel="noreferrer"
      title={`Deployment group ${group}: ${url}`}
      className={`${linkClass} rounded-full border border-violet-500 px-2 py-0.5 font-mono text-xs font-medium text-violet-800 dark:border-violet-400 dark:text-violet-200`}
    >
      group {group}
    </a>
  );
}
