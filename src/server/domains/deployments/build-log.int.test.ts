import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import { AppError } from '@/server/errors';
import { baseImagesFromEnv } from '@/shared/builders/build-env';
import { apiAs, createUser, rejectionOf, uniqueName, userCaller } from '../../../../test/fixtures';
import { buildDefaults } from './build-defaults.service';
import { BUILD_LOG_BATCH_MAX_LINES, BUILD_LOG_MAX_CHARS, BUILD_LOG_MAX_LINES } from './build-log.schema';

async function buildingDeployment() {
  const api = apiAs(userCaller(await createUser()));
  const project = uniqueName('buildlog');
  await api.project.create({ name: project });
  const created = await api.deployment.create({ project });
  await api.deployment.report({ project, deployment: created.id, phase: 'building' });
  return { api, project, deployment: created.id };
}

async function events(deployment: string) {
  return getDb().deploymentEvent.findMany({ where: { deploymentId: deployment }, orderBy: { id: 'asc' } });
}

/** Fills the build log straight in the database, as if earlier calls had. */
async function fill(deployment: string, lines: number, length = 10) {
  await getDb().deploymentEvent.createMany({
    data: Array.from({ length: lines }, () => ({
      deploymentId: deployment,
      level: 'build',
      message: 'x'.repeat(length),
    })),
  });
}

