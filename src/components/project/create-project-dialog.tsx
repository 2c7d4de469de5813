'use client';

import { DialogButton } from '@/components/ui/dialog-button';
import { CreateProjectForm } from './create-project-form';

/** The "New project" button and its dialog; the form starts fresh each time the dialog opens. */
export function CreateProjectDialog({
  username,
  isPlatformAdmin,
}: {
  username: string;
  isPlatformAdmin: boolean;
}) {
  return (
    <DialogButton variant="primary" label="New project" title="New project">
      {(close) => (
        <CreateProjectForm username={username} isPlatformAdmin={isPlatformAdmin} onCancel={close} />
      )}
    </DialogButton>
  );
}
