import { describeCommand } from '../../../../src/shared/deployments/commands';
import { defineCommand, type SharedArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { formatBytes, printDetails } from '../../lib/format';
import { printJson } from '../../lib/output';

export const show = defineCommand<SharedArgs & { project: string }>({
  name: 'show',
  aliases: ['s'],
  summary: 'show a project',
  project: { argument: 'required' },
  async run(options, ctx) {
    const [project, figures] = await Promise.all([
      ctx.api().project.get.query({ project: options.project }),
      ctx.api().metrics.current.query({ project: options.project }),
    ]);
    if (options.output === 'json') {
      printJson(project);
      return EXIT.ok;
    }
    printDetails([
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
      ['Start command', describeCommand(project.startCommand) ?? "(the image's)"],
      ...commandRows(project),
      ['Active deployment', project.activeDeploymentId ?? '-'],
      ...figureRows(figures),
    ]);
    return EXIT.ok;
  },
});

/** Release and post-deploy commands, shown only when set. */
function commandRows(project: { releaseCommand: string[]; postDeployCommand: string[] }): [string, string][] {
  const rows: [string, string][] = [];
  const release = describeCommand(project.releaseCommand);
  const postDeploy = describeCommand(project.postDeployCommand);
  if (release) rows.push(['Release command', release]);
  if (postDeploy) rows.push(['Post-deploy command', postDeploy]);
  return rows;
}

type Figures = {
  cpuPercent: number | null;
  memoryBytes: number | null;
  memoryLimitBytes: number | null;
  up: boolean | null;
  responseMs: number | null;
  statusCode: number | null;
  uptimePercent24h: number | null;
};

/** The app's current figures (sampled in the last minutes), when there are any. */
export function figureRows(figures: Figures): [string, string][] {
  const rows: [string, string][] = [];
  if (figures.cpuPercent !== null) rows.push(['CPU', `${figures.cpuPercent.toFixed(1)}%`]);
  if (figures.memoryBytes !== null) {
    const limit = figures.memoryLimitBytes === null ? '' : ` / ${formatBytes(figures.memoryLimitBytes)}`;
    rows.push(['Memory', `${formatBytes(figures.memoryBytes)}${limit}`]);
  }
  if (figures.up !== null) {
    rows.push([
      'Last check',
      figures.up
        ? `up (${figures.statusCode}, ${Math.round(figures.responseMs ?? 0)} ms)`
        : `down${figures.statusCode ? ` (${figures.statusCode})` : ''}`,
    ]);
  }
  if (figures.uptimePercent24h !== null)
    rows.push(['Uptime (24 h)', `${figures.uptimePercent24h.toFixed(2)}%`]);
  return rows;
}
