'use client';

import { DialogButton } from '@/components/ui/dialog-button';
import { NewDatabaseForm } from './new-database-form';

/** The "New database" button and its dialog; the form starts fresh each time the dialog opens. */
export function NewDatabaseDialog({ project }: { project: string }) {
  return (
    <DialogButton variant="primary" label="New database" title="New database">
      {(close) => <NewDatabaseForm project={project} onDone={close} />}
    </DialogButton>
  );
}
