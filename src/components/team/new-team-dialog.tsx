'use client';

import { DialogButton } from '@/components/ui/dialog-button';
import { NewTeamForm } from './new-team-form';

/** The "New team" button and its dialog; the form starts fresh each time the dialog opens. */
export function NewTeamDialog() {
  return (
    <DialogButton variant="primary" label="New team" title="New team">
      {(close) => <NewTeamForm onCancel={close} />}
    </DialogButton>
  );
}
