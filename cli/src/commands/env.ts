import { authenticatedApi } from '../lib/api';
import { CliError, EXIT } from '../lib/errors';
import { printJson, printTable, say } from '../lib/output';
import { projectArgument } from './deployment';

type Common = { url?: string; output: string; project?: string };

const client = authenticatedApi;

/** `KEY=value` pairs from the command line. */
export function parseAssignments(pairs: string[]): { key: string; value: string }[] {
  return pairs.map((pair) => {
    const index = pair.indexOf('=');
    if (index <= 0) throw new CliError(`Expected KEY=value, got '${pair}'.`, EXIT.usage);
    return { key: pair.slice(0, index), value: pair.slice(index + 1) };
  });
}

export async function setEnv(pairs: string[], options: Common & { secret?: boolean }) {
  const project = projectArgument(options.project);
  const vars = parseAssignments(pairs).map((pair) => ({ ...pair, secret: options.secret ?? false }));
  const result = await client(options).env.set.mutate({ project, vars });
  if (options.output === 'json') return printJson(result);
  say(
    `Set ${vars.map((v) => v.key).join(', ')} on '${project}'${options.secret ? ' (secret)' : ''}. Redeploy to apply.`,
  );
}

export async function listEnv(options: Common) {
  const project = projectArgument(options.project);
  const vars = await client(options).env.list.query({ project });
  if (options.output === 'json') return printJson(vars);
  if (vars.length === 0)
    return say(`No env vars on '${project}': rise env set KEY=value --project ${project}`);
  printTable(
    [
      { title: 'KEY', width: 24 },
      { title: 'VALUE', width: 0 },
    ],
    vars.map((v) => [v.key, v.secret ? '******** (secret)' : (v.value ?? '')]),
  );
}

export async function removeEnv(key: string, options: Common) {
  const project = projectArgument(options.project);
  await client(options).env.remove.mutate({ project, key });
  say(`Removed ${key} from '${project}'. Redeploy to apply.`);
}
