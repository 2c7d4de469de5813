'use client';

import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { DialogButton } from '@/components/ui/dialog-button';
import { ErrorAlert } from '@/components/ui/error-alert';
import { FormActions } from '@/components/ui/form-actions';
import { TextField } from '@/components/ui/text-field';
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
  return (
    <DialogButton variant={primary ? 'primary' : 'secondary'} label="Deploy" title={`Deploy ${project}`}>
      {(close) => <DeployForm project={project} onDone={close} />}
    </DialogButton>
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
      <TextField
        label="Image"
        error={imageError}
        hint={
          <>
            A pre-built image, e.g. <code className="font-mono">ghcr.io/acme/app:1.2</code>. Rise pins it to
            its digest and starts it beside the running version. To build from source instead, run{' '}
            <code className="font-mono">rise d c {project}</code> in a directory with a Dockerfile.
          </>
        }
        name="image"
        value={image}
        onChange={setImage}
        autoComplete="off"
        spellCheck={false}
        mono
      />
      <ErrorAlert error={check.error} prefix="Could not check the image" />
      <FormActions
        error={create.error}
        onCancel={onDone}
        pending={create.isPending}
        pendingLabel="Deploying…"
        disabled={Boolean(imageError)}
      >
        Deploy
      </FormActions>
    </form>
  );
}
