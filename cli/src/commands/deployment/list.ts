import { Option } from 'commander';
import { DEFAULT_GROUP } from '../../../../src/shared/deployment-groups';
import { crashState, type DeploymentCrashes } from '../../../../src/shared/deployments/crashes';
import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { shortDigest } from '../../lib/deploy-messages';
import { EXIT } from '../../lib/errors';
import { formatTime } from '../../lib/format';
import { printList } from '../../lib/output';
import { collectPages } from '../../lib/pages';
import { projectArgument } from '../../lib/project';
import { sharedOptions } from '../../lib/shared-options';
import { groupOption, remaining } from './groups';

type ListArgs = ProjectArgs & { limit: number; group?: string; allGroups?: boolean };

type Listed = {
  id: string;
  status: string;
  active: boolean;
  group: string;
  url: string;
  expiresAt: Date | null;
  image: string | null;
  imageDigest: string | null;
  /** Image retention removed the image: it cannot be rolled back to. Absent from older servers. */
  imageRemoved?: boolean;
  error: string | null;
  createdBy: string | null;
  trigger: string;
  commit: { sha: string; message: string | null } | null;
  createdAt: Date;
  /** Absent from servers older than crash-loop detection. */
  crashes?: DeploymentCrashes | null;
};

/** The STATUS cell: the status, with `crash-looping` or the restarts since the app last ran stable. */
export function statusCell(deployment: Pick<Listed, 'status' | 'crashes'>): string {
  const { crashes } = deployment;
  if (!crashes) return deployment.status;
  if (crashState(crashes) === 'crash-looping') return `${deployment.status}, crash-looping`;
  return `${deployment.status}, ${crashes.restarts} ${crashes.restarts === 1 ? 'restart' : 'restarts'}`;
}

/** Characters of the COMMIT cell: a short sha and as much of the message's first line as fits. */
const COMMIT_CELL_MAX = 40;

/** The COMMIT cell: `3f2a9c1 Fix the login form`, cut with … past COMMIT_CELL_MAX; `-` when none. */
export function commitCell(commit: Listed['commit']): string {
  if (!commit) return '-';
  const subject = commit.message?.split('\n')[0]?.trim();
  const text = subject ? `${commit.sha.slice(0, 7)} ${subject}` : commit.sha.slice(0, 7);
  return text.length > COMMIT_CELL_MAX ? `${text.slice(0, COMMIT_CELL_MAX - 1)}…` : text;
}

/** The DIGEST cell: the short digest, marked when image retention removed the image (no rollback). */
export function digestCell(deployment: Pick<Listed, 'imageDigest' | 'imageRemoved'>): string {
  const digest = shortDigest(deployment.imageDigest);
  return deployment.imageRemoved ? `${digest} (removed)` : digest;
}

/** Ending or ended for another reason than expiry: an expiry they still carry no longer applies. */
const ENDED = ['cancelling', 'cancelled', 'terminating', 'stopped', 'superseded', 'failed'];

/** The EXPIRY cell: time left (`6d 23h`, `expired`), `-` when it never expires or has ended otherwise. */
export function expiryCell(deployment: Pick<Listed, 'status' | 'expiresAt'>, now = Date.now()): string {
  if (!deployment.expiresAt || ENDED.includes(deployment.status)) return '-';
  return remaining(deployment.expiresAt, now);
}

/**
 * `rise d ls`'s table: what started each deployment and what it runs (commit, image), the URL on each
 * group's active deployment, only an error's first line.
 */
export function deploymentTable(deployments: Listed[], now = Date.now()) {
  const columns = [
    'DEPLOYMENT',
    'STATUS',
    'TRIGGER',
    'CREATED BY',
    'COMMIT',
    'IMAGE',
    'DIGEST',
    'GROUP',
    'EXPIRY',
    'CREATED',
    'URL',
    'ERROR',
  ].map((title) => ({ title, width: title.length + 2 }));
  return {
    columns,
    rows: deployments.map((d) => [
      d.id,
      statusCell(d),
      d.trigger,
      d.createdBy ?? '-',
      commitCell(d.commit),
      d.image ?? '-',
      digestCell(d),
      d.group,
      expiryCell(d, now),
      formatTime(d.createdAt),
      d.active ? d.url : '-',
      d.error?.split('\n')[0] || '-',
    ]),
  };
}

export const list = defineCommand<ListArgs>({
  name: 'list',
  aliases: ['ls', 'l'],
  summary:
    "deployments, newest first: the default group's (-g NAME: that group's, --all-groups: every group's)",
  examples: [
    'rise d ls my-app                # the default group (the project URL)',
    'rise d ls my-app -g mr/26       # one preview group',
    'rise d ls my-app --all-groups   # every group, with each group URL and time left',
  ],
  project: { argument: 'optional' },
  options: [
    sharedOptions.limit('how many', 20),
    groupOption("only this group's deployments (default: 'default')").conflicts('allGroups'),
    new Option('--all-groups', "every group's deployments, previews included"),
  ],
  async run(options, ctx) {
    const project = projectArgument(options.project);
    const api = ctx.api();
    const which = options.allGroups ? { allGroups: true } : { group: options.group };
    const deployments = await collectPages(
      (page) => api.deployment.list.query({ project, ...page, ...which }),
      (deployment) => deployment.id,
      options.limit,
    );
    printList(options.output, deployments, {
      empty: options.allGroups
        ? `No deployments of '${project}' yet: rise d c ${project}`
        : `No deployments in group '${options.group ?? DEFAULT_GROUP}' of '${project}': deploy with rise d c ${project}${options.group ? ` -g ${options.group}` : ''}; every group's: rise d ls ${project} --all-groups`,
      table: (deployments) => deploymentTable(deployments),
    });
    return EXIT.ok;
  },
});
