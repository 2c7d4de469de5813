/** "3 previews": how many of a project's preview groups are live; nothing when there are none. */
export function PreviewsBadge({ project, count }: { project: string; count: number }) {
  if (count <= 0) return null;
  return (
    <span
      data-testid={`project-previews-${project}`}
      title="Preview deployments (groups other than default) that are live"
      className="inline-block rounded-full border border-violet-500 px-2 py-0.5 text-xs font-medium whitespace-nowrap text-violet-800 dark:border-violet-400 dark:text-violet-200"
    >
      {count === 1 ? '1 preview' : `${count} previews`}
    </span>
  );
}
