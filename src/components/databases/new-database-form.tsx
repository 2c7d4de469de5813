'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { CheckboxField } from '@/components/ui/checkbox-field';
import { schemaError } from '@/components/ui/field-errors';
import { FormActions } from '@/components/ui/form-actions';
import { SelectField } from '@/components/ui/select-field';
import { TextField } from '@/components/ui/text-field';
import { DEFAULT_ENV_PREFIX } from '@/shared/databases/connection-env';
import { DATABASE_ENGINES, databaseName, envPrefix } from '@/shared/databases/database.schema';
import { useTRPC } from '@/trpc/react';
import { DatabaseLimitsFields, type LimitsDraft, limitErrors, toLimits } from './database-limits-fields';

type Engine = (typeof DATABASE_ENGINES)[number];

const ENGINE_LABEL: Record<Engine, string> = { postgres: 'PostgreSQL', mariadb: 'MariaDB', redis: 'Redis' };

/**
 * Creates a database: name and env prefix are checked as they are typed with the API's own schemas;
 * the prefix follows the engine's default (DATABASE / REDIS) until it is edited.
 */
export function NewDatabaseForm({ project, onDone }: { project: string; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [engine, setEngine] = useState<Engine>('postgres');
  const [prefix, setPrefix] = useState<string | null>(null);
  const [link, setLink] = useState(true);
  const [limits, setLimits] = useState<LimitsDraft>({ cpu: '', memory: '' });
  const [submitted, setSubmitted] = useState(false);
  const create = useMutation(
    trpc.database.create.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.database.list.queryKey({ project }) });
        onDone();
      },
    }),
  );

  const shownPrefix = prefix ?? DEFAULT_ENV_PREFIX[engine];
  const nameError = schemaError(databaseName, name.trim(), { submitted, required: 'Enter a database name.' });
  const prefixError = link
    ? schemaError(envPrefix, shownPrefix.trim(), { submitted, required: 'Enter an env prefix.' })
    : null;
  const limitsError = limitErrors(limits);

  function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (!name.trim() || nameError || (link && (!shownPrefix.trim() || prefixError))) return;
    if (limitsError.cpu || limitsError.memory) return;
    create.mutate({
      project,
      name: name.trim(),
      engine,
      envPrefix: link ? shownPrefix.trim() : null,
      ...toLimits(limits),
    });
  }

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-4">
      <TextField
        label="Name"
        error={nameError}
        hint="Lowercase letters, digits and hyphens, e.g. main."
        value={name}
        onChange={setName}
        verbatim
        placeholder="main"
        mono
      />
      <SelectField label="Engine" value={engine} onChange={setEngine}>
        {DATABASE_ENGINES.map((value) => (
          <option key={value} value={value}>
            {ENGINE_LABEL[value]} ({value})
          </option>
        ))}
      </SelectField>
      <CheckboxField
        label="Link to project"
        hint="The app gets the connection as environment variables on its next deploy."
        checked={link}
        onChange={setLink}
      />
      {link && (
        <TextField
          label="Env prefix"
          error={prefixError}
          hint={`The app gets ${shownPrefix.trim() || 'PREFIX'}_URL, _HOST, _PORT, … variables.`}
          value={shownPrefix}
          onChange={(typed) => setPrefix(typed.toUpperCase())}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          mono
        />
      )}
      <DatabaseLimitsFields value={limits} errors={limitsError} onChange={setLimits} />
      <FormActions error={create.error} onCancel={onDone} pending={create.isPending} pendingLabel="Creating…">
        Create database
      </FormActions>
    </form>
  );
}
