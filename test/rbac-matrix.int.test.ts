import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { env } from '@/env';
import { appRouter } from '@/server/api/root';
import { resolveCaller } from '@/server/auth/resolve-caller';
import { getDb } from '@/server/db';
import type { Caller } from '@/server/domains/access/caller';
import {
  isProjectAction,
  isTeamAction,
  type Permission,
  PROJECT_ACTIONS,
  roleAtLeast,
  TEAM_ACTIONS,
} from '@/server/domains/access/permissions';
import { startDeviceAuthorization } from '@/server/domains/device-authorizations/device-authorization.service';
import { issueToken } from '@/server/domains/tokens/token.service';
import { encryptSecret } from '@/server/security/secret-box';
import {
  apiAs,
  createTeamWithRoles,
  createUser,
  insertRunningDatabase,
  type TestUser,
  uniqueName,
} from './fixtures';
import { createRepository, type GitDaemon, startGitDaemon } from './git-repository';
import { startJwksIssuer } from './jwks-server';

const CALLERS = [
  'anonymous',
  'outsider',
  'viewer',
  'developer',
  'admin',
  'owner',
  'platform-admin',
  'service-account',
] as const;
type CallerKind = (typeof CALLERS)[number];

let issuer: Awaited<ReturnType<typeof startJwksIssuer>>;
// gitSource.refs asks a real repository for its branches.
const gitRoot = mkdtempSync(join(tmpdir(), 'rise-rbac-git-'));
let gitDaemon: GitDaemon;
let allowBefore: string[];
beforeAll(async () => {
  issuer = await startJwksIssuer();
  createRepository(gitRoot, 'app', [{ name: 'main', files: { 'README.md': 'app\n' }, message: 'App' }]);
  gitDaemon = await startGitDaemon(gitRoot, 'app');
  allowBefore = env.RISE_OUTBOUND_ALLOW;
  env.RISE_OUTBOUND_ALLOW = [`127.0.0.1:${gitDaemon.port}`];
});
afterAll(async () => {
  env.RISE_OUTBOUND_ALLOW = allowBefore;
  await gitDaemon?.stop();
  rmSync(gitRoot, { recursive: true, force: true });
  await issuer.close();
});

// Deployment ids carry 4 random characters per minute; hundreds of worlds a minute need a counter.
let deploymentCounter = 0;
const nextDeploymentId = () => `20200101-0000-${(deploymentCounter++).toString(32).padStart(4, '0')}`;

