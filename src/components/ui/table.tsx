import type { ReactNode } from 'react';

/** Reaches to the edges of a Card's padding, so that a wide table scrolls edge to edge. */
const cardBleed = '-mx-4 px-4 sm:-mx-6 sm:px-6';
/**
 * cardBleed for a table with sticky actions: the box's right padding moves into the last cell, since
 * a sticky cell stops at the padding and the scrolled data would show through beside it.
 */
const cardBleedStickyEnd = '-mx-4 pl-4 sm:-mx-6 sm:pl-6 [&_tr>:last-child]:pr-4 sm:[&_tr>:last-child]:pr-6';

/**
 * Keeps the last cell of every row (the row's actions) pinned to the right edge of the scroll box, on
 * the card's background, so that a table wider than a phone scrolls its data under its buttons instead
 * of hiding them. A table that fits never scrolls, so wide screens look as before.
 */
const stickyLastCell =
  '[&_tr>:last-child]:sticky [&_tr>:last-child]:right-0 [&_tr>:last-child]:bg-white dark:[&_tr>:last-child]:bg-zinc-900 max-sm:[&_tr>:last-child]:pl-3 max-sm:[&_tr>:last-child]:shadow-[-8px_0_8px_-8px_rgb(0_0_0/0.25)]';

export const rowClass = 'border-t border-zinc-100 align-top dark:border-zinc-800';
export const cellClass = 'py-2.5 pr-4 last:pr-0';

/**
 * A table at least `minWidth` wide (a `min-w-[…]` class) that scrolls sideways in its own box instead of
 * widening the page, with a caption for screen readers. The box is `relative` so that sr-only content
 * (absolutely positioned) is clipped by it too; otherwise it widens the page on a phone. With
 * `stickyActions` the last column (the row's buttons) stays in view while the rest scrolls.
 */
export function ScrollTable({
  caption,
  minWidth,
  bleed = cardBleed,
  stickyActions = false,
  children,
}: {
  caption: string;
  minWidth: string;
  bleed?: string;
  stickyActions?: boolean;
  children: ReactNode;
}) {
  const box = stickyActions && bleed === cardBleed ? cardBleedStickyEnd : bleed;
  return (
    <div className={`relative overflow-x-auto ${box}`}>
      <table className={`w-full ${minWidth} text-left text-sm ${stickyActions ? stickyLastCell : ''}`}>
        <caption className="sr-only">{caption}</caption>
        {children}
      </table>
    </div>
  );
}

/**
 * A column header; `numeric` aligns it right, `hidden` names it for screen readers only, `actions`
 * marks the last column as the row's buttons (kept in view on narrow screens, see ScrollTable),
 * `hiddenOnPhones` leaves it out below the `sm` breakpoint (its cells must carry `hiddenOnPhonesClass`
 * and the row shows their content elsewhere).
 */
export type Column =
  | string
  | { label: string; numeric?: boolean; hidden?: boolean; actions?: boolean; hiddenOnPhones?: boolean };

/** For the cells of a `hiddenOnPhones` column. */
export const hiddenOnPhonesClass = 'max-sm:hidden';

/** The header of a last column holding each row's buttons. */
export const actionsColumn: Column = { label: 'Actions', hidden: true, actions: true };

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
  const last = columns.at(-1);
  return (
    <ScrollTable
      caption={caption}
      minWidth={minWidth}
      stickyActions={typeof last === 'object' && last.actions === true}
    >
      <thead className="text-zinc-500 dark:text-zinc-400">
        <tr>
          {columns.map((column) => {
            const { label, numeric, hidden, hiddenOnPhones } =
              typeof column === 'string' ? { label: column } : column;
            return (
              <th
                key={label}
                scope="col"
                className={`py-2 pr-4 font-medium last:pr-0${numeric ? ' text-right' : ''}${
                  hiddenOnPhones ? ` ${hiddenOnPhonesClass}` : ''
                }`}
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
