import type { ReactNode } from 'react';

/**
 * The red "Danger zone" region at the bottom of a page: what the destructive action does
 * (`description`) beside the button that starts it (`action`); `children` go below, e.g. its dialog.
 */
export function DangerZoneSection({
  titleId,
  description,
  action,
  children,
}: {
  titleId: string;
  description: ReactNode;
  action: ReactNode;
  children?: ReactNode;
}) {
  return (
    <section
      aria-labelledby={titleId}
      className="rounded-xl border border-red-300 bg-white p-4 shadow-sm sm:p-6 dark:border-red-900 dark:bg-zinc-900"
    >
      <h2 id={titleId} className="mb-2 text-lg font-semibold text-red-700 dark:text-red-400">
        Danger zone
      </h2>
      <div className="flex flex-col gap-3 sm:flex-row sm:items-center sm:justify-between">
        <p className="text-sm text-zinc-700 dark:text-zinc-300">{description}</p>
        {action}
      </div>
      {children}
    </section>
  );
}
