import { Option } from 'commander';
import type { z } from 'zod';
import {
  GIT_PROVIDERS,
  type GitSourceSettings,
  gitSourceSettings,
} from '../../../../src/shared/git/git-source.schema';
import { parseFlags } from '../../lib/flags';

/** The git source flags of `rise p u`, as `run` gets them. */
export type SourceFlags = {
  git?: string;
  branch?: string;
  rootDir?: string;
  dockerfile?: string;
  watch?: string[];
  submodules?: boolean;
  provider?: (typeof GIT_PROVIDERS)[number];
  previewExpiry?: string;
  accessToken?: string;
  clearAccessToken?: boolean;
  gitApiUrl?: string;
};

const collect = (value: string, previous: string[] = []) => [...previous, value];

export const sourceOptions = () => [
  new Option('--git <url>', 'repository to build from (https://… or git@host:owner/repo.git)'),
  new Option('--branch <name>', 'branch whose pushes deploy (default main)'),
  new Option('--root-dir <dir>', 'directory to build, relative to the repository root'),
  new Option('--dockerfile <path>', 'Dockerfile, relative to the root directory'),
  new Option('--watch <glob>', 'deploy only pushes touching these paths (repeat)').argParser(collect),
  new Option('--submodules', 'clone submodules too'),
  new Option('--no-submodules', 'do not clone submodules'),
  new Option('--provider <forge>', 'the forge sending webhooks').choices(GIT_PROVIDERS),
  new Option('--preview-expiry <duration>', 'how long pull request previews live (e.g. 7d)'),
  new Option('--access-token <token>', 'token for cloning over https and commit statuses (write-only)'),
  new Option('--clear-access-token', 'forget the access token'),
  new Option(
    '--git-api-url <url>',
    "forge API base for commit statuses, e.g. https://ghe.example.com/api/v3 ('default': from the repository URL)",
  ),
];

const LABELS = {
  repositoryUrl: '--git',
  rootDirectory: '--root-dir',
  watchPaths: '--watch',
  apiUrl: '--git-api-url',
};

/** The git source settings among the flags, checked; null when none was given. */
export function sourceSettingsOf(flags: SourceFlags): GitSourceSettings | null {
  const raw = {
    repositoryUrl: flags.git,
    branch: flags.branch,
    rootDirectory: flags.rootDir,
    dockerfile: flags.dockerfile,
    watchPaths: flags.watch,
    submodules: flags.submodules,
    provider: flags.provider,
    previewExpiry: flags.previewExpiry,
    accessToken: flags.clearAccessToken ? null : flags.accessToken,
    apiUrl: flags.gitApiUrl === 'default' ? null : flags.gitApiUrl,
  };
  const given = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined));
  if (Object.keys(given).length === 0) return null;
  const schema = gitSourceSettings.refine(
    () => !(flags.clearAccessToken && flags.accessToken !== undefined),
    { message: 'give --access-token or --clear-access-token, not both', path: ['accessToken'] },
  );
  return parseFlags(schema, given, LABELS) as z.output<typeof gitSourceSettings>;
}
