'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, type ReactNode, useState } from 'react';
import { ErrorAlert } from '@/components/ui/error-alert';
import { SelectField } from '@/components/ui/select-field';
import { SubmitButton } from '@/components/ui/submit-button';
import { TextField } from '@/components/ui/text-field';
import { canOnProject } from '@/server/domains/access/permissions';
import type { ProjectDetail } from '@/server/domains/projects/project.schema';
import { RUNTIMES } from '@/shared/runtimes';
import { useTRPC } from '@/trpc/react';
import { OwnerField } from './owner-field';
import { changesOf, type DraftErrors, draftOf, type SettingsDraft, validateDraft } from './settings-draft';

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="flex flex-col gap-4">
      <legend className="mb-3 text-sm font-semibold text-zinc-700 dark:text-zinc-300">{title}</legend>
      {children}
    </fieldset>
  );
}

/**
 * The project's settings for roles with `project:update`; the owner can also transfer it. Only the
 * fields that changed are sent, so the audit log names exactly those.
 */
export function ProjectSettingsForm({
  project,
  onSaved,
}: {
  project: ProjectDetail;
  onSaved: (message: string | null) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canTransfer = canOnProject(project.role, 'project:transfer');
  const [draft, setDraft] = useState<SettingsDraft>(() => draftOf(project));
  const [errors, setErrors] = useState<DraftErrors>({});
  const [note, setNote] = useState<string | null>(null);

  const update = useMutation(
    trpc.project.update.mutationOptions({
      onSuccess: async (result, input) => {
        queryClient.setQueryData(trpc.project.get.queryKey({ project: result.name }), result);
        setDraft(draftOf(result));
        onSaved(savedMessage(input));
        // The header and the project list read the same cache; a transfer may also change the role.
        await queryClient.invalidateQueries({ queryKey: trpc.project.pathKey() });
      },
    }),
  );

  function set<K extends keyof SettingsDraft>(field: K, value: SettingsDraft[K]) {
    setDraft((current) => ({ ...current, [field]: value }));
    setNote(null);
    onSaved(null);
    // Re-check as the user types once a field has been flagged.
    if (errors[field])
      setErrors((current) => ({
        ...current,
        [field]: validateDraft({ ...draft, [field]: value }, canTransfer)[field],
      }));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    update.reset();
    const found = validateDraft(draft, canTransfer);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const changes = changesOf(draft, project, canTransfer);
    if (Object.keys(changes).length === 0) {
      setNote('No changes to save.');
      return;
    }
    update.mutate({ project: project.name, ...changes });
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-6" noValidate>
      <Section title="Access">
        <div className="grid gap-4 sm:grid-cols-2">
          <SelectField
            label="Visibility"
            hint={
              draft.visibility === 'private'
                ? 'Private apps require signing in to Rise: only members of the owner (the user or the team) can open them.'
                : 'Anyone with the URL can open the app. Choose private to require signing in to Rise.'
            }
            value={draft.visibility}
            onChange={(chosen) => set('visibility', chosen)}
          >
            <option value="public">public</option>
            <option value="private">private</option>
          </SelectField>
          <OwnerField
            value={draft.owner}
            current={project.owner}
            canTransfer={canTransfer}
            error={errors.owner}
            onChange={(value) => set('owner', value)}
          />
        </div>
      </Section>
      <Section title="Runtime">
        <p className="-mt-2 text-xs text-zinc-600 dark:text-zinc-400">
          Where the app runs, its port and limits apply on the next deployment; the health check path and
          visibility reach the proxy at once.
        </p>
        <div className="grid gap-4 sm:grid-cols-2">
          <SelectField
            label="Runs on"
            hint={`${RUNTIMES.map((runtime) => runtime.description).join(', or ')}.`}
            value={draft.runtime}
            onChange={(chosen) => set('runtime', chosen)}
          >
            {RUNTIMES.map((runtime) => (
              <option key={runtime.name} value={runtime.name}>
                {runtime.label}
              </option>
            ))}
          </SelectField>
          <TextField
            label="Port"
            error={errors.port}
            hint="The port your app listens on inside its container."
            type="number"
            inputMode="numeric"
            min={1}
            max={65535}
            value={draft.port}
            onChange={(typed) => set('port', typed)}
          />
          <TextField
            label="Health check path"
            error={errors.healthPath}
            hint="A deployment gets traffic only once GET on this path succeeds."
            value={draft.healthPath}
            onChange={(typed) => set('healthPath', typed)}
            autoComplete="off"
            spellCheck={false}
            placeholder="/"
            mono
          />
          <TextField
            label="Replicas"
            error={errors.replicas}
            hint="Instances of web from the next deployment on; Processes below scales the running version now."
            type="number"
            inputMode="numeric"
            min={0}
            max={50}
            value={draft.replicas}
            onChange={(typed) => set('replicas', typed)}
          />
          <TextField
            label="CPU limit (cores)"
            error={errors.cpuLimit}
            hint="e.g. 0.5; empty for no limit."
            type="number"
            inputMode="decimal"
            min={0}
            max={64}
            step="any"
            value={draft.cpuLimit}
            onChange={(typed) => set('cpuLimit', typed)}
            placeholder="No limit"
          />
          <TextField
            label="Memory limit (MB)"
            error={errors.memoryLimitMb}
            hint="At least 16; empty for no limit. The app is killed if it uses more."
            type="number"
            inputMode="numeric"
            min={16}
            max={262144}
            value={draft.memoryLimitMb}
            onChange={(typed) => set('memoryLimitMb', typed)}
            placeholder="No limit"
          />
        </div>
      </Section>
      <Section title="Commands">
        <div className="grid gap-4">
          <TextField
            label="Start command"
            error={errors.startCommand}
            hint="Replaces the image's own; a shell line, or a JSON array run without a shell. Empty: the image's."
            value={draft.startCommand}
            onChange={(typed) => set('startCommand', typed)}
            placeholder="node server.js"
            verbatim
            mono
          />
          <TextField
            label="Release command"
            error={errors.releaseCommand}
            hint="Runs once per deployment in a new container of the new version, before traffic moves; if it fails, the old version keeps serving."
            value={draft.releaseCommand}
            onChange={(typed) => set('releaseCommand', typed)}
            placeholder="npm run migrate"
            verbatim
            mono
          />
          <TextField
            label="Post-deploy command"
            error={errors.postDeployCommand}
            hint="Runs once after traffic moved; a failure only warns."
            value={draft.postDeployCommand}
            onChange={(typed) => set('postDeployCommand', typed)}
            verbatim
            mono
          />
        </div>
      </Section>
      <ErrorAlert error={update.error} />
      <div className="flex flex-col gap-3 sm:flex-row sm:items-center">
        <SubmitButton pending={update.isPending} pendingLabel="Saving…">
          Save settings
        </SubmitButton>
        <p role="status" className="text-sm text-zinc-600 dark:text-zinc-400">
          {note}
        </p>
      </div>
    </form>
  );
}

function savedMessage(input: {
  owner?: unknown;
  port?: unknown;
  cpuLimit?: unknown;
  memoryLimitMb?: unknown;
}) {
  const parts = ['Settings saved.'];
  if (input.owner !== undefined) parts.push(`The project now belongs to ${String(input.owner)}.`);
  if (input.port !== undefined || input.cpuLimit !== undefined || input.memoryLimitMb !== undefined) {
    parts.push('Port and limits apply on the next deployment.');
  }
  return parts.join(' ');
}
