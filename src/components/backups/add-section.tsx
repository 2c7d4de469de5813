import type { ReactNode } from 'react';

/**
 * The "Add a …" part at the bottom of a backup card: a small heading over its form, set off by a rule
 * from the list above unless `divided` is false (nothing above it).
 */
export function AddSection({
  title,
  divided = true,
  children,
}: {
  title: string;
  divided?: boolean;
  children: ReactNode;
}) {
  return (
    <div className={divided ? 'mt-4 border-t border-zinc-100 pt-4 dark:border-zinc-800' : ''}>
      <h3 className="mb-3 text-sm font-semibold">{title}</h3>
      {children}
    </div>
  );
}
