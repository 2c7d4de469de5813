'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { CreateProjectForm } from './create-project-form';

/** The "New project" button and its dialog; the form starts fresh each time the dialog opens. */
export function CreateProjectDialog({
  username,
  isPlatformAdmin,
}: {
  username: string;
  isPlatformAdmin: boolean;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="primary" onClick={() => setOpen(true)}>
        New project
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title="New project">
        <CreateProjectForm
          username={username}
          isPlatformAdmin={isPlatformAdmin}
          onCancel={() => setOpen(false)}
        />
      </Dialog>
    </>
  );
}
