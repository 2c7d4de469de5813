'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { Button, inputClass } from '@/components/ui/button';
import { useTRPC } from '@/trpc/react';
import type { AuditFilterValues } from './audit-filter-values';

/** Action prefixes worth suggesting; the API matches events whose action starts with what is typed. */
/** Project names suggested at once: those containing what is typed, in name order. */
const PROJECT_SUGGESTIONS = 20;

const ACTIONS = [
  'project.',
  'project.create',
  'project.update',
  'project.delete',
  'project.stop',
  'project.start',
  'project.transfer',
  'deployment.',
  'deployment.create',
  'deployment.rollback',
  'deployment.cancel',
  'env.',
  'env.set',
  'env.remove',
  'env.reveal',
  'domain.',
  'registry.',
  'registry.login',
  'registry.logout',
  'team.',
  'team.create',
  'team.member.',
  'token.',
  'service-account.',
  'user.signup',
];

/** The Project, Team and Action filters, applied on submit; project and team names are suggested. */
export function AuditFilters({
  applied,
  onApply,
}: {
  applied: AuditFilterValues;
  onApply: (filters: AuditFilterValues) => void;
}) {
  const trpc = useTRPC();
  const teams = useQuery(trpc.team.list.queryOptions());
  const [draft, setDraft] = useState(applied);
  const typed = draft.project.trim().toLowerCase();
  const projects = useQuery(
    trpc.project.list.queryOptions(
      /^[a-z0-9-]*$/.test(typed)
        ? { limit: PROJECT_SUGGESTIONS, ...(typed ? { search: typed } : {}) }
        : { limit: PROJECT_SUGGESTIONS },
      { placeholderData: keepPreviousData },
    ),
  );
  useEffect(() => setDraft(applied), [applied]);
  const id = useId();
  const ids = {
    project: `${id}-project`,
    team: `${id}-team`,
    action: `${id}-action`,
  };

  function submit(event: FormEvent) {
    event.preventDefault();
    onApply(draft);
  }

  const field = (key: keyof AuditFilterValues, label: string, placeholder: string, options: string[]) => (
    <div className="flex flex-1 flex-col gap-1 text-sm">
      <label htmlFor={ids[key]} className="font-medium">
        {label}
      </label>
      <input
        id={ids[key]}
        list={`${ids[key]}-options`}
        value={draft[key]}
        onChange={(event) => setDraft({ ...draft, [key]: event.target.value })}
        placeholder={placeholder}
        autoComplete="off"
        autoCapitalize="none"
        spellCheck={false}
        className={inputClass}
      />
      <datalist id={`${ids[key]}-options`}>
        {options.map((option) => (
          <option key={option} value={option} />
        ))}
      </datalist>
    </div>
  );

  const anyApplied = Boolean(applied.project || applied.team || applied.action);

  return (
    <form
      onSubmit={submit}
      aria-label="Filter audit events"
      className="mb-4 flex flex-col gap-3 sm:flex-row sm:items-end"
    >
      {field(
        'project',
        'Project',
        'any project',
        (projects.data ?? []).map((project) => project.name),
      )}
      {field(
        'team',
        'Team',
        'any team',
        (teams.data ?? []).map((team) => team.name),
      )}
      {field('action', 'Action', 'e.g. deployment.', ACTIONS)}
      <div className="flex gap-2">
        <Button type="submit" variant="primary">
          Apply filters
        </Button>
        {anyApplied && (
          <Button
            onClick={() => {
              setDraft({ project: '', team: '', action: '' });
              onApply({ project: '', team: '', action: '' });
            }}
          >
            Clear
          </Button>
        )}
      </div>
    </form>
  );
}
