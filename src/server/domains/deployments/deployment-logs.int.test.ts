import { describe, expect, it } from 'vitest';
import { apiAs, createUser, uniqueName, userCaller } from '../../../../test/fixtures';

// deployment.logs with source `build`: a deployment's build log (client or server build lines) and
// its status, followed until the build ends.

async function building() {
  const api = apiAs(userCaller(await createUser()));
  const project = uniqueName('buildlogs');
  await api.project.create({ name: project });
  const { id: deployment } = await api.deployment.create({ project });
  await api.deployment.report({ project, deployment, phase: 'building' });
  return { api, project, deployment };
}

type Api = Awaited<ReturnType<typeof building>>['api'];

/** Every entry of the build log stream, as `type: text` (status or line). */
async function read(api: Api, project: string, deployment: string, follow: boolean, seen: string[] = []) {
  for await (const entry of await api.deployment.logs({ project, deployment, source: 'build', follow })) {
    if (entry.type === 'event') seen.push(`${entry.level}: ${entry.message}`);
    else if (entry.type === 'status') seen.push(`status: ${entry.status}`);
  }
  return seen;
}

describe('deployment.logs source build', () => {
  it('has the build lines only (not the deploy events) and the status; without follow it ends at once', async () => {
    const { api, project, deployment } = await building();
    await api.deployment.appendBuildLog({ project, deployment, lines: ['Step 1/2 : FROM busybox', 'done'] });
    expect(await read(api, project, deployment, false)).toEqual([
      'build: Step 1/2 : FROM busybox',
      'build: done',
      'status: building',
    ]);
  });

  it('follows lines written later until the image is pushed, then ends with that status after every line', async () => {
    const { api, project, deployment } = await building();
    await api.deployment.appendBuildLog({ project, deployment, lines: ['before'] });
    const seen: string[] = [];
    const following = read(api, project, deployment, true, seen);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(seen).toEqual(['build: before', 'status: building']);
    await api.deployment.appendBuildLog({ project, deployment, lines: ['while following'] });
    await api.deployment.report({ project, deployment, phase: 'pushing' });
    await api.deployment.appendBuildLog({ project, deployment, lines: ['pushed 1 layer'] });
    await api.deployment.report({
      project,
      deployment,
      phase: 'pushed',
      image: `127.0.0.1:5000/${project}:${deployment}`,
      digest: `sha256:${'c'.repeat(64)}`,
    });
    // Statuses are polled: a short phase (pushing, here) may pass unseen; every line arrives, in order.
    const entries = await following;
    expect(entries.filter((entry) => entry.startsWith('build:'))).toEqual([
      'build: before',
      'build: while following',
      'build: pushed 1 layer',
    ]);
    expect(entries.slice(0, 3)).toEqual(['build: before', 'status: building', 'build: while following']);
    expect(entries.at(-1)).toBe('status: pushed');
  });

  it('a failed build ends the stream at failed', async () => {
    const { api, project, deployment } = await building();
    const following = read(api, project, deployment, true);
    await api.deployment.appendBuildLog({ project, deployment, lines: ['about to fail'] });
    await api.deployment.report({ project, deployment, phase: 'failed', error: 'exit 3' });
    const seen = await following;
    expect(seen.at(-1)).toBe('status: failed');
    expect(seen).toContain('build: about to fail');
    expect(seen.filter((entry) => !entry.startsWith('status:'))).toEqual(['build: about to fail']);
  });
});
