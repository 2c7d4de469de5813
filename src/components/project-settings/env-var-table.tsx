'use client';

import { Button } from '@/components/ui/button';
import { RemoveButton } from '@/components/ui/remove-button';
import { ScrollTable } from '@/components/ui/table';
import { TimeAgo } from '@/components/ui/time-ago';
import { RevealSecretButton } from './reveal-secret-button';

export type EnvVarRow = { key: string; value: string | null; secret: boolean; updatedAt: Date };

const cell = 'px-3 py-2 align-top';

/**
 * The project's variables. Plain values are shown as they are; secrets as dots, revealed on demand.
 * The actions column appears only for roles that may change variables (`canEdit`).
 */
export function EnvVarTable({
  project,
  vars,
  canEdit,
  revealed,
  onReveal,
  onHide,
  onEdit,
  onRemove,
}: {
  project: string;
  vars: EnvVarRow[];
  canEdit: boolean;
  revealed: Record<string, string>;
  onReveal: (key: string, value: string) => void;
  onHide: (key: string) => void;
  onEdit: (row: EnvVarRow) => void;
  onRemove: (key: string) => Promise<unknown>;
}) {
  return (
    <ScrollTable
      caption={`Environment variables of ${project}`}
      minWidth="min-w-[40rem]"
      bleed="-mx-4 sm:mx-0"
      stickyActions={canEdit}
    >
      <thead className="border-b border-zinc-200 text-xs text-zinc-500 uppercase dark:border-zinc-800 dark:text-zinc-400">
        <tr>
          <th scope="col" className={cell}>
            Key
          </th>
          <th scope="col" className={cell}>
            Value
          </th>
          <th scope="col" className={`${cell} whitespace-nowrap`}>
            Updated
          </th>
          {canEdit && (
            <th scope="col" className={`${cell} text-right`}>
              <span className="sr-only">Actions</span>
            </th>
          )}
        </tr>
      </thead>
      <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
        {vars.map((row) => {
          const shown = row.secret ? revealed[row.key] : (row.value ?? '');
          return (
            <tr key={row.key} data-testid={`env-var-${row.key}`}>
              <th scope="row" className={`${cell} font-mono font-medium whitespace-nowrap`}>
                {row.key}
              </th>
              <td className={`${cell} min-w-[12rem]`}>
                <div className="flex flex-wrap items-center gap-2">
                  {shown === undefined ? (
                    <span className="font-mono tracking-widest text-zinc-500 dark:text-zinc-400">••••••</span>
                  ) : shown === '' ? (
                    <span className="text-zinc-500 italic dark:text-zinc-400">(empty)</span>
                  ) : (
                    <code className="max-w-md font-mono break-all whitespace-pre-wrap">{shown}</code>
                  )}
                  {row.secret && (
                    <span className="rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900 dark:bg-amber-900/40 dark:text-amber-200">
                      secret
                    </span>
                  )}
                </div>
              </td>
              <td className={`${cell} whitespace-nowrap text-zinc-600 dark:text-zinc-400`}>
                <TimeAgo date={row.updatedAt} />
              </td>
              {canEdit && (
                <td className={cell}>
                  <div className="flex items-start justify-end gap-2 whitespace-nowrap max-sm:flex-col max-sm:items-end">
                    {row.secret && (
                      <RevealSecretButton
                        project={project}
                        envKey={row.key}
                        revealed={row.key in revealed}
                        onReveal={(value) => onReveal(row.key, value)}
                        onHide={() => onHide(row.key)}
                      />
                    )}
                    <Button small onClick={() => onEdit(row)}>
                      Edit<span className="sr-only"> {row.key}</span>
                    </Button>
                    <RemoveButton
                      item={row.key}
                      title="Remove variable"
                      description={
                        <>
                          Remove <code className="font-mono">{row.key}</code> from {project}? Running
                          instances keep it until the next deployment.
                        </>
                      }
                      onConfirm={() => onRemove(row.key)}
                    />
                  </div>
                </td>
              )}
            </tr>
          );
        })}
      </tbody>
    </ScrollTable>
  );
}
