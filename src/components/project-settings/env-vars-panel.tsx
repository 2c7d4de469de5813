'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { ErrorAlert } from '@/components/ui/error-alert';
import { canOnProject } from '@/server/domains/access/permissions';
import type { ProjectDetail } from '@/server/domains/projects/project.schema';
import { useTRPC } from '@/trpc/react';
import { EnvImportDialog } from './env-import-dialog';
import { EnvVarForm, type EnvVarPreset } from './env-var-form';
import { type EnvVarRow, EnvVarTable } from './env-var-table';
import { useProject } from './use-project';

const codeClass = 'rounded bg-zinc-100 px-1 font-mono text-xs dark:bg-zinc-800';

/** The Environment tab: the variables, and for roles with `project:env` the form that changes them. */
export function EnvVarsPanel({
  project: initialProject,
  initialVars,
}: {
  project: ProjectDetail;
  initialVars: EnvVarRow[];
}) {
  const project = useProject(initialProject);
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const listOptions = trpc.env.list.queryOptions({ project: project.name }, { initialData: initialVars });
  const query = useQuery(listOptions);
  const vars = query.data ?? initialVars;
  const canEdit = canOnProject(project.role, 'project:env');

  const [revealed, setRevealed] = useState<Record<string, string>>({});
  const [preset, setPreset] = useState<EnvVarPreset & { nonce: number }>({
    key: '',
    value: '',
    secret: false,
    focus: false,
    nonce: 0,
  });
  const formRef = useRef<HTMLDivElement>(null);
  const remove = useMutation(trpc.env.remove.mutationOptions());

  const forget = (keys: string[]) =>
    setRevealed((current) => Object.fromEntries(Object.entries(current).filter(([k]) => !keys.includes(k))));

  function saved(next: EnvVarRow[], keys: string[]) {
    queryClient.setQueryData(listOptions.queryKey, next);
    forget(keys);
  }

  function edit(row: EnvVarRow) {
    const value = row.secret ? (revealed[row.key] ?? '') : (row.value ?? '');
    setPreset((current) => ({
      key: row.key,
      value,
      secret: row.secret,
      focus: true,
      nonce: current.nonce + 1,
    }));
    formRef.current?.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
  }

  const applyNote = (
    <p className="text-sm text-zinc-600 dark:text-zinc-400">
      Saving does not restart the app: running instances keep the environment they started with. Changes apply
      on the next deployment (<code className={codeClass}>rise deploy</code>), a rollback or Start.
    </p>
  );

  return (
    <>
      <Card
        title="Environment variables"
        actions={canEdit ? <EnvImportDialog project={project.name} onSaved={saved} /> : undefined}
      >
        <ErrorAlert error={query.error} className="mb-3" />
        {vars.length === 0 ? (
          <EmptyState
            title="No environment variables"
            command={`rise env set KEY=value --project ${project.name}`}
          >
            {canEdit
              ? 'Add one below, or from your terminal (add --secret to store it encrypted):'
              : 'Developers of this project can add them, from the dashboard or the terminal:'}
          </EmptyState>
        ) : (
          <EnvVarTable
            project={project.name}
            vars={vars}
            canEdit={canEdit}
            revealed={revealed}
            onReveal={(key, value) => setRevealed((current) => ({ ...current, [key]: value }))}
            onHide={(key) => forget([key])}
            onEdit={edit}
            onRemove={async (key) => {
              const next = await remove.mutateAsync({ project: project.name, key });
              saved(next, [key]);
            }}
          />
        )}
        {!canEdit && vars.some((row) => row.secret) && (
          <p className="mt-3 text-sm text-zinc-600 dark:text-zinc-400">
            Secret values are visible to developers, admins and owners of the project.
          </p>
        )}
      </Card>
      {canEdit ? (
        <div ref={formRef} className="scroll-mt-4">
          <Card title="Add or update a variable">
            <div className="flex flex-col gap-4">
              {applyNote}
              <EnvVarForm
                key={preset.nonce}
                project={project.name}
                vars={vars}
                preset={preset}
                onSaved={(next, key) => saved(next, [key])}
              />
            </div>
          </Card>
        </div>
      ) : (
        applyNote
      )}
    </>
  );
}
