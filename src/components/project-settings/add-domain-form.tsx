'use client';

import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { ErrorAlert } from '@/components/ui/error-alert';
import { schemaError } from '@/components/ui/field-errors';
import { SubmitButton } from '@/components/ui/submit-button';
import { TextField } from '@/components/ui/text-field';
import type { DomainView } from '@/shared/custom-domains/domain.schema';
import { hostname as hostnameSchema } from '@/shared/custom-domains/domain.schema';
import { useTRPC } from '@/trpc/react';

/** For a valid hostname: Rise's own domain and its subdomains are not custom domains (the API checks Rise's other names too). */
function baseDomainError(hostname: string, baseDomain: string): string | null {
  if (hostname !== baseDomain && !hostname.endsWith(`.${baseDomain}`)) return null;
  return `${hostname} is under Rise's own domain ${baseDomain}; the project already has its default URL.`;
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
  onAdded: (domains: DomainView[], hostname: string) => void;
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

  const hostname = value.trim().toLowerCase();
  const error =
    schemaError(hostnameSchema, hostname, {
      submitted,
      required: 'Enter a domain name such as app.example.com.',
    }) ?? (hostname ? baseDomainError(hostname, baseDomain) : null);

  function submit(event: FormEvent) {
    event.preventDefault();
    add.reset();
    setSubmitted(true);
    setAdded(null);
    if (!hostname || error) return;
    add.mutate({ project, hostname });
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-3" noValidate>
      <div className="flex flex-col gap-3 sm:flex-row sm:items-start">
        <div className="flex-1">
          <TextField
            label="Domain"
            error={error}
            hint={
              <>
                Point its DNS at Rise: a CNAME record to <span className="font-mono">{target}</span>, or for
                an apex domain (example.com) an A/AAAA record to this server&apos;s IP address. Rise routes it
                once you prove it is yours (a TXT record, shown after adding).
              </>
            }
            value={value}
            onChange={(typed) => {
              setValue(typed);
              setAdded(null);
            }}
            inputMode="url"
            verbatim
            placeholder="app.example.com"
            mono
          />
        </div>
        <SubmitButton pending={add.isPending} pendingLabel="Adding…" className="sm:mt-6">
          Add domain
        </SubmitButton>
      </div>
      <ErrorAlert error={add.error} />
      <p role="status" className="text-sm text-emerald-700 dark:text-emerald-300">
        {added &&
          `Added ${added}, pending verification: create the TXT record shown above (or point the domain at Rise), then choose Verify now. Rise routes it to ${project} once it is verified.`}
      </p>
    </form>
  );
}
