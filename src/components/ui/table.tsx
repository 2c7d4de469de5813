import type { ReactNode } from 'react';

/** Reaches to the edges of a Card's padding, so that a wide table scrolls edge to edge. */
const cardBleed = '-mx-4 px-4 sm:-mx-6 sm:px-6';

export const rowClass = 'border-t border-zinc-100 align-top dark:border-zinc-800';
export const cellClass = 'py-2.5 pr-4 last:pr-0';

/**
 * A table at least `minWidth` wide (a `min-w-[…]` class) that scrolls sideways in its own box instead of
 * widening the page, with a caption for screen readers. The box is `relative` so that sr-only content
 * (absolutely positioned) is clipped by it too; otherwise it widens the page on a phone.
 */
export function ScrollTable({
  caption,
  minWidth,
  bleed = cardBleed,
  children,
}: {
  caption: string;
  minWidth: string;
  bleed?: string;
  children: ReactNode;
}) {
  return (
    <div className={`relative overflow-x-auto ${bleed}`}>
      <table className={`w-full ${minWidth} text-left text-sm`}>
        <caption className="sr-only">{caption}</caption>
        {children}
      </table>
    </div>
  );
}

/** A column header; `numeric` aligns it right, `hidden` names it for screen readers only. */
export type Column = string | { label: string; numeric?: boolean; hidden?: boolean };

/** A ScrollTable with a header row of `columns`; `children` are its body rows (see rowClass, cellClass). */
export function DataTable({
  caption,
  minWidth,
  columns,
  children,
}: {
  caption: string;
  minWidth: string;
  columns: Column[];
  children: ReactNode;
}) {
  return (
    <ScrollTable caption={caption} minWidth={minWidth}>
      <thead className="text-zinc-500 dark:text-zinc-400">
        <tr>
          {columns.map((column) => {
            const { label, numeric, hidden } = typeof column === 'string' ? { label: column } : column;
            return (
              <th
                key={label}
                scope="col"
                className={`py-2 pr-4 font-medium last:pr-0${numeric ? ' text-right' : ''}`}
              >
                {hidden ? <span className="sr-only">{label}</span> : label}
              </th>
            );
          })}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </ScrollTable>
  );
}
