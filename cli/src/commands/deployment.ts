import { BUILDER_BACKENDS, type BuilderBackend } from '../../../src/server/builders/types';
import { imageReferenceProblem } from '../../../src/server/registry/image-reference';
import { authenticatedApi } from '../lib/api';
import { buildImage, pushImage } from '../lib/build';
import { CliError, EXIT } from '../lib/errors';
import { printJson, printTable, say, startSpinner } from '../lib/output';
import { memoryMb, readRiseToml } from '../lib/rise-toml';

type Common = { url?: string; output: string };

const client = authenticatedApi;

/** The project named on the command line, else the one in ./.rise.toml. */
export function projectArgument(name: string | undefined, dir = process.cwd()): string {
  const project = name ?? readRiseToml(dir)?.project;
  if (!project)
    throw new CliError(
      'Name the project (rise d c my-app) or run this where a .rise.toml names it.',
      EXIT.usage,
    );
  return project;
}

export async function listDeployments(name: string | undefined, options: Common & { limit: number }) {
  const project = projectArgument(name);
  const deployments = await client(options).deployment.list.query({ project, limit: options.limit });
  if (options.output === 'json') return printJson(deployments);
  if (deployments.length === 0) return say(`No deployments of '${project}' yet: rise d c ${project}`);
  printTable(
    [
      { title: 'DEPLOYMENT', width: 22 },
      { title: 'STATUS', width: 13 },
      { title: 'ACTIVE', width: 8 },
      { title: 'IMAGE', width: 0 },
    ],
    deployments.map((d) => [d.id, d.status, d.active ? 'yes' : '', d.image ?? '-']),
  );
}

export async function showDeployment(name: string | undefined, id: string, options: Common) {
  const deployment = await client(options).deployment.get.query({
    project: projectArgument(name),
    deployment: id,
  });
  if (options.output === 'json') return printJson(deployment);
  const rows = Object.entries(deployment).map(
    ([key, value]) =>
      `${`${key}:`.padEnd(19)}${value instanceof Date ? value.toISOString() : (value ?? '-')}`,
  );
  process.stdout.write(`${rows.join('\n')}\n`);
}

export async function rollback(name: string | undefined, id: string | undefined, options: Common) {
  const deployment = await client(options).deployment.rollback.mutate({
    project: projectArgument(name),
    deployment: id,
  });
  if (options.output === 'json') return printJson(deployment);
  say(`Rolling back '${deployment.project}' to ${deployment.rolledBackFrom} as deployment ${deployment.id}.`);
}

