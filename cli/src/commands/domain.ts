import type { DomainView } from '../../../src/server/domains/custom-domains/domain.schema';
import { authenticatedApi } from '../lib/api';
import { CliError, EXIT } from '../lib/errors';
import { printJson, printTable, say } from '../lib/output';
import { projectArgument } from './deployment';

type Common = { url?: string; output: string; project?: string };

const client = authenticatedApi;

/** How to prove a pending domain, for the terminal. */
export function proofInstructions(
  domain: Pick<DomainView, 'hostname' | 'challenge'>,
  project: string,
): string {
  const { txt, http } = domain.challenge;
  return [
    `Prove that ${domain.hostname} is yours, either way:`,
    `  DNS:  create a TXT record  ${txt.name}  with the value  ${txt.value}`,
    `  HTTP: point ${domain.hostname} at Rise; Rise then serves ${http.url}`,
    `Then: rise domain verify ${domain.hostname} --project ${project}  (Rise also checks by itself for 7 days)`,
  ].join('\n');
}

export async function addDomain(hostname: string, options: Common) {
  const project = projectArgument(options.project);
  const domains = await client(options).domain.add.mutate({ project, hostname });
  if (options.output === 'json') return printJson(domains);
  const added = domains.find((domain) => domain.hostname === hostname.trim().toLowerCase());
  if (!added || added.status === 'verified') {
    return say(`Added ${hostname} to '${project}' (verified). TLS follows on the first request.`);
  }
  say(`Added ${hostname} to '${project}', pending: it gets no route until you prove it is yours.`);
  say(proofInstructions(added, project));
}

export async function verifyDomain(hostname: string, options: Common) {
  const project = projectArgument(options.project);
  const domain = await client(options).domain.verify.mutate({ project, hostname });
  if (options.output === 'json') printJson(domain);
  if (domain.status === 'verified') {
    if (options.output !== 'json') say(`${domain.hostname} is verified: Rise routes it to '${project}'.`);
    return;
  }
  if (options.output !== 'json') say(proofInstructions(domain, project));
  throw new CliError(
    `${domain.hostname} is still pending: ${domain.lastCheckError ?? 'no proof found yet'}`,
    EXIT.failure,
  );
}

export async function listDomains(options: Common) {
  const project = projectArgument(options.project);
  const domains = await client(options).domain.list.query({ project });
  if (options.output === 'json') return printJson(domains);
  if (domains.length === 0)
    return say(`No custom domains on '${project}': rise domain add app.example.com --project ${project}`);
  printTable(
    [
      { title: 'DOMAIN', width: 32 },
      { title: 'STATUS', width: 10 },
      { title: 'ADDED', width: 26 },
      { title: 'LAST CHECK', width: 0 },
    ],
    domains.map((d) => [
      d.hostname,
      d.status,
      d.createdAt.toISOString(),
      d.status === 'verified'
        ? ''
        : `${d.lastCheckedAt?.toISOString() ?? 'never'}${d.lastCheckError ? `: ${d.lastCheckError}` : ''}`,
    ]),
  );
  const pending = domains.filter((d) => d.status === 'pending');
  for (const domain of pending) say(`\n${proofInstructions(domain, project)}`);
}

export async function removeDomain(hostname: string, options: Common) {
  const project = projectArgument(options.project);
  await client(options).domain.remove.mutate({ project, hostname });
  say(`Removed ${hostname} from '${project}'.`);
}
