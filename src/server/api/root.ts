import { adminRouter } from './routers/admin';
import { auditRouter } from './routers/audit';
import { backupRouter } from './routers/backup';
import { cliLoginRouter } from './routers/cli-login';
import { cronRouter } from './routers/cron';
import { databaseRouter } from './routers/database';
import { deploymentRouter } from './routers/deployment';
import { domainRouter } from './routers/domain';
import { envRouter } from './routers/env';
import { gitHooksRouter } from './routers/git-hooks';
import { gitSourceRouter } from './routers/git-source';
import { invitationRouter } from './routers/invitation';
import { me } from './routers/me';
import { metricsRouter } from './routers/metrics';
import { notificationRouter } from './routers/notification';
import { platformBackupRouter } from './routers/platform-backup';
import { projectRouter } from './routers/project';
import { registryRouter } from './routers/registry';
import { registryLoginRouter } from './routers/registry-login';
import { serviceAccountRouter } from './routers/service-account';
import { teamRouter } from './routers/team';
import { tokenRouter } from './routers/token';
import { volumeRouter } from './routers/volume';
import { createCallerFactory, createTRPCRouter } from './trpc';

export const appRouter = createTRPCRouter({
  me,
  project: projectRouter,
  deployment: deploymentRouter,
  domain: domainRouter,
  team: teamRouter,
  token: tokenRouter,
  env: envRouter,
  serviceAccount: serviceAccountRouter,
  audit: auditRouter,
  cliLogin: cliLoginRouter,
  registry: registryRouter,
  registryLogin: registryLoginRouter,
  admin: adminRouter,
  database: databaseRouter,
  backup: backupRouter,
  platformBackup: platformBackupRouter,
  invitation: invitationRouter,
  gitHooks: gitHooksRouter,
  gitSource: gitSourceRouter,
  notification: notificationRouter,
  metrics: metricsRouter,
  volume: volumeRouter,
  cron: cronRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
