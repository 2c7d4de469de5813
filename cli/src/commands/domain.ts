import { authenticatedApi } from '../lib/api';
import { printJson, printTable, say } from '../lib/output';
import { projectArgument } from './deployment';

type Common = { url?: string; output: string; project?: string };

const client = authenticatedApi;

export async function addDomain(hostname: string, options: Common) {
  const project = projectArgument(options.project);
  const domains = await client(options).domain.add.mutate({ project, hostname });
  if (options.output === 'json') return printJson(domains);
  say(
    `Added ${hostname} to '${project}'. Point its DNS (A/AAAA or CNAME) at Rise; TLS follows on the first request.`,
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
      { title: 'ADDED', width: 0 },
    ],
    domains.map((d) => [d.hostname, d.createdAt.toISOString()]),
  );
}

export async function removeDomain(hostname: string, options: Common) {
  const project = projectArgument(options.project);
  await client(options).domain.remove.mutate({ project, hostname });
  say(`Removed ${hostname} from '${project}'.`);
}
