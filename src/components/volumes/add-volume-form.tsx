'use client';

import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ErrorAlert } from '@/components/ui/error-alert';
import { schemaError } from '@/components/ui/field-errors';
import { SubmitButton } from '@/components/ui/submit-button';
import { TextField } from '@/components/ui/text-field';
import {
  DEFAULT_VOLUME_SIZE,
  mountPath as mountPathSchema,
  type VolumeView,
  volumeName,
  volumeSize,
} from '@/shared/volumes/volume.schema';
import { useTRPC } from '@/trpc/react';

/** Adds a volume; name, mount path and size are checked as they are typed, with the API's rules. */
export function AddVolumeForm({
  project,
  onAdded,
}: {
  project: string;
  onAdded: (volumes: VolumeView[]) => void;
}) {
  const trpc = useTRPC();
  const [name, setName] = useState('');
  const [mount, setMount] = useState('');
  const [size, setSize] = useState(DEFAULT_VOLUME_SIZE);
  const [submitted, setSubmitted] = useState(false);
  const [added, setAdded] = useState<string | null>(null);
  const create = useMutation(
    trpc.volume.create.mutationOptions({
      onSuccess: (result, input) => {
        onAdded(result);
        setAdded(input.name);
        setName('');
        setMount('');
        setSize(DEFAULT_VOLUME_SIZE);
        setSubmitted(false);
      },
    }),
  );

  const errors = {
    name: schemaError(volumeName, name.trim(), { submitted, required: 'Enter a name such as data.' }),
    mount: schemaError(mountPathSchema, mount.trim(), {
      submitted,
      required: 'Enter a mount path such as /data.',
    }),
    size: schemaError(volumeSize, size.trim(), { submitted, required: 'Enter a size such as 1Gi.' }),
  };

  function submit(event: FormEvent) {
    event.preventDefault();
    create.reset();
    setSubmitted(true);
    setAdded(null);
    if (!name.trim() || !mount.trim() || !size.trim() || errors.name || errors.mount || errors.size) return;
    create.mutate({ project, name: name.trim(), mountPath: mount.trim(), size: size.trim() });
  }

  return (
    <form onSubmit={submit} aria-label="New volume" className="flex flex-col gap-3" noValidate>
      <div className="grid gap-3 sm:grid-cols-3">
        <TextField
          label="Name"
          error={errors.name}
          value={name}
          onChange={setName}
          verbatim
          mono
          placeholder="data"
        />
        <TextField
          label="Mount path"
          error={errors.mount}
          hint="Where the app sees it, e.g. /data."
          value={mount}
          onChange={setMount}
          verbatim
          mono
          placeholder="/data"
        />
        <TextField
          label="Size"
          error={errors.size}
          hint="Requested from Kubernetes; on Docker informational (no quota)."
          value={size}
          onChange={setSize}
          verbatim
          mono
        />
      </div>
      <div>
        <SubmitButton pending={create.isPending} pendingLabel="Adding…">
          Add volume
        </SubmitButton>
      </div>
      <ErrorAlert error={create.error} />
      <p role="status" className="text-sm text-emerald-700 dark:text-emerald-300">
        {added && `Added ${added}. The next deployment of ${project} mounts it: redeploy to use it now.`}
      </p>
    </form>
  );
}
