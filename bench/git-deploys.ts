import { createHmac, randomUUID } from 'node:crypto';
import { waitFor } from '../test/wait';
import { APP_PORT, appImage } from './lib/app-image';
import { createProject, firstAnswer, waitFinished } from './lib/deployments';
import { startGitServer } from './lib/git-server';
import type { Stack } from './lib/stack';
import { formatSummary, round, summarize } from './lib/stats';
import type { Bench, MetricResult } from './lib/types';

/**
 * The repository's Dockerfile: the bench app (a local base image) answering `version`. The COPY of a
 * file of the fresh clone (new mtimes every build) shows whether the layer cache is reused.
 */
const dockerfile = (base: string, version: string) =>
  [
    `FROM ${base}`,
    'COPY README.md /srv/README.md',
    `CMD ["/bin/caddy", "respond", "--listen", ":${APP_PORT}", "--body", ${JSON.stringify(version)}]`,
    '',
  ].join('\n');

/** When deployment `id` was queued, and when its image was pushed (its `Image pushed` event). */
async function queuedToPushed(stack: Stack, id: string): Promise<{ ms: number; phases: string }> {
  const { rows } = await stack.db.query(
    `SELECT e.message, extract(epoch FROM e.created_at) * 1000 AS at, extract(epoch FROM d.created_at) * 1000 AS queued
       FROM deployment_events e JOIN deployments d ON d.id = e.deployment_id
      WHERE e.deployment_id = $1 ORDER BY e.id`,
    [id],
  );
  const queued = Number(rows[0]?.queued);
  const at = (pattern: RegExp) => {
    const row = rows.find((event) => pattern.test(event.message));
    return row ? Math.round(Number(row.at) - queued) : null;
  };
  const pushed = at(/^Image pushed: /);
  const steps = rows.filter((event) => /^Step \d+\/\d+ : /.test(event.message)).length;
  const cached = rows.filter((event) => /Using cache/.test(event.message)).length;
  if (pushed === null) throw new Error(`deployment ${id} has no 'Image pushed' event`);
  // Events, not build log lines: those are stored in batches, their times are the batch's.
  const phases = [
    `picked up +${at(/^Building on the server from git/)} ms`,
    `pushing +${at(/^Pushing the image/)} ms`,
    `pushed +${pushed} ms`,
    `layer cache used for ${cached} of ${steps} steps`,
  ].join(', ');
  return { ms: pushed, phases };
}

/** Polls the deployment until it is `pushed` or later (or failed). */
async function waitPushed(stack: Stack, id: string) {
  await waitFor(
    async () => {
      const { rows } = await stack.db.query('SELECT status, error FROM deployments WHERE id = $1', [id]);
      const status = rows[0]?.status as string | undefined;
      if (status === 'failed' || status === 'cancelled')
        throw new Error(`deployment ${id} ${status}: ${rows[0]?.error}`);
      return status !== undefined && !['pending', 'building', 'pushing'].includes(status);
    },
    {
      description: `deployment ${id} to be pushed`,
      timeoutMs: 180_000,
      intervalMs: 50,
      context: () => stack.output().slice(-3000),
    },
  );
}

/** Server builds from git: an unchanged rebuild (queue → pushed) and git push + webhook → new commit answers. */
export const gitDeploys: Bench = {
  name: 'git-deploys',
  description: 'server rebuild of an unchanged commit; git push + webhook → the new commit answers',
  async run({ stack: getStack, quick, log }) {
    const stack = await getStack();
    const project = `git-${stack.runId}`;
    await createProject(stack, project);
    const base = await appImage(stack.docker, project, 'git base', stack.images);
    const git = await startGitServer(stack.gitPort);
    try {
      // The API takes only remote https/ssh URLs; the bench's repository is a local git daemon, so the
      // source is created with a placeholder and pointed at git:// in the database (as the tests do).
      const { webhookSecret } = await stack.api.gitSource.set.mutate({
        project,
        repositoryUrl: 'https://git.example.test/bench/app.git',
        branch: 'main',
        provider: 'github',
      });
      if (!webhookSecret) throw new Error('the git source was not created by this bench');
      const { rows } = await stack.db.query(
        `UPDATE git_sources SET repository_url = $1
          WHERE project_id = (SELECT id FROM projects WHERE name = $2) RETURNING hook_id`,
        [git.url, project],
      );
      const hookId = rows[0]?.hook_id as string;
      const imagesOf = async () => {
        const built = await stack.db.query(
          `SELECT image FROM deployments WHERE project_id = (SELECT id FROM projects WHERE name = $1) AND image IS NOT NULL`,
          [project],
        );
        for (const row of built.rows) stack.images.add(row.image as string);
      };

      git.commit({ Dockerfile: dockerfile(base, 'git v0') }, 'v0');
      git.push();
      const first = await stack.api.deployment.create.mutate({ project, git: true });
      await waitFinished(stack, first.id, 300_000);
      log(`first server build: ${(await queuedToPushed(stack, first.id)).phases}`);

      const rebuilds: number[] = [];
      for (let index = 0; index < (quick ? 3 : 8); index++) {
        const { id } = await stack.api.deployment.create.mutate({ project, git: true });
        await waitPushed(stack, id);
        const { ms, phases } = await queuedToPushed(stack, id);
        rebuilds.push(ms);
        if (index < 2) log(`rebuild ${index + 1}: ${phases}`);
        await waitFinished(stack, id);
      }

      const pushes: number[] = [];
      for (let index = 1; index <= (quick ? 3 : 6); index++) {
        const version = `git v${index}`;
        const sha = git.commit({ Dockerfile: dockerfile(base, version) }, version);
        const payload = JSON.stringify({
          ref: 'refs/heads/main',
          after: sha,
          head_commit: { id: sha, message: version, author: { name: 'Bench' } },
          commits: [{ added: [], removed: [], modified: ['Dockerfile'] }],
        });
        const started = Date.now();
        git.push();
        const response = await fetch(`${stack.webUrl}/api/hooks/git/github/${hookId}`, {
          method: 'POST',
          body: payload,
          headers: {
            'content-type': 'application/json',
            'x-github-event': 'push',
            'x-github-delivery': randomUUID(),
            'x-hub-signature-256': `sha256=${createHmac('sha256', webhookSecret).update(payload).digest('hex')}`,
          },
        });
        if (response.status !== 202)
          throw new Error(`webhook answered ${response.status}: ${await response.text()}`);
        const { deploymentId } = (await response.json()) as { deploymentId: string };
        const answered = await firstAnswer(stack, project, version, 180_000);
        pushes.push(answered - started);
        await waitFinished(stack, deploymentId);
      }
      await imagesOf();

      const rebuild = summarize(rebuilds);
      const push = summarize(pushes);
      log(`unchanged rebuild, queued → pushed: ${formatSummary(rebuild, 'ms')}`);
      log(`git push → new commit answers: ${formatSummary(push, 'ms')}`);
      const results: MetricResult[] = [
        {
          metric: 'server rebuild of an unchanged Dockerfile app (queued → pushed)',
          now: `median ${round(rebuild.median / 1000)} s, max ${round(rebuild.max / 1000)} s`,
          goal: '≤ 3 s',
          met: rebuild.max <= 3_000,
          summary: rebuild,
          unit: 'ms',
        },
        {
          metric: 'git push + webhook → the new commit answers',
          now: `median ${round(push.median / 1000)} s, max ${round(push.max / 1000)} s`,
          goal: '—',
          met: null,
          summary: push,
          unit: 'ms',
        },
      ];
      return results;
    } finally {
      await git.stop();
    }
  },
};
