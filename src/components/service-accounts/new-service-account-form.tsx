'use client';

import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { Button, inputClass } from '@/components/ui/button';
import { ErrorAlert } from '@/components/ui/error-alert';
import { Field } from '@/components/ui/field';
import { schemaError } from '@/components/ui/field-errors';
import { SubmitButton } from '@/components/ui/submit-button';
import { createServiceAccountInput } from '@/server/domains/service-accounts/service-account.schema';
import { useTRPC } from '@/trpc/react';
import { providerOf } from './ci-snippets';
import { type ClaimRow, claimRulesFrom } from './claim-rules';
import type { ServiceAccount } from './service-account-item';

const { name: nameSchema, issuer: issuerSchema } = createServiceAccountInput.shape;
const ROLES = createServiceAccountInput.shape.role.unwrap().options;
const KNOWN_ISSUERS = ['https://token.actions.githubusercontent.com', 'https://gitlab.com'];
const emptyRow = (): ClaimRow => ({ name: '', value: '' });

/** Claims worth matching for the CI the issuer URL belongs to, as a hint. */
function claimExamples(issuer: string) {
  try {
    return providerOf(issuer) === 'gitlab'
      ? 'GitLab: project_path = acme/my-app, ref = main'
      : 'GitHub: repository = acme/my-app, ref = refs/heads/main';
  } catch {
    return 'e.g. repository = acme/my-app, ref = refs/heads/main';
  }
}

/**
 * Creates a service account: a name, the issuer of the CI's tokens, the claims a token must carry
 * (`aud` plus at least one more, checked here as the API does) and the role it acts with.
 */
export function NewServiceAccountForm({
  project,
  riseUrl,
  onCreated,
}: {
  project: string;
  riseUrl: string;
  onCreated: (account: ServiceAccount) => void;
}) {
  const trpc = useTRPC();
  const listId = useId();
  const [name, setName] = useState('');
  const [issuer, setIssuer] = useState('');
  const [audience, setAudience] = useState(riseUrl);
  const [rows, setRows] = useState<ClaimRow[]>([emptyRow()]);
  const [role, setRole] = useState<(typeof ROLES)[number]>('developer');
  const [submitted, setSubmitted] = useState(false);
  const [created, setCreated] = useState<string | null>(null);
  const create = useMutation(
    trpc.serviceAccount.create.mutationOptions({
      onSuccess: (account) => {
        onCreated(account);
        setCreated(account.name);
        setName('');
        setRows([emptyRow()]);
        setSubmitted(false);
      },
    }),
  );

  const nameError = schemaError(nameSchema, name, { submitted, required: 'Enter a name, e.g. deploy-main.' });
  const issuerError = schemaError(issuerSchema, issuer.trim(), {
    submitted,
    required: 'Enter the issuer URL of your CI tokens.',
  });
  const rules = claimRulesFrom(audience, rows);
  const rulesError = submitted && !rules.ok ? rules : null;

  const setRow = (index: number, change: Partial<ClaimRow>) =>
    setRows((current) => current.map((row, i) => (i === index ? { ...row, ...change } : row)));

  function submit(event: FormEvent) {
    event.preventDefault();
    create.reset();
    setSubmitted(true);
    setCreated(null);
    const invalid =
      schemaError(nameSchema, name, { submitted: true, required: 'required' }) ||
      schemaError(issuerSchema, issuer.trim(), { submitted: true, required: 'required' });
    if (invalid || !rules.ok) return;
    create.mutate({ project, name, issuer: issuer.trim(), claims: rules.claims, role });
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-4" noValidate aria-label="New service account">
      <h3 className="font-medium">New service account</h3>
      <div className="grid gap-4 sm:grid-cols-3">
        <Field label="Name" error={nameError} hint="Lowercase letters, digits and hyphens.">
          {(control) => (
            <input
              {...control}
              value={name}
              onChange={(event) => setName(event.target.value)}
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              placeholder="deploy-main"
              className={`${inputClass} font-mono`}
            />
          )}
        </Field>
        <Field label="Issuer URL" error={issuerError} hint="Who signs your CI's tokens.">
          {(control) => (
            <>
              <input
                {...control}
                type="url"
                list={listId}
                value={issuer}
                onChange={(event) => setIssuer(event.target.value)}
                autoComplete="off"
                spellCheck={false}
                placeholder={KNOWN_ISSUERS[0]}
                className={`${inputClass} font-mono`}
              />
              <datalist id={listId}>
                {KNOWN_ISSUERS.map((known) => (
                  <option key={known} value={known} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <Field label="Role" hint="What its tokens may do on this project.">
          {(control) => (
            <select
              {...control}
              value={role}
              onChange={(event) => setRole(event.target.value as (typeof ROLES)[number])}
              className={inputClass}
            >
              {ROLES.map((option) => (
                <option key={option} value={option}>
                  {option}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <fieldset className="flex flex-col gap-2 text-sm">
        <legend className="mb-1 font-medium">Claims a token must carry</legend>
        <Field
          label="Audience (aud)"
          error={rulesError?.field === 'aud' ? rulesError.error : null}
          hint="The audience your CI requests its token for; the CI snippets request it."
        >
          {(control) => (
            <input
              {...control}
              value={audience}
              onChange={(event) => setAudience(event.target.value)}
              autoComplete="off"
              spellCheck={false}
              className={`${inputClass} font-mono`}
            />
          )}
        </Field>
        {rows.map((row, index) => (
          // Rows have no identity but their place; removing one re-renders those after it.
          // biome-ignore lint/suspicious/noArrayIndexKey: see above.
          <div key={index} className="flex flex-col gap-2 sm:flex-row sm:items-center">
            <input
              aria-label={`Claim ${index + 1} name`}
              value={row.name}
              onChange={(event) => setRow(index, { name: event.target.value })}
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              placeholder={index === 0 ? 'repository' : 'claim'}
              className={`${inputClass} font-mono sm:w-48`}
            />
            <span aria-hidden="true" className="hidden text-zinc-500 sm:inline">
              =
            </span>
            <input
              aria-label={`Claim ${index + 1} value`}
              value={row.value}
              onChange={(event) => setRow(index, { value: event.target.value })}
              autoComplete="off"
              spellCheck={false}
              placeholder={index === 0 ? 'acme/my-app' : 'value'}
              className={`${inputClass} min-w-0 flex-1 font-mono`}
            />
            {rows.length > 1 && (
              <Button small onClick={() => setRows((current) => current.filter((_, i) => i !== index))}>
                Remove<span className="sr-only"> claim {index + 1}</span>
              </Button>
            )}
          </div>
        ))}
        {rulesError?.field === 'claims' ? (
          <p role="alert" className="text-xs text-red-700 dark:text-red-300">
            {rulesError.error}
          </p>
        ) : (
          <p className="text-xs text-zinc-500">{claimExamples(issuer.trim())}</p>
        )}
        <div>
          <Button small onClick={() => setRows((current) => [...current, emptyRow()])}>
            Add claim
          </Button>
        </div>
      </fieldset>
      <ErrorAlert error={create.error} />
      <div className="flex flex-col gap-3 sm:flex-row sm:items-center">
        <SubmitButton pending={create.isPending} pendingLabel="Creating…">
          Create service account
        </SubmitButton>
        <p role="status" className="text-sm text-emerald-700 dark:text-emerald-300">
          {created && `Created ${created}. Put its CI snippet in your pipeline.`}
        </p>
      </div>
    </form>
  );
}
