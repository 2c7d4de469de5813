'use client';

import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { schemaError } from '@/components/ui/field-errors';
import { SaveActions } from '@/components/ui/save-actions';
import { TextField } from '@/components/ui/text-field';
import { type RegistryLoginView, registryUsername } from '@/shared/registry/registry-login.schema';
import { useTRPC } from '@/trpc/react';

/**
 * Adds a registry login, or replaces the one for the same host. The password field starts empty and
 * is cleared after saving: the API never sends a password back.
 */
export function RegistryLoginForm({
  project,
  logins,
  onSaved,
}: {
  project: string;
  logins: RegistryLoginView[];
  onSaved: (logins: RegistryLoginView[]) => void;
}) {
  const trpc = useTRPC();
  const [host, setHost] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const save = useMutation(
    trpc.registryLogin.set.mutationOptions({
      onSuccess: (next, input) => {
        onSaved(next);
        // The host as the API keyed it (lowercase, Docker Hub as docker.io): the login just updated.
        const latest = next.reduce<RegistryLoginView | null>(
          (found, login) => (!found || login.updatedAt > found.updatedAt ? login : found),
          null,
        );
        setSaved(latest?.host ?? input.host);
        setHost('');
        setUsername('');
        setPassword('');
        setSubmitted(false);
      },
    }),
  );

  // The host grammar is checked by the API (its error shows below the form).
  const hostError = submitted && host.trim() === '' ? 'Enter the registry host, e.g. ghcr.io.' : null;
  const usernameError = schemaError(registryUsername, username, {
    submitted,
    required: 'Enter the user name.',
  });
  const passwordError = submitted && password === '' ? 'Enter the password or access token.' : null;
  const existing = logins.find((login) => login.host === host.trim().toLowerCase());

  function submit(event: FormEvent) {
    event.preventDefault();
    save.reset();
    setSubmitted(true);
    setSaved(null);
    if (!host.trim() || hostError || !username || usernameError || !password) return;
    save.mutate({ project, host: host.trim(), username, password });
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
      <div className="grid gap-4 sm:grid-cols-3">
        <TextField
          label="Registry host"
          error={hostError}
          hint={
            existing
              ? `${existing.host} has a login (${existing.username}): saving replaces it.`
              : 'host[:port] as in image references, e.g. ghcr.io'
          }
          value={host}
          onChange={(typed) => {
            setHost(typed);
            setSaved(null);
          }}
          verbatim
          placeholder="ghcr.io"
          mono
        />
        <TextField label="User name" error={usernameError} value={username} onChange={setUsername} verbatim />
        <TextField
          label="Password or token"
          error={passwordError}
          hint="Encrypted at rest; never shown again."
          type="password"
          value={password}
          onChange={setPassword}
          autoComplete="new-password"
        />
      </div>
      <SaveActions
        error={save.error}
        pending={save.isPending}
        saved={saved && `Saved the login for ${saved}. The next deployment pulls with it.`}
      >
        Save login
      </SaveActions>
    </form>
  );
}
