import { declaredProcessesOf } from '../../../../src/shared/processes/project-file-processes';
import type { Api } from '../../lib/api';
import { readProcfile } from '../../lib/procfile';
import { memoryMb, type RiseToml, readRiseToml, sourceSettingsFromToml } from '../../lib/rise-toml';

/**
 * Sends what the project's files in `dir` say to the project before a deploy (`rise d c`): `.rise.toml`'s
 * [deploy] settings, [source], [[cron]], [processes] (else a Procfile) and [env]. Returns the config.
 */
export async function syncProjectFile(api: Api, project: string, dir: string): Promise<RiseToml | null> {
  const config = readRiseToml(dir);
  // Read before anything changes on the server: a bad Procfile fails the deploy here.
  const processes = declaredProcessesOf(config, config?.processes ? null : readProcfile(dir));
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
  return config;
}
