import { Option } from 'commander';
import { defineCommand, type SharedArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { printList } from '../../lib/output';
import { collectPages } from '../../lib/pages';
import { sharedOptions } from '../../lib/shared-options';

export const list = defineCommand<SharedArgs & { all?: boolean; limit?: number; search?: string }>({
  name: 'list',
  aliases: ['ls', 'l'],
  summary: 'list your projects',
  options: [
    new Option('--all', 'every project (platform admins)'),
    new Option('--search <text>', 'only projects whose name contains this'),
    sharedOptions.limit('at most this many (default: all, fetched a page at a time)'),
  ],
  async run(options, ctx) {
    const api = ctx.api();
    const projects = await collectPages(
      (page) => api.project.list.query({ all: options.all ?? false, search: options.search, ...page }),
      (project) => project.name,
      options.limit,
    );
    printList(options.output, projects, {
      empty: options.search
        ? `No project names contain '${options.search}'.`
        : 'No projects yet. Create one: rise p c my-app',
      table: (projects) => ({
        columns: [
          { title: 'PROJECT', width: 16 },
          { title: 'STATUS', width: 14 },
          { title: 'URL', width: 32 },
          { title: 'VISIBILITY', width: 14 },
          { title: 'OWNER', width: 0 },
        ],
        rows: projects.map((p) => [p.name, p.status, p.url, p.visibility, p.owner]),
      }),
    });
    return EXIT.ok;
  },
});
