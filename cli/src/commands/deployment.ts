import { BUILDER_BACKENDS, type BuilderBackend } from '../../../src/shared/builders/backends';
import { describeBaseImages } from '../../../src/shared/builders/build-settings';
import { imageReferenceProblem } from '../../../src/shared/registry/image-reference';
import { authenticatedApi } from '../lib/api';
import { deploymentIdArgument } from '../lib/arguments';
import { buildImage, pushImage, resolveBuildImages, tagImage } from '../lib/build';
import { BuildLogShipper } from '../lib/build-log';
import { deployMessages, shortDigest } from '../lib/deploy-messages';
import { CliError, EXIT } from '../lib/errors';
import { printJson, printTable, say, startSpinner } from '../lib/output';
import { collectPages } from '../lib/pages';
import { baseImagesFromToml, memoryMb, readRiseToml } from '../lib/rise-toml';

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
  const api = client(options);
  const deployments = await collectPages(
    (page) => api.deployment.list.query({ project, ...page }),
    (deployment) => deployment.id,
    options.limit,
  );
  if (options.output === 'json') return printJson(deployments);
  if (deployments.length === 0) return say(`No deployments of '${project}' yet: rise d c ${project}`);
  printTable(
    [
      { title: 'DEPLOYMENT', width: 22 },
      { title: 'STATUS', width: 13 },
      { title: 'ACTIVE', width: 8 },
      { title: 'DIGEST', width: 14 },
      { title: 'IMAGE', width: 0 },
    ],
    deployments.map((d) => [
      d.id,
      d.status,
      d.active ? 'yes' : '',
      shortDigest(d.imageDigest),
      d.image ?? '-',
    ]),
  );
}

/**
 * `rise d s [PROJECT] [DEPLOYMENT]`: one argument that looks like a deployment id is the deployment
 * (the project then comes from .rise.toml); no deployment means the newest one.
 */
export function showArguments(first: string | undefined, second: string | undefined, dir = process.cwd()) {
  if (second === undefined && first !== undefined && deploymentIdArgument.safeParse(first).success) {
    return { project: projectArgument(undefined, dir), deployment: first };
  }
  if (second !== undefined && !deploymentIdArgument.safeParse(second).success) {
    throw new CliError(
      `'${second}' is not a deployment id: ${deploymentIdArgument.safeParse(second).error?.issues[0]?.message}.`,
      EXIT.usage,
    );
  }
  return { project: projectArgument(first, dir), deployment: second };
}

/** The rows `rise d s` prints: `key:` padded, dates as ISO 8601, nulls as `-`. */
export function deploymentRows(deployment: Record<string, unknown>): string {
  return Object.entries(deployment)
    .map(
      ([key, value]) =>
        `${`${key}:`.padEnd(19)}${value instanceof Date ? value.toISOString() : (value ?? '-')}`,
    )
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

export async function showDeployment(
  first: string | undefined,
  second: string | undefined,
  options: Common & { follow: boolean; timeout: number },
) {
  const api = client(options);
  const { project, deployment: named } = showArguments(first, second);
  const id = named ?? (await newestDeployment(api, project)).id;
  if (!options.follow) {
    const deployment = await api.deployment.get.query({ project, deployment: id });
    if (options.output === 'json') return printJson(deployment);
    return void process.stdout.write(`${deploymentRows(deployment)}\n`);
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
      return;
    }
    if (Date.now() >= deadline)
      throw new CliError(
        `Deployment ${id} is still ${deployment.status} after ${options.timeout} s; follow it again with: rise d s ${project} ${id} --follow`,
        EXIT.timeout,
      );
    await sleep(Math.min(1000, Math.max(0, deadline - Date.now())));
  }
}

async function newestDeployment(api: ReturnType<typeof client>, project: string) {
  const [newest] = await api.deployment.list.query({ project, limit: 1 });
  if (!newest) throw new CliError(`No deployments of '${project}' yet: rise d c ${project}`, EXIT.notFound);
  return newest;
}

const IN_PROGRESS = ['pending', 'building', 'pushing', 'pushed', 'deploying'];

