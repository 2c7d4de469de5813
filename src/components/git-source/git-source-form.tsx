'use client';

import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { CheckboxField } from '@/components/ui/checkbox-field';
import { schemaError } from '@/components/ui/field-errors';
import { SaveActions } from '@/components/ui/save-actions';
import { SelectField } from '@/components/ui/select-field';
import { TextField } from '@/components/ui/text-field';
import {
  branchName,
  GIT_PROVIDERS,
  type GitProvider,
  type GitSourceView,
  previewExpiry,
  repositoryUrl,
  rootDirectory,
} from '@/shared/git/git-source.schema';
import { useTRPC } from '@/trpc/react';

const splitGlobs = (text: string) =>
  text
    .split(/[\n,]/)
    .map((glob) => glob.trim())
    .filter(Boolean);

/**
 * The repository and what to build from it. Saving the first time connects the repository and shows
 * the webhook secret once (`onCreated`).
 */
export function GitSourceForm({
  project,
  source,
  onSaved,
  onCreated,
}: {
  project: string;
  source: GitSourceView | null;
  onSaved: (source: GitSourceView) => void;
  onCreated: (webhookSecret: string) => void;
}) {
  const trpc = useTRPC();
  const [url, setUrl] = useState(source?.repositoryUrl ?? '');
  const [branch, setBranch] = useState(source?.branch ?? 'main');
  const [root, setRoot] = useState(source?.rootDirectory ?? '.');
  const [dockerfile, setDockerfile] = useState(source?.dockerfile ?? '');
  const [watch, setWatch] = useState(source?.watchPaths.join('\n') ?? '');
  const [submodules, setSubmodules] = useState(source?.submodules ?? false);
  const [provider, setProvider] = useState<GitProvider | ''>(source?.provider ?? '');
  const [expiry, setExpiry] = useState(source?.previewExpiry ?? '7d');
  const [submitted, setSubmitted] = useState(false);
  const [saved, setSaved] = useState(false);
  const save = useMutation(
    trpc.gitSource.set.mutationOptions({
      onSuccess: (result) => {
        onSaved(result.source);
        if (result.webhookSecret) onCreated(result.webhookSecret);
        setSaved(true);
        setSubmitted(false);
      },
    }),
  );

  const errors = {
    url: schemaError(repositoryUrl, url.trim(), { submitted, required: 'Enter the repository URL.' }),
    branch: schemaError(branchName, branch, { submitted, required: 'Enter the branch that deploys.' }),
    root: schemaError(rootDirectory, root, { submitted, required: 'Enter a directory, or . for the root.' }),
    expiry: schemaError(previewExpiry, expiry, { submitted, required: 'Enter an expiry such as 7d.' }),
  };

  function submit(event: FormEvent) {
    event.preventDefault();
    save.reset();
    setSubmitted(true);
    setSaved(false);
    if (!url.trim() || !branch || !root || !expiry || Object.values(errors).some(Boolean)) return;
    save.mutate({
      project,
      repositoryUrl: url.trim(),
      branch,
      rootDirectory: root,
      dockerfile: dockerfile.trim() || null,
      watchPaths: splitGlobs(watch),
      submodules,
      provider: provider || null,
      previewExpiry: expiry,
    });
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
      <TextField
        label="Repository URL"
        error={errors.url}
        hint="https://host/owner/repo.git, or git@host:owner/repo.git with a deploy key"
        value={url}
        onChange={setUrl}
        placeholder="git@github.com:acme/app.git"
        verbatim
        mono
      />
      <div className="grid gap-4 sm:grid-cols-3">
        <TextField label="Branch" error={errors.branch} value={branch} onChange={setBranch} verbatim mono />
        <TextField
          label="Root directory"
          error={errors.root}
          hint="Relative to the repository root"
          value={root}
          onChange={setRoot}
          verbatim
          mono
        />
        <TextField
          label="Dockerfile"
          hint="Empty: detected from the app"
          value={dockerfile}
          onChange={setDockerfile}
          verbatim
          mono
        />
      </div>
      <TextField
        label="Watch paths"
        hint="Globs, one a line or comma-separated; a push touching none of them does not deploy. Empty: any."
        value={watch}
        onChange={setWatch}
        verbatim
        mono
      />
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField<GitProvider | ''>
          label="Forge"
          hint="Which forge sends the webhooks"
          value={provider}
          onChange={setProvider}
        >
          <option value="">Detect from the URL</option>
          {GIT_PROVIDERS.map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Preview expiry"
          error={errors.expiry}
          hint="How long a pull request's preview lives (e.g. 7d)"
          value={expiry}
          onChange={setExpiry}
          verbatim
        />
      </div>
      <CheckboxField label="Clone submodules" checked={submodules} onChange={setSubmodules} />
      <SaveActions error={save.error} pending={save.isPending} saved={saved && 'Saved the git source.'}>
        {source ? 'Save source' : 'Connect repository'}
      </SaveActions>
    </form>
  );
}
