import { Option } from 'commander';
import { DEFAULT_GROUP } from '../../../../src/shared/deployment-groups';
import { crashSummary, type DeploymentCrashes } from '../../../../src/shared/deployments/crashes';
import type { Api } from '../../lib/api';
import { deploymentIdArgument, durationSeconds, zodParser } from '../../lib/arguments';
import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { CliError, EXIT } from '../../lib/errors';
import { printJson, say } from '../../lib/output';
import { projectArgument } from '../../lib/project';
import { sharedOptions } from '../../lib/shared-options';
import { sleep } from '../../lib/sleep';
import { isDeploymentId } from './deployment-id';
import { groupOption, inGroup } from './groups';

/**
 * `rise d s [PROJECT] [DEPLOYMENT]`: one argument that looks like a deployment id is the deployment
 * (the project then comes from .rise.toml); no deployment means the newest one.
 */
export function showArguments(first: string | undefined, second: string | undefined, dir = process.cwd()) {
  if (second === undefined && first !== undefined && isDeploymentId(first)) {
    return { project: projectArgument(undefined, dir), deployment: first };
  }
  if (second !== undefined && !isDeploymentId(second)) {
    throw new CliError(
      `'${second}' is not a deployment id: ${deploymentIdArgument.safeParse(second).error?.issues[0]?.message}.`,
      EXIT.usage,
    );
  }
  return { project: projectArgument(first, dir), deployment: second };
}

type EnvOverrideView = { key: string; value: string | null; secret: boolean };

/** `FOO=preview TOKEN=(secret)`: a deployment's env overrides on one line; none is `-`. */
export function envOverridesText(overrides: EnvOverrideView[]): string {
  if (overrides.length === 0) return '-';
  return overrides.map(({ key, value, secret }) => `${key}=${secret ? '(secret)' : value}`).join(' ');
}

type CommitView = { ref: string | null; sha: string; message: string | null; author: string | null };

const row = (key: string, text: string) => `${`${key}:`.padEnd(19)}${text}`;

/** A deployment's commit as rows: ref, sha, message (its further lines indented under it), author. */
export function commitRows(commit: CommitView | null): string {
  if (!commit) return row('commit', '-');
  const message = (commit.message ?? '-')
    .trimEnd()
    .split('\n')
    .map((line, index) => (index === 0 || !line ? line : `${' '.repeat(19)}${line}`))
    .join('\n');
  return [
    row('ref', commit.ref ?? '-'),
    row('commit', commit.sha),
    row('message', message),
    row('author', commit.author ?? '-'),
  ].join('\n');
}

/**
 * Crashes since the app last ran stable: `crashes:` with the summary (`crash-looping since …: 4
 * restarts, last exit code 1`), then the last log lines indented under `last log:`; `-` when none.
 */
export function crashRows(crashes: DeploymentCrashes | null): string {
  if (!crashes) return row('crashes', '-');
  const rows = [row('crashes', crashSummary(crashes))];
  const [first, ...rest] = crashes.lastLogLines;
  if (first !== undefined) {
    rows.push(row('last log', first), ...rest.map((line) => `${' '.repeat(19)}${line}`));
  }
  return rows.join('\n');
}

/**
 * The rows `rise d s` prints: `key:` padded, dates as ISO 8601, nulls as `-`, env overrides on one
 * line, the commit and crashes as rows of their own.
 */
export function deploymentRows(deployment: Record<string, unknown>): string {
  return Object.entries(deployment)
    .map(([key, value]) => {
      if (key === 'commit') return commitRows(value as CommitView | null);
      if (key === 'crashes') return crashRows(value as DeploymentCrashes | null);
      const text =
        value instanceof Date
          ? value.toISOString()
          : key === 'envOverrides' && Array.isArray(value)
            ? envOverridesText(value as EnvOverrideView[])
            : (value ?? '-');
      return row(key, String(text));
    })
    .join('\n');
}

/** What `rise d s --follow` does with a deployment's status: keep waiting, or exit with this code. */
export function followOutcome(deployment: {
  status: string;
  healthyAt: Date | null;
}): 'waiting' | typeof EXIT.ok | typeof EXIT.failure {
  if (deployment.status === 'healthy') return EXIT.ok;
  if (['failed', 'cancelled', 'expired'].includes(deployment.status)) return EXIT.failure;
  // Replaced or stopped after it ran: it did become healthy; one that never did failed to.
  if (['superseded', 'stopped'].includes(deployment.status))
    return deployment.healthyAt ? EXIT.ok : EXIT.failure;
  return 'waiting';
}

async function newestDeployment(api: Api, project: string, group?: string) {
  const [newest] = await api.deployment.list.query({ project, limit: 1, group });
  if (!newest) {
    throw new CliError(
      `No deployments of '${project}'${inGroup(group ?? DEFAULT_GROUP)} yet: rise d c ${project}${group ? ` -g ${group}` : ''}`,
      EXIT.notFound,
    );
  }
  return newest;
}

export type ShowArgs = ProjectArgs & {
  deployment?: string;
  group?: string;
  follow: boolean;
  timeout: number;
};

export const show = defineCommand<ShowArgs>({
  name: 'show',
  aliases: ['s'],
  summary: `a deployment (default: the newest of the group, -g); --follow waits until it settles: exit 0 healthy, 1 failed or cancelled, ${EXIT.timeout} on --timeout`,
  project: { argument: 'optional' },
  arguments: [{ name: 'deployment', matches: isDeploymentId }],
  options: [
    groupOption('without a deployment: the newest of this group (default: default)'),
    sharedOptions.follow('wait until the deployment is healthy, failed or cancelled'),
    new Option(
      '--timeout <duration>',
      `with --follow: give up after (90, 90s, 5m, 1h; exit code ${EXIT.timeout})`,
    )
      .argParser(zodParser(durationSeconds))
      .default(600),
  ],
  async run(options, ctx) {
    const api = ctx.api();
    const { project, deployment: named } = showArguments(options.project, options.deployment);
    const id = named ?? (await newestDeployment(api, project, options.group)).id;
    if (!options.follow) {
      const deployment = await api.deployment.get.query({ project, deployment: id });
      if (options.output === 'json') printJson(deployment);
      else process.stdout.write(`${deploymentRows(deployment)}\n`);
      return EXIT.ok;
    }
    const deadline = Date.now() + options.timeout * 1000;
    let seen = '';
    for (;;) {
      const deployment = await api.deployment.get.query({ project, deployment: id });
      if (deployment.status !== seen) {
        seen = deployment.status;
        say(`Deployment ${id} is ${deployment.status}.`);
      }
      const outcome = followOutcome(deployment);
      if (outcome !== 'waiting') {
        if (options.output === 'json') printJson(deployment);
        else process.stdout.write(`${deploymentRows(deployment)}\n`);
        if (outcome !== EXIT.ok)
          throw new CliError(
            deployment.error
              ? `Deployment ${id} ${deployment.status}: ${deployment.error}`
              : `Deployment ${id} ${deployment.status === 'cancelled' ? 'was cancelled' : `ended ${deployment.status}`}; its events: rise d logs ${project} --deployment ${id} --events`,
            outcome,
          );
        return EXIT.ok;
      }
      if (Date.now() >= deadline)
        throw new CliError(
          `Deployment ${id} is still ${deployment.status} after ${options.timeout} s; follow it again with: rise d s ${project} ${id} --follow`,
          EXIT.timeout,
        );
      await sleep(Math.min(1000, Math.max(0, deadline - Date.now())));
    }
  },
});
