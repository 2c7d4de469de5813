import type { Spec } from '../lib/command-spec';
import { authCommands } from './auth';
import { completion } from './completion/completion';
import { cron } from './cron';
import { db } from './db';
import { deployment } from './deployment';
import { domain } from './domain';
import { env } from './env';
import { exec } from './exec/exec';
import { git } from './git';
import { ps } from './processes/ps';
import { scale } from './processes/scale';
import { project } from './project';
import { registry } from './registry';
import { run } from './run/run';
import { serviceAccount } from './service-account';
import { team } from './team';
import { volume } from './volume';

/** Every `rise` command, in the order help and completion list them. */
export const COMMANDS: Spec[] = [
  ...authCommands,
  project,
  team,
  deployment,
  ps,
  scale,
  exec,
  run,
  env,
  git,
  domain,
  registry,
  db,
  cron,
  volume,
  serviceAccount,
  completion,
];
