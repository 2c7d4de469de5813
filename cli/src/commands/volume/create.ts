import { Option } from 'commander';
import {
  DEFAULT_VOLUME_SIZE,
  mountPath,
  volumeName,
  volumeSize,
} from '../../../../src/shared/volumes/volume.schema';
import { zodChecked } from '../../lib/arguments';
import { defineCommand, type ProjectArgs } from '../../lib/command-spec';
import { EXIT } from '../../lib/errors';
import { printJson, say } from '../../lib/output';
import { projectArgument } from '../../lib/project';

export const create = defineCommand<ProjectArgs & { name: string; mount: string; size: string }>({
  name: 'create',
  summary: 'add a named volume, mounted into the app from its next deployment on',
  arguments: [{ name: 'name', required: true, schema: volumeName }],
  examples: ['rise volume create data --mount /data --size 1Gi -p my-app'],
  project: {},
  options: [
    new Option('--mount <path>', 'where the app sees it: an absolute directory such as /data')
      .argParser(zodChecked(mountPath))
      .makeOptionMandatory(),
    new Option(
      '--size <size>',
      'e.g. 512Mi, 1Gi: the PersistentVolumeClaim request on Kubernetes; informational on Docker (no quota)',
    )
      .argParser(zodChecked(volumeSize))
      .default(DEFAULT_VOLUME_SIZE),
  ],
  async run(options, ctx) {
    const project = projectArgument(options.project);
    const volumes = await ctx
      .api()
      .volume.create.mutate({ project, name: options.name, mountPath: options.mount, size: options.size });
    if (options.output === 'json') {
      printJson(volumes);
      return EXIT.ok;
    }
    const created = volumes.find((volume) => volume.name === options.name.trim());
    say(
      `Created volume ${options.name} (${created?.size ?? options.size}) of '${project}', mounted at ${created?.mountPath ?? options.mount}.`,
    );
    say(
      `The running version does not have it yet: the next deployment mounts it (rise d redeploy ${project}).`,
    );
    return EXIT.ok;
  },
});
