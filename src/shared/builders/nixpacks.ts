import type { BuilderModule } from './builder-module';
import { envArgs, runTool, type ToolSpec } from './external';
import type { Builder, BuildInput, BuildResult, ExternalToolOptions } from './types';

// Nixpacks through the `nixpacks` CLI (not installed in Rise's dev/CI environment).

export const NIXPACKS: ToolSpec = {
  backend: 'nixpacks',
  tool: 'nixpacks',
  install: 'see https://nixpacks.com/docs/install',
};

export class NixpacksBuilder implements Builder {
  readonly name = 'nixpacks' as const;

  constructor(private readonly options: ExternalToolOptions = {}) {}

  args(input: BuildInput): string[] {
    return ['build', input.context, '--name', input.tag, ...envArgs(input.env)];
  }

  build(input: BuildInput): Promise<BuildResult> {
    return runTool(NIXPACKS, this.args(input), input, this.options);
  }
}

export const nixpacksBackend: BuilderModule<'nixpacks'> = {
  name: 'nixpacks',
  create: (options) => new NixpacksBuilder(options),
};
