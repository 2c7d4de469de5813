'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { NewTeamForm } from './new-team-form';

/** The "New team" button and its dialog; the form starts fresh each time the dialog opens. */
export function NewTeamDialog() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="primary" onClick={() => setOpen(true)}>
        New team
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title="New team">
        <NewTeamForm onCancel={() => setOpen(false)} />
      </Dialog>
    </>
  );
}