/** A fresh world per case: a team with every role, its project, a service account, pending requests. */
async function buildWorld(kind: CallerKind) {
  const { team, members } = await createTeamWithRoles();
  const outsider = await createUser();
  const platformAdmin = await createUser({ admin: true });
  const project = await getDb().project.create({ data: { name: uniqueName('proj'), ownerTeamId: team.id } });
  await getDb().envVar.create({ data: { projectId: project.id, key: 'EXISTING', value: 'x' } });
  await getDb().envVar.create({
    data: { projectId: project.id, key: 'SECRET_EXISTING', value: encryptSecret('s3cret'), secret: true },
  });
  await getDb().registryLogin.create({
    data: { projectId: project.id, host: 'ghcr.io', username: 'bot', password: encryptSecret('s3cret') },
  });
  const claims = { aud: 'rise', repository: `acme/${project.name}` };
  await getDb().serviceAccount.create({
    data: { projectId: project.id, name: 'ci', issuer: issuer.issuer, claims, role: 'developer' },
  });
  const device = await startDeviceAuthorization(
    { clientName: 'matrix' },
    { clientAddress: uniqueName('ip') },
  );
  const earlier = await getDb().deployment.create({
    data: {
      id: nextDeploymentId(),
      projectId: project.id,
      status: 'superseded',
      image: 'rise-test/app:v1',
      imageDigest: 'sha256:0123',
      healthyAt: new Date(),
      slot: 'a',
    },
  });
  const queued = await getDb().deployment.create({
    data: { id: nextDeploymentId(), projectId: project.id, status: 'pushed', image: 'rise-test/app:v2' },
  });
  const preview = await getDb().deployment.create({
    data: {
      id: nextDeploymentId(),
      projectId: project.id,
      status: 'healthy',
      image: 'rise-test/app:v2',
      group: 'mr/1',
      expiresAt: new Date(Date.now() + 3_600_000),
    },
  });
  await getDb().deploymentGroup.create({
    data: {
      projectId: project.id,
      name: 'mr/1',
      host: `${project.name}-mr--1.localhost`,
      activeDeploymentId: preview.id,
    },
  });

  let user: TestUser | null = null;
  if (kind === 'outsider') user = outsider;
  else if (kind === 'platform-admin') user = platformAdmin;
  else if (kind !== 'anonymous' && kind !== 'service-account') user = members[kind];

  let caller: Caller | null = null;
  if (user) caller = { kind: 'user', user, via: 'token' };
  if (kind === 'service-account') {
    const jwt = await issuer.sign({ ...claims, sub: 'ci-run' });
    caller = await resolveCaller(new Headers({ authorization: `Bearer ${jwt}` }), {
      trustedIssuers: [issuer.issuer],
    });
  }
  const token = user
    ? (await issueToken(null, { userId: user.id, name: 'matrix', expiresInDays: 1 })).summary
    : null;
  const building = await getDb().deployment.create({
    data: { id: nextDeploymentId(), projectId: project.id, status: 'building' },
  });
  const domain = await getDb().domain.create({
    data: {
      projectId: project.id,
      hostname: `www.${project.name}.example.org`,
      verifiedAt: new Date(),
      verificationToken: 'rbac-matrix-token',
    },
  });
  const invitationFields = () => ({
    email: `${uniqueName('invitee')}@example.test`,
    tokenHash: uniqueName('hash'),
    createdById: platformAdmin.id,
    expiresAt: new Date(Date.now() + 3_600_000),
  });
  const invitation = await getDb().invitation.create({ data: invitationFields() });
  const teamInvitation = await getDb().invitation.create({
    data: { ...invitationFields(), teamId: team.id, role: 'viewer' },
  });
  return {
    invitation,
    teamInvitation,
    team,
    members,
    outsider,
    project,
    device,
    caller,
    token,
    earlier,
    queued,
    building,
    domain,
    ...(await buildBackupWorld(project)),
  };
}

/** A running database with a schedule, a succeeded backup and a finished restore; the same for the platform. */
async function buildBackupWorld(project: { id: string; name: string }) {
  const db = getDb();
  const database = await insertRunningDatabase(project);
  const local = await db.backupDestination.create({
    data: { projectId: project.id, name: 'local', kind: 'local', config: { path: '' } },
  });
  await db.backupDestination.create({
    data: { projectId: project.id, name: 'extra', kind: 'local', config: { path: 'extra' } },
  });
  const schedule = await db.backupSchedule.create({
    data: { databaseId: database.id, destinationId: local.id, cron: '0 3 * * *', keepLast: 3 },
  });
  const succeeded = { status: 'succeeded' as const, key: 'k', sizeBytes: 1n, sha256: 'a'.repeat(64) };
  const backup = await db.backup.create({
    data: {
      databaseId: database.id,
      projectId: project.id,
      databaseName: 'main',
      destinationId: local.id,
      engine: 'postgres',
      ...succeeded,
    },
  });
  const restore = await db.restore.create({
    data: { backupId: backup.id, mode: 'drill', status: 'succeeded', finishedAt: new Date() },
  });
  // A backup of a database deleted since: restorable into a new database.
  const deletedBackup = await db.backup.create({
    data: {
      projectId: project.id,
      databaseName: 'gone',
      destinationId: local.id,
      engine: 'postgres',
      ...succeeded,
    },
  });
  const deletedRestore = await db.restore.create({
    data: { backupId: deletedBackup.id, mode: 'new_database', status: 'succeeded', finishedAt: new Date() },
  });
  const platformDestination = await db.backupDestination.create({
    data: { projectId: null, name: uniqueName('p'), kind: 'local', config: { path: 'matrix' } },
  });
  const unusedPlatformDestination = await db.backupDestination.create({
    data: { projectId: null, name: uniqueName('p'), kind: 'local', config: { path: 'unused' } },
  });
  const platformSchedule = await db.backupSchedule.create({
    data: { databaseId: null, destinationId: platformDestination.id, cron: '0 4 * * *', keepLast: 3 },
  });
  const platformBackup = await db.backup.create({
    data: { databaseId: null, destinationId: platformDestination.id, engine: 'platform', ...succeeded },
  });
  const platformRestore = await db.restore.create({
    data: { backupId: platformBackup.id, mode: 'drill', status: 'succeeded', finishedAt: new Date() },
  });
  return {
    database,
    schedule,
    backup,
    restore,
    deletedBackup,
    deletedRestore,
    unusedPlatformDestination,
    platformSchedule,
    platformBackup,
    platformRestore,
  };
}
type World = Awaited<ReturnType<typeof buildWorld>>;