describe('deployment.appendBuildLog', () => {
  it('adds sanitized lines to the deployment log while it builds and pushes, readable through deployment.logs', async () => {
    const { api, project, deployment } = await buildingDeployment();
    const result = await api.deployment.appendBuildLog({
      project,
      deployment,
      lines: ['\u001b[1mStep 1/2 : FROM node\u001b[0m', '\u001b[2K', 'progress 10%\rprogress 100%'],
    });
    expect(result).toEqual({ accepted: 2, dropped: 0, full: false });
    await api.deployment.report({ project, deployment, phase: 'pushing' });
    await api.deployment.appendBuildLog({
      project,
      deployment,
      lines: ['Pushed app:latest: 1 layer uploaded'],
    });

    const seen: string[] = [];
    for await (const entry of await api.deployment.logs({ project, deployment, source: 'events' })) {
      if (entry.type === 'event') seen.push(`${entry.level}: ${entry.message}`);
    }
    expect(seen).toEqual([
      'info: Waiting for the image to be built and pushed',
      'info: Building the image',
      'build: Step 1/2 : FROM node',
      'build: progress 100%',
      'info: Pushing the image',
      'build: Pushed app:latest: 1 layer uploaded',
    ]);
    const audit = await getDb().auditEvent.findMany({
      where: { action: 'deployment.build_log', targetId: deployment },
    });
    expect(audit.map((event) => event.details)).toEqual([
      { lines: 2, dropped: 0 },
      { lines: 1, dropped: 0 },
    ]);
  });

  it('deployment.logs returns a long build log whole, not only its first pages', async () => {
    const { api, project, deployment } = await buildingDeployment();
    await fill(deployment, 1_234);
    await api.deployment.appendBuildLog({ project, deployment, lines: ['the last line'] });
    await api.deployment.report({ project, deployment, phase: 'failed', error: 'boom' });
    const messages: string[] = [];
    for await (const entry of await api.deployment.logs({ project, deployment, source: 'events' })) {
      if (entry.type === 'event') messages.push(entry.message);
    }
    expect(messages.filter((message) => message === 'x'.repeat(10))).toHaveLength(1_234);
    expect(messages.slice(-2)).toEqual(['the last line', 'Build failed: boom']);
  });

  it('refuses lines before the build starts and after it ended', async () => {
    const api = apiAs(userCaller(await createUser()));
    const project = uniqueName('buildlog');
    await api.project.create({ name: project });
    const { id: deployment } = await api.deployment.create({ project });
    const early = await rejectionOf(
      api.deployment.appendBuildLog({ project, deployment, lines: ['x'] }),
      TRPCError,
    );
    expect(early.code).toBe('PRECONDITION_FAILED');
    expect(early.message).toBe(
      `Deployment '${deployment}' is pending: build output is accepted only while it is building or pushing.`,
    );
    await api.deployment.report({ project, deployment, phase: 'building' });
    await api.deployment.report({ project, deployment, phase: 'failed', error: 'boom' });
    const late = await rejectionOf(
      api.deployment.appendBuildLog({ project, deployment, lines: ['x'] }),
      TRPCError,
    );
    expect(late.code).toBe('PRECONDITION_FAILED');
    expect((await events(deployment)).filter((event) => event.level === 'build')).toEqual([]);
  });

  it("cannot write to another project's deployment, even one the caller can deploy elsewhere", async () => {
    const victim = await buildingDeployment();
    const attacker = await buildingDeployment();
    const error = await rejectionOf(
      attacker.api.deployment.appendBuildLog({
        project: attacker.project,
        deployment: victim.deployment,
        lines: ['pwned'],
      }),
      TRPCError,
    );
    expect(error.code).toBe('NOT_FOUND');
    const other = await rejectionOf(
      attacker.api.deployment.appendBuildLog({
        project: victim.project,
        deployment: victim.deployment,
        lines: ['pwned'],
      }),
      TRPCError,
    );
    expect(other.code).toBe('NOT_FOUND');
    expect((await events(victim.deployment)).map((event) => event.message)).not.toContain('pwned');
  });

  it('bounds one call: at most the batch size, lines of bounded length', async () => {
    const { api, project, deployment } = await buildingDeployment();
    const many = await rejectionOf(
      api.deployment.appendBuildLog({
        project,
        deployment,
        lines: Array(BUILD_LOG_BATCH_MAX_LINES + 1).fill('x'),
      }),
      TRPCError,
    );
    expect(many.code).toBe('BAD_REQUEST');
    const long = await rejectionOf(
      api.deployment.appendBuildLog({ project, deployment, lines: ['x'.repeat(20_000)] }),
      TRPCError,
    );
    expect(long.code).toBe('BAD_REQUEST');
    await api.deployment.appendBuildLog({ project, deployment, lines: ['y'.repeat(16_000)] });
    const [stored] = (await events(deployment)).filter((event) => event.level === 'build');
    expect(stored!.message).toHaveLength(2000);
  });

  it('keeps at most BUILD_LOG_MAX_LINES per deployment, then drops the rest with one warning', async () => {
    const { api, project, deployment } = await buildingDeployment();
    await fill(deployment, BUILD_LOG_MAX_LINES - 1);
    expect(
      await api.deployment.appendBuildLog({ project, deployment, lines: ['last', 'over', 'over'] }),
    ).toEqual({
      accepted: 1,
      dropped: 2,
      full: true,
    });
    expect(await api.deployment.appendBuildLog({ project, deployment, lines: ['more'] })).toEqual({
      accepted: 0,
      dropped: 1,
      full: true,
    });
    const all = await events(deployment);
    expect(all.filter((event) => event.level === 'build')).toHaveLength(BUILD_LOG_MAX_LINES);
    expect(all.filter((event) => event.level === 'build').at(-1)!.message).toBe('last');
    const warnings = all.filter((event) => event.level === 'warn').map((event) => event.message);
    expect(warnings).toEqual([
      'Build output truncated: a deployment keeps at most 10000 lines (2 MB) of build output; `rise d c --verbose` prints all of it.',
    ]);
  });

  it('keeps at most BUILD_LOG_MAX_CHARS per deployment', async () => {
    const { api, project, deployment } = await buildingDeployment();
    await fill(deployment, BUILD_LOG_MAX_CHARS / 2000 - 1, 2000);
    expect(
      await api.deployment.appendBuildLog({ project, deployment, lines: ['z'.repeat(1999), 'z'.repeat(2)] }),
    ).toEqual({
      accepted: 1,
      dropped: 1,
      full: true,
    });
  });

  it('holds the limit under concurrent calls', async () => {
    const { api, project, deployment } = await buildingDeployment();
    await fill(deployment, BUILD_LOG_MAX_LINES - 3);
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        api.deployment.appendBuildLog({ project, deployment, lines: ['a', 'b'] }),
      ),
    );
    expect(results.reduce((sum, result) => sum + result.accepted, 0)).toBe(3);
    const all = await events(deployment);
    expect(all.filter((event) => event.level === 'build')).toHaveLength(BUILD_LOG_MAX_LINES);
    expect(all.filter((event) => event.level === 'warn')).toHaveLength(1);
  });
});

describe('deployment.buildDefaults', () => {
  it("answers the server's RISE_BUILD_* settings to any signed-in caller", async () => {
    const api = apiAs(userCaller(await createUser()));
    expect(await api.deployment.buildDefaults()).toEqual({ images: baseImagesFromEnv(process.env) });
    expect(
      buildDefaults({
        RISE_BUILD_NODE_IMAGE: 'mirror.example.com/node:24',
        RISE_BUILD_STATIC_COMMAND: '["busybox", "httpd", "-f"]',
      }).images,
    ).toMatchObject({ node: 'mirror.example.com/node:24', staticCommand: ['busybox', 'httpd', '-f'] });
  });

  it('names a broken RISE_BUILD_STATIC_COMMAND instead of failing obscurely', () => {
    const error = (() => {
      try {
        buildDefaults({ RISE_BUILD_STATIC_COMMAND: '[1, 2]' });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toMatch(/^The Rise server's RISE_BUILD_STATIC_COMMAND is not valid/);
  });
});
