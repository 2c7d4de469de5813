import type { BuilderBackend } from '../../../../src/shared/builders/backends';
import { describeBaseImages } from '../../../../src/shared/builders/build-settings';
import { declaredProcessesOf } from '../../../../src/shared/processes/project-file-processes';
import type { Api } from '../../lib/api';
import { buildImage, pushImage, resolveBuildImages, tagImage } from '../../lib/build';
import { BuildLogShipper } from '../../lib/build-log';
import { deployMessages } from '../../lib/deploy-messages';
import { say, startSpinner } from '../../lib/output';
import { readProcfile } from '../../lib/procfile';
import { baseImagesFromToml, memoryMb, readRiseToml, sourceSettingsFromToml } from '../../lib/rise-toml';
import type { EnvOverride } from './env-overrides';

/**
 * Builds the app in `dir` locally, pushes it with short-lived credentials, and hands the digest to
 * Rise; `.rise.toml`'s [deploy] settings, [source] and [env] vars go to the project first.
 */
export async function buildAndPush(
  api: Api,
  project: string,
  dir: string,
  options: {
    backend?: BuilderBackend;
    verbose?: boolean;
    envOverrides?: EnvOverride[];
    group?: string;
    expire?: string;
  },
) {
  const config = readRiseToml(dir);
  // Read before anything changes on the server: a bad Procfile fails the deploy here.
  const processes = declaredProcessesOf(config, config?.processes ? null : readProcfile(dir));
  const backend = options.backend ?? config?.build?.backend ?? 'auto';
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
      startCommand: deploy.command,
      releaseCommand: deploy.release,
      postDeployCommand: deploy.post_deploy,
    });
  }
  if (config?.source) {
    await api.gitSource.set.mutate({ project, ...sourceSettingsFromToml(config.source) });
  }
  // `[[cron]]` lists the project's cron jobs: as written, every deploy (none written: left as they are).
  if (config?.cron) await api.cron.set.mutate({ project, jobs: config.cron });
  // `[processes]`, else a Procfile: the processes as declared, those not declared removed (declared
  // nowhere: left as they are).
  if (processes) await api.project.setProcesses.mutate({ project, ...processes });
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
  const created = await api.deployment.create.mutate({
    project,
    envOverrides: options.envOverrides,
    group: options.group,
    expire: options.expire,
  });
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