/** A volume with a succeeded backup in the project's `local` destination; returns the backup's id. */
async function withVolumeBackup(w: World): Promise<string> {
  const db = getDb();
  await db.projectVolume.create({
    data: { projectId: w.project.id, name: 'files', mountPath: '/files', size: '1Gi' },
  });
  const local = await db.backupDestination.findFirstOrThrow({
    where: { projectId: w.project.id, name: 'local' },
  });
  const backup = await db.volumeBackup.create({
    data: {
      projectId: w.project.id,
      volumeName: 'files',
      destinationId: local.id,
      status: 'succeeded',
      key: 'volumes/x.tar.gz',
      sizeBytes: 1n,
      sha256: 'a'.repeat(64),
      files: 1,
    },
  });
  return backup.id;
}

async function withGitSource(w: World) {
  await getDb().gitSource.create({
    data: {
      projectId: w.project.id,
      repositoryUrl: 'https://github.com/acme/app.git',
      hookId: uniqueName('hook'),
      webhookSecret: encryptSecret('whsec'),
    },
  });
  return w.project;
}

/** A valid input for every procedure; a procedure missing here fails the suite. */
const SAMPLE_INPUTS: Record<string, (world: World) => Promise<unknown> | unknown> = {
  me: () => undefined,
  'project.create': () => ({ name: uniqueName('new') }),
  'project.list': () => ({}),
  'project.changes': () => ({}),
  'project.get': (w) => ({ project: w.project.name }),
  'project.update': (w) => ({ project: w.project.name, visibility: 'private', port: 3000 }),
  'project.delete': (w) => ({ project: w.project.name }),
  'project.processes': (w) => ({ project: w.project.name }),
  'project.setProcesses': (w) => ({
    project: w.project.name,
    web: { command: 'npm start' },
    processes: { worker: { command: 'node worker.js', replicas: 2 } },
  }),
  'project.scale': (w) => ({ project: w.project.name, counts: { web: 2 } }),
  'deployment.create': (w) => ({ project: w.project.name, image: 'rise-test/app:v3' }),
  'deployment.checkImage': (w) => ({ project: w.project.name, image: 'rise-test/app:v3' }),
  'deployment.report': (w) => ({ project: w.project.name, deployment: w.building.id, phase: 'pushing' }),
  'deployment.list': (w) => ({ project: w.project.name }),
  'deployment.buildDefaults': () => undefined,
  'deployment.appendBuildLog': (w) => ({
    project: w.project.name,
    deployment: w.building.id,
    lines: ['Step 1/2 : FROM rise-test/node:24', '\u001b[32mSuccessfully built\u001b[0m'],
  }),
  'domain.list': (w) => ({ project: w.project.name }),
  'domain.add': (w) => ({ project: w.project.name, hostname: `${w.project.name}.example.com` }),
  'domain.verify': (w) => ({ project: w.project.name, hostname: w.domain.hostname }),
  'domain.remove': (w) => ({ project: w.project.name, hostname: w.domain.hostname }),
  'volume.list': (w) => ({ project: w.project.name }),
  'volume.create': (w) => ({ project: w.project.name, name: 'data', mountPath: '/data', size: '1Gi' }),
  'volume.delete': async (w) => {
    await getDb().projectVolume.create({
      data: { projectId: w.project.id, name: 'files', mountPath: '/files', size: '1Gi' },
    });
    return { project: w.project.name, name: 'files' };
  },
  'volume.backups': (w) => ({ project: w.project.name }),
  'volume.backup': async (w) => {
    await getDb().projectVolume.create({
      data: { projectId: w.project.id, name: 'files', mountPath: '/files', size: '1Gi' },
    });
    return { project: w.project.name, name: 'files' };
  },
  'volume.schedule': async (w) => {
    await getDb().projectVolume.create({
      data: { projectId: w.project.id, name: 'files', mountPath: '/files', size: '1Gi' },
    });
    return { project: w.project.name, name: 'files', cron: '0 3 * * *', keep: 7 };
  },
  'volume.drill': async (w) => ({ project: w.project.name, backup: await withVolumeBackup(w) }),
  'volume.restore': async (w) => ({ project: w.project.name, backup: await withVolumeBackup(w) }),
  'cron.list': (w) => ({ project: w.project.name }),
  'cron.set': (w) => ({
    project: w.project.name,
    jobs: [{ name: 'nightly', schedule: '0 3 * * *', command: 'echo report' }],
  }),
  'cron.runs': async (w) => {
    await getDb().cronJob.create({
      data: { projectId: w.project.id, name: 'hourly', schedule: '0 * * * *', command: ['true'] },
    });
    return { project: w.project.name, name: 'hourly' };
  },
  'cron.run': async (w) => {
    await getDb().cronJob.create({
      data: { projectId: w.project.id, name: 'hourly', schedule: '0 * * * *', command: ['true'] },
    });
    return { project: w.project.name, name: 'hourly' };
  },
  'metrics.series': (w) => ({ project: w.project.name, range: '1h' }),
  'metrics.current': (w) => ({ project: w.project.name }),
  'metrics.overview': () => ({ sort: 'cpu' }),
  'metrics.events': () => ({ limit: 10 }),
  'deployment.get': (w) => ({ project: w.project.name, deployment: w.earlier.id }),
  'deployment.rollback': (w) => ({ project: w.project.name, deployment: w.earlier.id }),
  'deployment.stop': (w) => ({ project: w.project.name }),
  'deployment.start': (w) => ({ project: w.project.name }),
  'deployment.redeploy': (w) => ({ project: w.project.name }),
  'deployment.restart': async (w) => {
    // Restart needs a running project: make the version that ran its active one.
    await getDb().project.update({
      where: { id: w.project.id },
      data: { activeDeploymentId: w.earlier.id, desiredState: 'running' },
    });
    return { project: w.project.name };
  },
  'deployment.stopGroup': (w) => ({ project: w.project.name, group: 'mr/1' }),
  'deployment.extend': (w) => ({ project: w.project.name, group: 'mr/1', expire: '2h' }),
  'deployment.groups': (w) => ({ project: w.project.name }),
  'deployment.cancel': (w) => ({ project: w.project.name, deployment: w.queued.id }),
  'project.run': async (w) => {
    // A command runs in the running version: make the earlier one active. Reading the first entry
    // (which deployment) is enough; the container is never started.
    await getDb().deployment.update({ where: { id: w.earlier.id }, data: { status: 'healthy' } });
    await getDb().project.update({
      where: { id: w.project.id },
      data: { activeDeploymentId: w.earlier.id, desiredState: 'running' },
    });
    return { project: w.project.name, command: ['sh', '-c', 'exit 3'] };
  },
  'deployment.logs': (w) => ({ project: w.project.name, deployment: w.earlier.id, source: 'events' }),
  'team.create': () => ({ name: uniqueName('t') }),
  'team.list': () => ({}),
  'team.get': (w) => ({ team: w.team.name }),
  'team.update': (w) => ({ team: w.team.name, displayName: 'Renamed' }),
  'team.delete': async (w) => {
    await getDb().project.delete({ where: { id: w.project.id } });
    return { team: w.team.name };
  },
  'team.addMember': (w) => ({ team: w.team.name, user: w.outsider.username, role: 'viewer' }),
  'team.removeMember': (w) => ({ team: w.team.name, user: w.members.viewer.username }),
  'team.setRole': (w) => ({ team: w.team.name, user: w.members.developer.username, role: 'viewer' }),
  'token.create': () => ({ name: 'ci' }),
  'token.list': () => undefined,
  'token.revoke': (w) => ({ id: w.token?.id ?? 'none' }),
  'gitHooks.deliveries': (w) => ({ project: w.project.name }),
  'gitHooks.redeliver': async (w) => {
    const source = await getDb().gitSource.create({
      data: {
        projectId: w.project.id,
        repositoryUrl: 'https://git.example.test/acme/app.git',
        hookId: uniqueName('hook'),
        webhookSecret: encryptSecret('s3cret'),
      },
    });
    const push = {
      kind: 'push',
      ref: 'refs/heads/other',
      after: 'a'.repeat(40),
      message: null,
      author: null,
    };
    const delivery = await getDb().webhookDelivery.create({
      data: {
        sourceId: source.id,
        provider: 'github',
        deliveryId: uniqueName('delivery'),
        event: 'push',
        status: 'failed',
        payload: { event: { ...push, changedPaths: [] } },
      },
    });
    return { project: w.project.name, delivery: delivery.id };
  },
  'env.list': (w) => ({ project: w.project.name }),
  'env.set': (w) => ({ project: w.project.name, vars: [{ key: 'NEW_VAR', value: 'v', secret: true }] }),
  'env.remove': (w) => ({ project: w.project.name, key: 'EXISTING' }),
  'env.reveal': (w) => ({ project: w.project.name, key: 'SECRET_EXISTING' }),
  'serviceAccount.list': (w) => ({ project: w.project.name }),
  'serviceAccount.create': (w) => ({
    project: w.project.name,
    name: 'deployer',
    issuer: 'https://token.actions.githubusercontent.com',
    claims: { aud: 'rise', repository: 'acme/other' },
  }),
  'serviceAccount.show': (w) => ({ project: w.project.name, serviceAccount: 'ci' }),
  'serviceAccount.delete': (w) => ({ project: w.project.name, name: 'ci' }),
  'audit.list': () => ({}),
  'cliLogin.start': () => ({ clientName: 'test' }),
  'cliLogin.poll': (w) => ({ deviceCode: w.device.deviceCode }),
  'cliLogin.get': (w) => ({ userCode: w.device.userCode }),
  'cliLogin.approve': (w) => ({ userCode: w.device.userCode }),
  'cliLogin.deny': (w) => ({ userCode: w.device.userCode }),
  'registry.credentials': (w) => ({ project: w.project.name }),
  'registryLogin.list': (w) => ({ project: w.project.name }),
  'registryLogin.set': (w) => ({
    project: w.project.name,
    host: 'registry.example.com:5000',
    username: 'deploy',
    password: 'token',
  }),
  'registryLogin.remove': (w) => ({ project: w.project.name, host: 'ghcr.io' }),
  'admin.users': () => undefined,
  'admin.health': () => undefined,
  'admin.disk': () => undefined,
  'database.list': (w) => ({ project: w.project.name }),
  'database.get': (w) => ({ project: w.project.name, database: 'main' }),
  'database.create': (w) => ({ project: w.project.name, name: 'cache', engine: 'redis' }),
  'database.link': (w) => ({ project: w.project.name, database: 'main', envPrefix: 'MAIN_DB' }),
  'database.delete': (w) => ({ project: w.project.name, database: 'main' }),
  'database.reveal': (w) => ({ project: w.project.name, database: 'main' }),
  'backup.list': (w) => ({ project: w.project.name, database: 'main' }),
  'backup.get': (w) => ({ project: w.project.name, database: 'main', backup: w.backup.id }),
  'backup.run': (w) => ({ project: w.project.name, database: 'main' }),
  'backup.restore': (w) => ({ project: w.project.name, database: 'main', backup: w.backup.id }),
  'backup.restores': (w) => ({ project: w.project.name, database: 'main' }),
  'backup.restoreLogs': (w) => ({ project: w.project.name, database: 'main', restore: w.restore.id }),
  'backup.schedules': (w) => ({ project: w.project.name, database: 'main' }),
  'backup.addSchedule': (w) => ({ project: w.project.name, database: 'main', cron: '0 2 * * *' }),
  'backup.removeSchedule': (w) => ({ project: w.project.name, database: 'main', schedule: w.schedule.id }),
  'backup.destinations': (w) => ({ project: w.project.name }),
  'backup.addDestination': (w) => ({
    project: w.project.name,
    destination: { kind: 'local', name: 'nightly', path: 'nightly' },
  }),
  'backup.removeDestination': (w) => ({ project: w.project.name, name: 'extra' }),
  'backup.notifications': (w) => ({ project: w.project.name }),
  'backup.deleted': (w) => ({ project: w.project.name }),
  'backup.restoreDeleted': (w) => ({ project: w.project.name, backup: w.deletedBackup.id, into: 'revived' }),
  'backup.deletedRestores': (w) => ({ project: w.project.name }),
  'backup.deletedRestoreLogs': (w) => ({ project: w.project.name, restore: w.deletedRestore.id }),
  'platformBackup.list': () => undefined,
  'platformBackup.run': () => ({}),
  'platformBackup.drill': (w) => ({ backup: w.platformBackup.id }),
  'platformBackup.restores': () => undefined,
  'platformBackup.restoreLogs': (w) => ({ restore: w.platformRestore.id }),
  'platformBackup.schedules': () => undefined,
  'platformBackup.addSchedule': () => ({ cron: '0 5 * * *', destination: 'local' }),
  'platformBackup.removeSchedule': (w) => ({ schedule: w.platformSchedule.id }),
  'platformBackup.destinations': () => undefined,
  'platformBackup.addDestination': () => ({ destination: { kind: 'local', name: uniqueName('d') } }),
  'platformBackup.removeDestination': (w) => ({ name: w.unusedPlatformDestination.name }),
  'platformBackup.notifications': () => undefined,
  'invitation.create': () => ({ email: `${uniqueName('new')}@example.test` }),
  'invitation.list': () => undefined,
  'invitation.revoke': (w) => ({ id: w.invitation.id }),
  'invitation.createForTeam': (w) => ({
    team: w.team.name,
    email: `${uniqueName('new')}@example.test`,
    role: 'developer',
  }),
  'invitation.listForTeam': (w) => ({ team: w.team.name }),
  'invitation.revokeForTeam': (w) => ({ team: w.team.name, id: w.teamInvitation.id }),
  'gitSource.get': (w) => ({ project: w.project.name }),
  'gitSource.refs': async (w) => {
    await getDb().gitSource.create({
      data: {
        projectId: w.project.id,
        repositoryUrl: gitDaemon.url('app'),
        hookId: uniqueName('hook'),
        webhookSecret: encryptSecret('whsec'),
      },
    });
    return { project: w.project.name };
  },
  'gitSource.set': (w) => ({ project: w.project.name, repositoryUrl: 'https://github.com/acme/app.git' }),
  'gitSource.remove': async (w) => ({ project: (await withGitSource(w)).name }),
  'gitSource.generateDeployKey': async (w) => ({ project: (await withGitSource(w)).name }),
  'gitSource.rotateWebhookSecret': async (w) => ({ project: (await withGitSource(w)).name }),
  'gitSource.revealWebhookSecret': async (w) => ({ project: (await withGitSource(w)).name }),
  'notification.channelTypes': () => undefined,
  'notification.projectChannels': (w) => ({ project: w.project.name }),
  'notification.createProjectChannel': (w) => ({
    project: w.project.name,
    name: 'ops',
    type: 'slack',
    settings: { webhookUrl: 'https://hooks.slack.example.test/x' },
    kinds: ['deployment.failed'],
  }),
  'notification.updateProjectChannel': async (w) => ({
    project: w.project.name,
    id: await withChannel({ projectId: w.project.id }),
    kinds: ['backup.failed'],
  }),
  'notification.deleteProjectChannel': async (w) => ({
    project: w.project.name,
    id: await withChannel({ projectId: w.project.id }),
  }),
  'notification.testProjectChannel': async (w) => ({
    project: w.project.name,
    id: await withChannel({ projectId: w.project.id }),
  }),
  'notification.projectDeliveries': async (w) => ({
    project: w.project.name,
    id: await withChannel({ projectId: w.project.id }),
  }),
  'notification.teamChannels': (w) => ({ team: w.team.name }),
  'notification.createTeamChannel': (w) => ({
    team: w.team.name,
    name: 'ops',
    type: 'ntfy',
    settings: { serverUrl: 'https://ntfy.example.test', topic: 'rise' },
    kinds: ['disk.low'],
  }),
  'notification.updateTeamChannel': async (w) => ({
    team: w.team.name,
    id: await withChannel({ teamId: w.team.id }),
    enabled: false,
  }),
  'notification.deleteTeamChannel': async (w) => ({
    team: w.team.name,
    id: await withChannel({ teamId: w.team.id }),
  }),
  'notification.testTeamChannel': async (w) => ({
    team: w.team.name,
    id: await withChannel({ teamId: w.team.id }),
  }),
  'notification.teamDeliveries': async (w) => ({
    team: w.team.name,
    id: await withChannel({ teamId: w.team.id }),
  }),
};

