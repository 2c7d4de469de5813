import type { GroupSpec } from '../../lib/command-spec';
import { list } from './list';
import { run } from './run';
import { runs } from './runs';

export const cron: GroupSpec = {
  name: 'cron',
  summary: "a project's cron jobs ([[cron]] in .rise.toml): list, history, run now",
  commands: [list, runs, run],
};