export async function stop(name: string | undefined, options: Common) {
  const result = await client(options).deployment.stop.mutate({ project: projectArgument(name) });
  if (options.output === 'json') return printJson(result);
  say(`Stopping '${result.project}'; its URL answers a "stopped" page until you deploy or start it again.`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const SETTLED = ['healthy', 'failed', 'cancelled', 'superseded', 'stopped', 'expired'];

export async function createDeployment(
  name: string | undefined,
  options: Common & {
    image?: string;
    path?: string;
    backend?: string;
    verbose?: boolean;
    follow: boolean;
    timeout: number;
  },
) {
  const dir = options.path ?? process.cwd();
  const project = projectArgument(name, dir);
  const problem = options.image === undefined ? null : imageReferenceProblem(options.image);
  if (problem) throw new CliError(`--image: ${problem}`, EXIT.usage);
  const api = client(options);
  const created = options.image
    ? await api.deployment.create.mutate({ project, image: options.image })
    : await buildAndPush(api, project, dir, options);
  if (!options.follow) {
    if (options.output === 'json') return printJson(created);
    return say(
      `Queued deployment ${created.id} of '${project}'. Follow it: rise d s ${project} ${created.id}`,
    );
  }
  const deploying = startSpinner(`Deploying '${project}' ...`);
  const cancel = () => {
    say(`Cancelling deployment ${created.id} ...`);
    void api.deployment.cancel
      .mutate({ project, deployment: created.id })
      .catch(() => undefined)
      .finally(() => process.exit(130));
  };
  process.once('SIGINT', cancel);
  const deadline = Date.now() + options.timeout * 1000;
  try {
    while (Date.now() < deadline) {
      const deployment = await api.deployment.get.query({ project, deployment: created.id });
      if (SETTLED.includes(deployment.status)) {
        deploying.stop();
        if (options.output === 'json') printJson(deployment);
        if (deployment.status !== 'healthy') {
          throw new CliError(
            `Deployment ${deployment.id} ${deployment.status}: ${deployment.error ?? 'see rise d s'}`,
            EXIT.failure,
          );
        }
        const { url } = await api.project.get.query({ project });
        return say(`Deployment successful! Your app is now running at ${url}`);
      }
      await sleep(1000);
    }
    throw new CliError(
      `Still deploying after ${options.timeout} s; follow it with: rise d s ${project} ${created.id}`,
      EXIT.failure,
    );
  } finally {
    deploying.stop();
    process.off('SIGINT', cancel);
  }
}

/** Builds the app locally, pushes it with short-lived credentials, and hands the digest to Rise. */
async function buildAndPush(
  api: ReturnType<typeof client>,
  project: string,
  dir: string,
  options: { backend?: string; verbose?: boolean },
) {
  const config = readRiseToml(dir);
  const backend = (options.backend ?? config?.build?.backend ?? 'auto') as BuilderBackend;
  if (!(BUILDER_BACKENDS as readonly string[]).includes(backend)) {
    throw new CliError(`--backend must be one of ${BUILDER_BACKENDS.join(', ')}.`, EXIT.usage);
  }
  const deploy = config?.deploy;
  if (deploy && Object.keys(deploy).length > 0) {
    await api.project.update.mutate({
      project,
      port: deploy.port,
      healthPath: deploy.health_path,
      replicas: deploy.replicas,
      cpuLimit: deploy.cpu,
      memoryLimitMb: memoryMb(deploy.memory),
      runtime: deploy.runtime,
    });
  }
  if (config?.env && Object.keys(config.env).length > 0) {
    await api.env.set.mutate({
      project,
      vars: Object.entries(config.env).map(([key, value]) => ({ key, value, secret: false })),
    });
  }
  const created = await api.deployment.create.mutate({ project });
  const report = (phase: 'building' | 'pushing') =>
    api.deployment.report.mutate({ project, deployment: created.id, phase });
  try {
    const target = await api.registry.credentials.mutate({ project });
    const reference = `${target.host}/${target.repository}:${created.id}`;
    await report('building');
    const building = startSpinner(`Building container image '${reference}' using ${backend}...`);
    const log: string[] = [];
    await buildImage({
      dir,
      project,
      backend,
      reference,
      dockerfile: config?.build?.dockerfile,
      context: config?.build?.context,
      builder: config?.build?.builder,
      onLog: (line) => {
        log.push(line);
        if (options.verbose) say(line);
      },
    }).finally(() => building.stop());
    await report('pushing');
    const pushing = startSpinner(`Pushing container image to ${target.host}...`);
    // Fresh credentials: a long build may outlast the first ones (15 minutes at most).
    const credentials = await api.registry.credentials.mutate({ project });
    const digest = await pushImage(reference, credentials).finally(() => pushing.stop());
    return await api.deployment.report.mutate({
      project,
      deployment: created.id,
      phase: 'pushed',
      image: reference,
      digest,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await api.deployment.report
      .mutate({ project, deployment: created.id, phase: 'failed', error: message.slice(0, 4000) })
      .catch(() => undefined);
    throw error;
  }
}

/** Streams the app's output (or, with --events, the deployment's events) until done or Ctrl+C. */
export async function logs(
  name: string | undefined,
  options: Common & { deployment?: string; follow: boolean; events: boolean; tail: number },
) {
  const project = projectArgument(name);
  const api = client(options);
  const deploymentId = options.deployment ?? (await api.project.get.query({ project })).activeDeploymentId;
  if (!deploymentId)
    throw new CliError(`'${project}' has no running deployment; name one with --deployment.`, EXIT.notFound);
  await new Promise<void>((resolve, reject) => {
    const subscription = api.deployment.logs.subscribe(
      {
        project,
        deployment: deploymentId,
        source: options.events ? 'events' : 'runtime',
        follow: options.follow,
        tail: options.tail,
      },
      {
        onData: (entry) => {
          if (options.output === 'json') return process.stdout.write(`${JSON.stringify(entry)}\n`);
          if (entry.type === 'event') process.stdout.write(`${entry.time.toISOString()} ${entry.message}\n`);
          else if (entry.type === 'log') process.stdout.write(`${entry.line}\n`);
          else say(`Deployment ${deploymentId} is ${entry.status}.`);
        },
        onError: (error) => reject(error),
        onComplete: () => resolve(),
        onStopped: () => resolve(),
      },
    );
    process.once('SIGINT', () => {
      subscription.unsubscribe();
      resolve();
    });
  });
}
