import type { Spec } from '../lib/command-spec';
import { authCommands } from './auth';
import { completion } from './completion/completion';
import { db } from './db';
import { deployment } from './deployment';
import { domain } from './domain';
import { env } from './env';
import { exec } from './exec/exec';
import { git } from './git';
import { project } from './project';
import { registry } from './registry';
import { serviceAccount } from './service-account';
import { team } from './team';

/** Every `rise` command, in the order help and completion list them. */
export const COMMANDS: Spec[] = [
  ...authCommands,
  project,
  team,
  deployment,
  exec,
  env,
  git,
  domain,
  registry,
  db,
  serviceAccount,
  completion,
];