/** A Slack channel whose webhook is a private address: a test of it fails at the outbound guard, quickly. */
async function withChannel(owner: { teamId: string } | { projectId: string }): Promise<string> {
  const channel = await getDb().notificationChannel.create({
    data: {
      ...owner,
      name: 'existing',
      type: 'slack',
      secrets: encryptSecret(JSON.stringify({ webhookUrl: 'http://10.255.255.1/hook' })),
      kinds: ['deployment.failed'],
    },
  });
  return channel.id;
}

/** Mutations exempt from auditing, with the reason. */
const NOT_AUDITED: Record<string, string> = {
  'cliLogin.start': 'anonymous request creation; approval is audited',
  'cliLogin.poll': 'polling changes nothing until approval, whose token issue is audited',
  'notification.testProjectChannel': 'sends a test message and logs it in the delivery log; changes nothing',
  'notification.testTeamChannel': 'sends a test message and logs it in the delivery log; changes nothing',
};

type Outcome = 'allowed' | 'UNAUTHORIZED' | 'FORBIDDEN' | 'NOT_FOUND';

function expectedOutcome(permission: Permission, kind: CallerKind): Outcome {
  if (permission === 'public') return 'allowed';
  if (kind === 'anonymous') return 'UNAUTHORIZED';
  if (permission === 'authenticated') return 'allowed';
  const isUser = kind !== 'service-account';
  if (permission === 'user') return isUser ? 'allowed' : 'FORBIDDEN';
  if (permission === 'platform-admin') return kind === 'platform-admin' ? 'allowed' : 'FORBIDDEN';
  if (kind === 'platform-admin') return 'allowed';
  if (isTeamAction(permission)) {
    if (kind === 'service-account') return 'FORBIDDEN';
    if (kind === 'outsider') return 'NOT_FOUND';
    return roleAtLeast(kind, TEAM_ACTIONS[permission]) ? 'allowed' : 'FORBIDDEN';
  }
  if (isProjectAction(permission)) {
    if (kind === 'outsider') return 'NOT_FOUND';
    const role = kind === 'service-account' ? 'developer' : kind;
    return roleAtLeast(role, PROJECT_ACTIONS[permission]) ? 'allowed' : 'FORBIDDEN';
  }
  throw new Error(`unknown permission ${permission}`);
}

