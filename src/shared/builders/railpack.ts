import type { BuilderModule } from './builder-module';
import { envArgs, runTool, type ToolSpec } from './external';
import type { Builder, BuildInput, BuildResult, ExternalToolOptions } from './types';

// Railpack through the `railpack` CLI (not installed in Rise's dev/CI environment). Railpack builds
// with BuildKit: it needs a BuildKit daemon reachable through BUILDKIT_HOST.

export const RAILPACK: ToolSpec = {
  backend: 'railpack',
  tool: 'railpack',
  install: 'see https://railpack.com/installation; it also needs a BuildKit daemon in BUILDKIT_HOST',
};

export class RailpackBuilder implements Builder {
  readonly name = 'railpack' as const;

  constructor(private readonly options: ExternalToolOptions = {}) {}

  args(input: BuildInput): string[] {
    return ['build', input.context, '--name', input.tag, ...envArgs(input.env)];
  }

  build(input: BuildInput): Promise<BuildResult> {
    return runTool(RAILPACK, this.args(input), input, this.options);
  }
}

export const railpackBackend: BuilderModule<'railpack'> = {
  name: 'railpack',
  create: (options) => new RailpackBuilder(options),
};
