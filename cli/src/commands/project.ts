import { authenticatedApi } from '../lib/api';
import { printJson, printTable, say } from '../lib/output';
import { collectPages } from '../lib/pages';

type Common = { url?: string; output: string };
type Runtime = 'docker' | 'kubernetes';

const client = authenticatedApi;

export async function createProject(
  name: string,
  options: Common & { visibility: 'public' | 'private'; owner?: string; runtime?: Runtime },
) {
  const project = await client(options).project.create.mutate({
    name,
    visibility: options.visibility,
    owner: options.owner,
    runtime: options.runtime,
  });
  if (options.output === 'json') return printJson(project);
  say(`Created project '${project.name}' with ${project.visibility} visibility owned by ${project.owner}.`);
}

export async function listProjects(options: Common & { all?: boolean; limit?: number; search?: string }) {
  const api = client(options);
  const projects = await collectPages(
    (page) => api.project.list.query({ all: options.all ?? false, search: options.search, ...page }),
    (project) => project.name,
    options.limit,
  );
  if (options.output === 'json') return printJson(projects);
  if (projects.length === 0) {
    return say(
      options.search
        ? `No project names contain '${options.search}'.`
        : 'No projects yet. Create one: rise p c my-app',
    );
  }
  printTable(
    [
      { title: 'PROJECT', width: 16 },
      { title: 'STATUS', width: 14 },
      { title: 'URL', width: 32 },
      { title: 'VISIBILITY', width: 14 },
      { title: 'OWNER', width: 0 },
    ],
    projects.map((p) => [p.name, p.status, p.url, p.visibility, p.owner]),
  );
}

export async function showProject(name: string, options: Common) {
  const project = await client(options).project.get.query({ project: name });
  if (options.output === 'json') return printJson(project);
  const rows: [string, string][] = [
    ['Project', project.name],
    ['Status', project.status],
    ['URL', project.url],
    ['Visibility', project.visibility],
    ['Owner', project.owner],
    ['Runtime', project.runtime],
    ['Your role', project.role],
    ['Build', project.buildBackend],
    ['Port', String(project.port)],
    ['Health path', project.healthPath],
    ['Active deployment', project.activeDeploymentId ?? '-'],
  ];
  process.stdout.write(`${rows.map(([key, value]) => `${`${key}:`.padEnd(19)}${value}`).join('\n')}\n`);
}

export async function updateProject(
  name: string,
  options: Common & {
    visibility?: 'public' | 'private';
    owner?: string;
    port?: number;
    healthPath?: string;
    runtime?: Runtime;
  },
) {
  const project = await client(options).project.update.mutate({
    project: name,
    visibility: options.visibility,
    owner: options.owner,
    port: options.port,
    healthPath: options.healthPath,
    runtime: options.runtime,
  });
  if (options.output === 'json') return printJson(project);
  say(`Updated project '${project.name}'.`);
}

export async function deleteProject(name: string, options: Common & { yes?: boolean }) {
  const result = await client(options).project.delete.mutate({ project: name });
  if (options.output === 'json') return printJson(result);
  say(`Deleted project '${result.name}'.`);
}
