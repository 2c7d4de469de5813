import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { formatTime } from '../../lib/format';
import { printJson, printTable, say } from '../../lib/output';
import { projectArgument } from '../../lib/project';

/**
 * `rise ps [PROJECT]`: the project's processes (web first) with the replicas each should have, and the
 * instances of the running version: replica, state and since when.
 */
export const ps = defineCommand<ProjectArgs>({
  name: 'ps',
  summary: "the project's processes, their desired replicas and running instances",
  examples: ['rise ps my-app', 'rise ps -o json'],
  project: { argument: 'optional' },
  async run(options, ctx) {
    const project = projectArgument(options.project);
    const { processes } = await ctx.api().project.processes.query({ project });
    if (options.output === 'json') {
      printJson(processes);
      return EXIT.ok;
    }
    const rows: string[][] = [];
    for (const process of processes) {
      const desired = String(process.replicas);
      if (process.instances.length === 0) rows.push([process.name, desired, '-', 'not running', '-']);
      for (const [index, instance] of process.instances.entries()) {
        rows.push([
          index === 0 ? process.name : '',
          index === 0 ? desired : '',
          String(instance.replica),
          instance.exitCode === null ? instance.state : `${instance.state} (${instance.exitCode})`,
          formatTime(instance.startedAt ? new Date(instance.startedAt) : null),
        ]);
      }
    }
    printTable(
      [
        { title: 'PROCESS', width: 14 },
        { title: 'DESIRED', width: 9 },
        { title: 'REPLICA', width: 9 },
        { title: 'STATE', width: 14 },
        { title: 'STARTED', width: 0 },
      ],
      rows,
    );
    const off = processes.filter(
      (process) =>
        process.instances.filter((instance) => instance.state === 'running').length !== process.replicas,
    );
    for (const process of off) {
      const running = process.instances.filter((instance) => instance.state === 'running').length;
      say(`${process.name}: ${running} of ${process.replicas} running.`);
    }
    return EXIT.ok;
  },
});
