'use client';

import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { Button, inputClass } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { DialogActions } from '@/components/ui/dialog-actions';
import { ErrorAlert } from '@/components/ui/error-alert';
import { Field } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import { useTRPC } from '@/trpc/react';

const CHECK_DELAY_MS = 300;

/** `value`, once it has stopped changing for `ms`. */
function useSettled(value: string, ms: number) {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/**
 * The "Deploy" button and its dialog: deploys a pre-built image reference. The reference is checked
 * as it is typed by the API (`deployment.checkImage`), whose words are shown under the field.
 */
export function DeployDialog({ project, primary = false }: { project: string; primary?: boolean }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant={primary ? 'primary' : 'secondary'} onClick={() => setOpen(true)}>
        Deploy
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} title={`Deploy ${project}`}>
        {open && <DeployForm project={project} onDone={() => setOpen(false)} />}
      </Dialog>
    </>
  );
}

function DeployForm({ project, onDone }: { project: string; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [image, setImage] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const typed = image.trim();
  const settled = useSettled(typed, CHECK_DELAY_MS);

  const check = useQuery(
    trpc.deployment.checkImage.queryOptions(
      { project, image: settled },
      { enabled: settled !== '', placeholderData: keepPreviousData, staleTime: 60_000 },
    ),
  );
  const create = useMutation(
    trpc.deployment.create.mutationOptions({
      onSuccess: async () => {
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.deployment.pathKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.project.pathKey() }),
        ]);
        onDone();
      },
    }),
  );

  const checked = settled === typed && check.data !== undefined && !check.isPlaceholderData;
  let imageError: string | null = null;
  if (typed === '') imageError = submitted ? 'Enter an image reference.' : null;
  else if (checked) imageError = check.data?.problem ?? null;

  function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (typed === '' || (checked && check.data?.problem)) return;
    create.mutate({ project, image: typed });
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
      <Field
        label="Image"
        error={imageError}
        hint={
          <>
            A pre-built image, e.g. <code className="font-mono">ghcr.io/acme/app:1.2</code>. Rise pins it to
            its digest and starts it beside the running version. To build from source instead, run{' '}
            <code className="font-mono">rise d c {project}</code> in a directory with a Dockerfile.
          </>
        }
      >
        {(control) => (
          <input
            {...control}
            name="image"
            value={image}
            onChange={(event) => setImage(event.target.value)}
            autoComplete="off"
            spellCheck={false}
            className={`${inputClass} font-mono`}
          />
        )}
      </Field>
      <ErrorAlert error={check.error} prefix="Could not check the image" />
      <ErrorAlert error={create.error} />
      <DialogActions onCancel={onDone}>
        <SubmitButton pending={create.isPending} pendingLabel="Deploying…" disabled={Boolean(imageError)}>
          Deploy
        </SubmitButton>
      </DialogActions>
    </form>
  );
}
