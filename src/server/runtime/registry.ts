import { AppError } from '@/server/errors';
import { isRuntimeName, RUNTIME_NAMES, type RuntimeName } from '@/shared/runtimes';
import { dockerModule } from './docker/docker-module';
import { kubernetesModule } from './kubernetes/kubernetes-module';
import type { RuntimeModule } from './runtime-module';
import type { Runtime } from './types';

/**
 * Every runtime of the catalogue (src/shared/runtimes.ts) with its module: a catalogue entry without
 * one, or a module under another entry's name, does not compile.
 */
export const RUNTIME_MODULES: { readonly [Name in RuntimeName]: RuntimeModule<unknown, Runtime, Name> } = {
  docker: dockerModule,
  kubernetes: kubernetesModule,
};

/** The module of runtime `name` (a project's `runtime` column); refuses a name the catalogue lacks. */
export function runtimeModule(name: string): RuntimeModule {
  if (!isRuntimeName(name)) {
    throw new AppError(
      'PRECONDITION_FAILED',
      `unknown runtime ${JSON.stringify(name)}: expected one of ${RUNTIME_NAMES.map((known) => `'${known}'`).join(', ')}`,
    );
  }
  return RUNTIME_MODULES[name];
}
