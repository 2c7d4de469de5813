'use client';

import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { CopyButton } from '@/components/service-accounts/copy-button';
import { Button } from '@/components/ui/button';
import { ErrorAlert } from '@/components/ui/error-alert';
import { SaveActions } from '@/components/ui/save-actions';
import { TextField } from '@/components/ui/text-field';
import type { GitSourceView } from '@/shared/git/git-source.schema';
import { useTRPC } from '@/trpc/react';

/** A value in a monospace block with a Copy button beside it. */
export function CopyableValue({ label, value }: { label: string; value: string }) {
  const ref = useRef<HTMLElement>(null);
  return (
    <div className="flex items-start gap-2">
      <code
        ref={ref}
        className="min-w-0 flex-1 rounded bg-zinc-100 px-2 py-1 text-xs break-all dark:bg-zinc-800"
      >
        {value}
      </code>
      <CopyButton text={value} label={label} source={() => ref.current} />
    </div>
  );
}

/**
 * The webhook secret: shown when it is made, else on request (every reveal is audited); rotating
 * makes a new one that must be pasted into the forge.
 */
export function WebhookSecret({ project, initial }: { project: string; initial: string | null }) {
  const trpc = useTRPC();
  const [secret, setSecret] = useState(initial);
  const reveal = useMutation(
    trpc.gitSource.revealWebhookSecret.mutationOptions({ onSuccess: (r) => setSecret(r.webhookSecret) }),
  );
  const rotate = useMutation(
    trpc.gitSource.rotateWebhookSecret.mutationOptions({ onSuccess: (r) => setSecret(r.webhookSecret) }),
  );
  return (
    <div className="flex flex-col gap-2">
      {secret ? (
        <CopyableValue label="webhook secret" value={secret} />
      ) : (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Hidden. Revealing it is recorded in the audit log.
        </p>
      )}
      <div className="flex gap-2">
        {secret ? (
          <Button small onClick={() => setSecret(null)}>
            Hide secret
          </Button>
        ) : (
          <Button small disabled={reveal.isPending} onClick={() => reveal.mutate({ project })}>
            Reveal secret
          </Button>
        )}
        <Button small disabled={rotate.isPending} onClick={() => rotate.mutate({ project })}>
          Rotate secret
        </Button>
      </div>
      <ErrorAlert error={reveal.error ?? rotate.error} />
    </div>
  );
}

/** The deploy key's public half (to paste into the forge), and generating a new pair. */
export function DeployKey({
  project,
  source,
  onSaved,
}: {
  project: string;
  source: GitSourceView;
  onSaved: (source: GitSourceView) => void;
}) {
  const trpc = useTRPC();
  const generate = useMutation(
    trpc.gitSource.generateDeployKey.mutationOptions({
      onSuccess: ({ publicKey }) => onSaved({ ...source, deployKey: publicKey }),
    }),
  );
  return (
    <div className="flex flex-col gap-2">
      {source.deployKey ? (
        <CopyableValue label="deploy key" value={source.deployKey} />
      ) : (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          No deploy key yet: ssh repositories need one.
        </p>
      )}
      <div>
        <Button small disabled={generate.isPending} onClick={() => generate.mutate({ project })}>
          {source.deployKey ? 'Generate a new key' : 'Generate deploy key'}
        </Button>
      </div>
      <ErrorAlert error={generate.error} />
    </div>
  );
}

/** The access token is write-only: it can be set, replaced or cleared, never read back. */
export function AccessToken({
  project,
  source,
  onSaved,
}: {
  project: string;
  source: GitSourceView;
  onSaved: (source: GitSourceView) => void;
}) {
  const trpc = useTRPC();
  const [token, setToken] = useState('');
  const [saved, setSaved] = useState<string | null>(null);
  const save = useMutation(
    trpc.gitSource.set.mutationOptions({
      onSuccess: (result, input) => {
        onSaved(result.source);
        setToken('');
        setSaved(input.accessToken === null ? 'Cleared the access token.' : 'Saved the access token.');
      },
    }),
  );
  function submit(event: FormEvent) {
    event.preventDefault();
    if (!token) return;
    save.mutate({ project, accessToken: token });
  }
  return (
    <form onSubmit={submit} className="flex flex-col gap-3" noValidate>
      <TextField
        label="Access token"
        hint={
          source.accessTokenSet
            ? 'A token is set (never shown). Saving replaces it.'
            : 'Not set. Encrypted at rest; never shown again.'
        }
        type="password"
        value={token}
        onChange={setToken}
        autoComplete="new-password"
      />
      <SaveActions error={save.error} pending={save.isPending} saved={saved}>
        Save token
      </SaveActions>
      {source.accessTokenSet && (
        <div>
          <Button small disabled={save.isPending} onClick={() => save.mutate({ project, accessToken: null })}>
            Clear token
          </Button>
        </div>
      )}
    </form>
  );
}
