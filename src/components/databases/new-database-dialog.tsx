'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { NewDatabaseForm } from './new-database-form';

/** The "New database" button and its dialog; the form starts fresh each time the dialog opens. */
export function NewDatabaseDialog({ project }: { project: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="primary" onClick={() => setOpen(true)}>
        New database
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title="New database">
        <NewDatabaseForm project={project} onDone={() => setOpen(false)} />
      </Dialog>
    </>
  );
}
