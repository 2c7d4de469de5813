import type { ReactNode } from 'react';

/** What to do when there is nothing to show yet, with the CLI command that gets the user there. */
export function EmptyState({
  title,
  children,
  command,
}: {
  title: string;
  children?: ReactNode;
  command?: string;
}) {
  return (
    <div className="flex flex-col items-center gap-2 px-4 py-8 text-center" data-testid="empty-state">
      <p className="font-medium">{title}</p>
      {children && <div className="text-sm text-zinc-600 dark:text-zinc-400">{children}</div>}
      {command && (
        <code className="max-w-full overflow-x-auto rounded-md bg-zinc-100 px-3 py-1.5 font-mono text-sm dark:bg-zinc-800">
          {command}
        </code>
      )}
    </div>
  );
}
