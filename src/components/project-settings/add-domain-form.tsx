'use client';

import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Button, inputClass } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { hostname as hostnameSchema } from '@/server/domains/custom-domains/domain.schema';
import { errorMessage } from '@/trpc/error-message';
import { useTRPC } from '@/trpc/react';
import type { DomainRow } from './domain-list';

function hostnameError(value: string, baseDomain: string): string | null {
  if (!value.trim()) return null;
  const parsed = hostnameSchema.safeParse(value);
  if (!parsed.success) return parsed.error.issues[0]?.message ?? 'Invalid domain name.';
  if (parsed.data === baseDomain || parsed.data.endsWith(`.${baseDomain}`)) {
    return `${parsed.data} is under Rise's own domain ${baseDomain}; the project already has its default URL.`;
  }
  return null;
}

/** Adds a custom domain; the name is checked as it is typed, with the API's rule. */
export function AddDomainForm({
  project,
  target,
  baseDomain,
  onAdded,
}: {
  project: string;
  /** The default hostname of the project, which a CNAME should point at. */
  target: string;
  baseDomain: string;
  onAdded: (domains: DomainRow[], hostname: string) => void;
}) {
  const trpc = useTRPC();
  const [value, setValue] = useState('');
  const [submitted, setSubmitted] = useState(false);
  const [added, setAdded] = useState<string | null>(null);
  const add = useMutation(
    trpc.domain.add.mutationOptions({
      onSuccess: (result, input) => {
        onAdded(result, input.hostname);
        setAdded(input.hostname.trim().toLowerCase());
        setValue('');
        setSubmitted(false);
      },
    }),
  );

  const error =
    hostnameError(value, baseDomain) ??
    (submitted && !value.trim() ? 'Enter a domain name such as app.example.com.' : null);

  function submit(event: FormEvent) {
    event.preventDefault();
    add.reset();
    setSubmitted(true);
    setAdded(null);
    if (!value.trim() || hostnameError(value, baseDomain)) return;
    add.mutate({ project, hostname: value.trim().toLowerCase() });
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-3" noValidate>
      <div className="flex flex-col gap-3 sm:flex-row sm:items-start">
        <div className="flex-1">
          <Field
            label="Domain"
            error={error}
            hint={
              <>
                Point its DNS at Rise first: a CNAME record to <span className="font-mono">{target}</span>, or
                for an apex domain (example.com) an A/AAAA record to this server&apos;s IP address.
              </>
            }
          >
            {(control) => (
              <input
                {...control}
                value={value}
                onChange={(event) => {
                  setValue(event.target.value);
                  setAdded(null);
                }}
                inputMode="url"
                autoComplete="off"
                autoCapitalize="none"
                spellCheck={false}
                placeholder="app.example.com"
                className={`${inputClass} font-mono`}
              />
            )}
          </Field>
        </div>
        <Button type="submit" variant="primary" disabled={add.isPending} className="sm:mt-6">
          {add.isPending ? 'Adding…' : 'Add domain'}
        </Button>
      </div>
      {add.error && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-300">
          {errorMessage(add.error)}
        </p>
      )}
      <p role="status" className="text-sm text-emerald-700 dark:text-emerald-300">
        {added && `Added ${added}. Rise routes it to ${project} within a few seconds.`}
      </p>
    </form>
  );
}
