'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { Button } from '@/components/ui/button';
import { DialogButton } from '@/components/ui/dialog-button';
import { ErrorAlert } from '@/components/ui/error-alert';
import { schemaError } from '@/components/ui/field-errors';
import { FormActions } from '@/components/ui/form-actions';
import { SelectField } from '@/components/ui/select-field';
import { TextField } from '@/components/ui/text-field';
import type { DeploymentView } from '@/server/domains/deployments/deployment.schema';
import { type GitRefView, gitRefName } from '@/shared/git/git-ref.schema';
import { useTRPC } from '@/trpc/react';

/** The branch list is asked of the forge: kept for half a minute rather than asked on every open. */
const REFS_STALE_MS = 30_000;

/**
 * "Deploy from git": the server builds the latest commit of a branch or tag picked from the
 * repository's (`gitSource.refs`), or a commit sha typed in, and deploys it. `onDeployed` gets the new
 * deployment; without it the browser goes to the deployment's logs on the Deployments tab.
 */
export function DeployCommitDialog({
  project,
  branch,
  primary = false,
  onDeployed,
}: {
  project: string;
  /** The source's tracked branch, chosen first. */
  branch?: string;
  primary?: boolean;
  onDeployed?: (deployment: DeploymentView) => void;
}) {
  return (
    <DialogButton
      variant={primary ? 'primary' : 'secondary'}
      label="Deploy from git"
      title={`Deploy ${project} from git`}
    >
      {(close) => (
        <DeployCommitForm
          project={project}
          branch={branch}
          onCancel={close}
          onDeployed={(deployment) => {
            close();
            onDeployed?.(deployment);
          }}
          navigate={!onDeployed}
        />
      )}
    </DialogButton>
  );
}

function refLabel(ref: GitRefView) {
  return `${ref.name} (${ref.sha.slice(0, 7)})`;
}

function DeployCommitForm({
  project,
  branch,
  onCancel,
  onDeployed,
  navigate,
}: {
  project: string;
  branch?: string;
  onCancel: () => void;
  onDeployed: (deployment: DeploymentView) => void;
  navigate: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const refs = useQuery(
    trpc.gitSource.refs.queryOptions({ project }, { staleTime: REFS_STALE_MS, retry: false }),
  );
  const [picked, setPicked] = useState<string | null>(null);
  const [typed, setTyped] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const create = useMutation(
    trpc.deployment.create.mutationOptions({
      onSuccess: async (deployment) => {
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.deployment.pathKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.project.pathKey() }),
        ]);
        onDeployed(deployment);
        if (navigate)
          router.push(
            `/projects/${encodeURIComponent(project)}?deployment=${encodeURIComponent(deployment.id)}`,
          );
      },
    }),
  );

  const branches = refs.data?.filter((ref) => ref.kind === 'branch') ?? [];
  const tags = refs.data?.filter((ref) => ref.kind === 'tag') ?? [];
  const fallback = branches.find((ref) => ref.name === branch)?.name ?? branches[0]?.name ?? tags[0]?.name;
  const selected = picked ?? fallback ?? '';
  const custom = typed.trim();
  const customError = schemaError(gitRefName, custom, { submitted: false, required: '' });
  const ref = custom || selected;

  function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (!ref || customError) return;
    create.mutate({ project, git: true, ref });
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-4" noValidate>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        Rise clones the repository, builds the commit and deploys it; the build&apos;s output shows in the
        deployment&apos;s logs.
      </p>
      {refs.isPending ? (
        <p role="status" className="text-sm text-zinc-600 dark:text-zinc-400">
          Listing the repository&apos;s branches…
        </p>
      ) : refs.isError ? (
        <div className="flex flex-wrap items-center gap-2">
          <ErrorAlert error={refs.error} prefix="Could not list the branches" />
          <Button small onClick={() => void refs.refetch()} disabled={refs.isFetching}>
            Retry
          </Button>
        </div>
      ) : (
        <SelectField
          label="Branch or tag"
          hint="Its latest commit is built."
          value={selected}
          onChange={setPicked}
        >
          {branches.length + tags.length === 0 && <option value="">The repository has no branches</option>}
          {branches.length > 0 && (
            <optgroup label="Branches">
              {branches.map((ref) => (
                <option key={`branch:${ref.name}`} value={ref.name}>
                  {refLabel(ref)}
                </option>
              ))}
            </optgroup>
          )}
          {tags.length > 0 && (
            <optgroup label="Tags">
              {tags.map((ref) => (
                <option key={`tag:${ref.name}`} value={ref.name}>
                  {refLabel(ref)}
                </option>
              ))}
            </optgroup>
          )}
        </SelectField>
      )}
      <TextField
        label="Commit or ref"
        error={customError ?? (submitted && !ref ? 'Pick a branch or enter a commit.' : null)}
        hint="Optional: a full commit sha (built as it is) or another branch or tag; overrides the choice above."
        name="ref"
        value={typed}
        onChange={setTyped}
        verbatim
        mono
      />
      <FormActions
        error={create.error}
        onCancel={onCancel}
        pending={create.isPending}
        pendingLabel="Starting the build…"
        disabled={Boolean(customError)}
      >
        {custom ? 'Deploy this commit' : 'Deploy latest commit'}
      </FormActions>
    </form>
  );
}
