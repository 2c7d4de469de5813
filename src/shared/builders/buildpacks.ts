import type { BuilderModule } from './builder-module';
import { envArgs, runTool, type ToolSpec } from './external';
import type { Builder, BuildInput, BuildResult, ExternalToolOptions } from './types';

// Cloud Native Buildpacks through the `pack` CLI (not installed in Rise's dev/CI environment).

export const DEFAULT_BUILDPACKS_BUILDER = 'paketobuildpacks/builder-jammy-base';

export const PACK: ToolSpec = {
  backend: 'buildpacks',
  tool: 'pack',
  install: 'see https://buildpacks.io/docs/for-platform-operators/how-to/integrate-ci/pack/',
};

export class BuildpacksBuilder implements Builder {
  readonly name = 'buildpacks' as const;

  constructor(private readonly options: ExternalToolOptions & { builder?: string } = {}) {}

  args(input: BuildInput): string[] {
    const builder = input.builder ?? this.options.builder ?? DEFAULT_BUILDPACKS_BUILDER;
    return ['build', input.tag, '--path', input.context, '--builder', builder, ...envArgs(input.env)];
  }

  build(input: BuildInput): Promise<BuildResult> {
    return runTool(PACK, this.args(input), input, this.options);
  }
}

export const buildpacksBackend: BuilderModule<'buildpacks'> = {
  name: 'buildpacks',
  create: (options) => new BuildpacksBuilder(options),
};