/** `rise d cancel PROJECT [DEPLOYMENT]`: default the project's deployment that is still in progress. */
export async function cancel(name: string, id: string | undefined, options: Common) {
  const project = projectArgument(name);
  const api = client(options);
  let deploymentId = id;
  if (deploymentId === undefined) {
    const inProgress = (await api.deployment.list.query({ project, limit: 20 })).filter((d) =>
      IN_PROGRESS.includes(d.status),
    );
    if (inProgress.length === 0)
      throw new CliError(
        `No deployment of '${project}' is in progress; name one to cancel: rise d cancel ${project} <deployment>`,
        EXIT.notFound,
      );
    deploymentId = inProgress[0]!.id;
  }
  const deployment = await api.deployment.cancel.mutate({ project, deployment: deploymentId });
  if (options.output === 'json') return printJson(deployment);
  say(
    deployment.status === 'cancelled'
      ? `Cancelled deployment ${deployment.id} of '${project}'.`
      : deployment.status === 'cancelling'
        ? `Cancelling deployment ${deployment.id} of '${project}'; follow it: rise d s ${project} ${deployment.id} --follow`
        : `Deployment ${deployment.id} of '${project}' is already ${deployment.status}; nothing to cancel.`,
  );
  if (!['cancelled', 'cancelling'].includes(deployment.status)) process.exitCode = EXIT.conflict;
}

/** `rise d start [PROJECT]`: run the project again from its latest image (undoes `rise d stop`). */
export async function start(name: string | undefined, options: Common) {
  const project = projectArgument(name);
  const deployment = await client(options).deployment.start.mutate({ project });
  if (options.output === 'json') return printJson(deployment);
  say(
    `Starting '${project}' from ${deployment.image ?? 'its latest image'} as deployment ${deployment.id}. Follow it: rise d s ${project} ${deployment.id} --follow`,
  );
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
  const deploying = startSpinner(deployMessages.deploying(project));
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
        return say(deployMessages.succeeded(url));
      }
      await sleep(1000);
    }
    throw new CliError(
      `Still deploying after ${options.timeout} s; follow it with: rise d s ${project} ${created.id} --follow`,
      EXIT.timeout,
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
  // Before the deployment exists: a server that cannot say its build settings fails nothing.
  const settings =
    backend === 'auto' ? await resolveBuildImages(api, baseImagesFromToml(config?.build)) : null;
  if (settings?.warning) say(settings.warning);
  const created = await api.deployment.create.mutate({ project });
  const report = (phase: 'building' | 'pushing') =>
    api.deployment.report.mutate({ project, deployment: created.id, phase });
  // The build's output goes to the deployment's log (dashboard, `rise d logs --events`) as it happens.
  const buildLog = new BuildLogShipper(
    (lines) => api.deployment.appendBuildLog.mutate({ project, deployment: created.id, lines }),
    (error) =>
      say(
        `Build output is not sent to Rise any more (${error instanceof Error ? error.message : String(error)}); --verbose prints it here.`,
      ),
  );
  const onLog = (line: string) => {
    buildLog.add(line);
    if (options.verbose) say(line);
  };
  try {
    const target = await api.registry.credentials.mutate({ project });
    const reference = `${target.host}/${target.repository}:${created.id}`;
    const latest = `${target.host}/${target.repository}:latest`;
    await report('building');
    const building = startSpinner(deployMessages.building(latest, backend));
    if (settings) {
      onLog('Base images (.rise.toml [build] > Rise server defaults > built-in):');
      for (const line of describeBaseImages(settings.resolved)) onLog(line);
    }
    await buildImage({
      dir,
      project,
      backend,
      reference,
      dockerfile: config?.build?.dockerfile,
      context: config?.build?.context,
      builder: config?.build?.builder,
      images: settings?.resolved.images,
      onLog,
    }).finally(() => building.stop());
    await tagImage(reference, latest);
    await report('pushing');
    const pushing = startSpinner(deployMessages.pushing(target.host));
    // Fresh credentials: a long build may outlast the first ones (15 minutes at most).
    const credentials = await api.registry.credentials.mutate({ project });
    // The deployment-id tag pins this deployment; `:latest` names the newest build for everyone else.
    const digest = await pushImage([reference, latest], credentials, onLog).finally(() => pushing.stop());
    // Every line is in the log before the deployment leaves its build phase (then no more are taken).
    await buildLog.close();
    return await api.deployment.report.mutate({
      project,
      deployment: created.id,
      phase: 'pushed',
      image: reference,
      digest,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await buildLog.close();
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
