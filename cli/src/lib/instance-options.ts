import { Option } from 'commander';
import { z } from 'zod';
import { MAX_REPLICAS, processName } from '../../../src/shared/processes/process.schema';
import { zodParser } from './arguments';

const replicaNumber = z
  .string()
  .regex(/^\d+$/, { message: 'expected a replica number, as rise ps shows it (0, 1, …)' })
  .transform(Number)
  .pipe(z.number().max(MAX_REPLICAS - 1, { message: `expected a replica number below ${MAX_REPLICAS}` }));

/** `--process NAME --instance N`: one instance of a deployment, as `rise ps` lists them. */
export const instanceOptions = (what: string) => [
  new Option('--process <name>', `the process whose instance ${what} (default: web)`).argParser(
    zodParser(processName),
  ),
  new Option('--instance <n>', 'which replica of the process, as rise ps shows it (default: 0)').argParser(
    zodParser(replicaNumber),
  ),
];

export type InstanceArgs = { process?: string; instance?: number };
