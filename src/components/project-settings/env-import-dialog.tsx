'use client';

import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { Button, inputClass } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { FormActions } from '@/components/ui/form-actions';
import { parseDotenv } from '@/shared/env-vars/parse-dotenv';
import { useTRPC } from '@/trpc/react';
import type { EnvVarRow } from './env-var-table';

const MAX_VARS = 200;

/** Pastes a whole .env file at once; existing keys get the pasted values. */
export function EnvImportDialog({
  project,
  onSaved,
}: {
  project: string;
  onSaved: (vars: EnvVarRow[], keys: string[]) => void;
}) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [asSecrets, setAsSecrets] = useState(false);
  const textId = useId();
  const checkId = useId();
  const parsed = parseDotenv(text);
  const tooMany = parsed.vars.length > MAX_VARS;

  const save = useMutation(
    trpc.env.set.mutationOptions({
      onSuccess: (result, input) => {
        onSaved(
          result,
          input.vars.map((v) => v.key),
        );
        setOpen(false);
        setText('');
        setAsSecrets(false);
      },
    }),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    if (parsed.vars.length === 0 || parsed.errors.length > 0 || tooMany) return;
    save.mutate({ project, vars: parsed.vars.map((v) => ({ ...v, secret: asSecrets })) });
  }

  const problems = [
    ...parsed.errors,
    ...(tooMany ? [`At most ${MAX_VARS} variables at once; this has ${parsed.vars.length}.`] : []),
  ];

  return (
    <>
      <Button small onClick={() => setOpen(true)}>
        Import .env
      </Button>
      <Dialog
        open={open}
        onClose={() => {
          setOpen(false);
          save.reset();
        }}
        title="Import .env"
      >
        <form onSubmit={submit} className="flex flex-col gap-3">
          <div className="flex flex-col gap-1 text-sm">
            <label htmlFor={textId} className="font-medium">
              Contents of the .env file
            </label>
            <textarea
              id={textId}
              value={text}
              onChange={(event) => setText(event.target.value)}
              rows={8}
              spellCheck={false}
              autoComplete="off"
              placeholder={'DATABASE_URL=postgres://…\nLOG_LEVEL=info'}
              aria-describedby={`${textId}-note`}
              aria-invalid={problems.length > 0}
              className={`${inputClass} font-mono`}
            />
            {problems.length > 0 ? (
              <ul id={`${textId}-note`} role="alert" className="text-xs text-red-700 dark:text-red-300">
                {problems.slice(0, 5).map((problem) => (
                  <li key={problem}>{problem}</li>
                ))}
              </ul>
            ) : (
              <span id={`${textId}-note`} className="text-xs text-zinc-500">
                One KEY=value per line; # comments and blank lines are skipped.
                {parsed.vars.length > 0 && ` ${parsed.vars.length} to save.`}
              </span>
            )}
          </div>
          <div className="flex items-center gap-2 text-sm">
            <input
              id={checkId}
              type="checkbox"
              checked={asSecrets}
              onChange={(event) => setAsSecrets(event.target.checked)}
              className="size-4 rounded border-zinc-300 dark:border-zinc-700"
            />
            <label htmlFor={checkId}>Store all of them encrypted</label>
          </div>
          <FormActions
            error={save.error}
            onCancel={() => setOpen(false)}
            pending={save.isPending}
            pendingLabel="Importing…"
            disabled={parsed.vars.length === 0 || problems.length > 0}
          >
            Import variables
          </FormActions>
        </form>
      </Dialog>
    </>
  );
}