// At runtime `_def.procedures` is flat: 'project.create' → procedure.
const procedures = Object.entries(
  appRouter._def.procedures as unknown as Record<
    string,
    { _def: { meta?: { permission?: Permission }; type: string } }
  >,
);

async function call(caller: Caller | null, path: string, input: unknown): Promise<unknown> {
  // biome-ignore lint/suspicious/noExplicitAny: walking the router by path string
  let target: any = apiAs(caller);
  for (const segment of path.split('.')) target = target[segment];
  const result = await target(input);
  // A subscription answers with a stream; reading from it is what exercises the procedure. Its first
  // message is enough: some streams (project.changes) never end by themselves.
  if (result && typeof result[Symbol.asyncIterator] === 'function') for await (const _ of result) break;
  return result;
}

describe('RBAC matrix', () => {
  it('every procedure declares a permission and has a sample input', () => {
    expect(procedures.length).toBeGreaterThan(20);
    for (const [path, procedure] of procedures) {
      expect(procedure._def.meta?.permission, `${path} declares no permission`).toBeTruthy();
      expect(SAMPLE_INPUTS[path], `${path} has no sample input in the RBAC matrix`).toBeDefined();
    }
    expect(Object.keys(SAMPLE_INPUTS).sort()).toEqual(procedures.map(([path]) => path).sort());
  });

  for (const [path, procedure] of procedures) {
    const permission = procedure._def.meta?.permission ?? 'public';
    describe(`${path} (${permission})`, () => {
      for (const kind of CALLERS) {
        const expected = expectedOutcome(permission, kind);
        it(`${kind}: ${expected}`, async () => {
          const world = await buildWorld(kind);
          const input = await SAMPLE_INPUTS[path]!(world);
          const auditBefore = await getDb().auditEvent.count();
          const outcome = await call(world.caller, path, input).then(
            () => 'allowed' as const,
            (error: unknown) => {
              if (error instanceof TRPCError) return error.code;
              throw error;
            },
          );
          expect(outcome).toBe(expected);
          if (outcome === 'allowed' && procedure._def.type === 'mutation' && !NOT_AUDITED[path]) {
            expect(await getDb().auditEvent.count(), `${path} wrote no audit event`).toBeGreaterThan(
              auditBefore,
            );
          }
        });
      }
    });
  }
});
