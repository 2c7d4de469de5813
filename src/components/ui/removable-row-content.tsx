import type { ComponentProps, ReactNode } from 'react';
import { RemoveButton } from './remove-button';

/**
 * What a list row with a Remove button holds, inside the caller's flex row: the item's details
 * (`children`) stacked on the left and, unless `remove` is false (the user may not remove it), its
 * Remove button on the right.
 */
export function RemovableRowContent({
  remove,
  children,
}: {
  remove: ComponentProps<typeof RemoveButton> | false;
  children: ReactNode;
}) {
  return (
    <>
      <div className="flex min-w-0 flex-col gap-1">{children}</div>
      {remove && (
        <div className="shrink-0">
          <RemoveButton {...remove} />
        </div>
      )}
    </>
  );
}
