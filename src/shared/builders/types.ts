import type { spawn as nodeSpawn } from 'node:child_process';
import type Dockerode from 'dockerode';
/** One build request: a directory (the build context) turned into a tagged image in the local engine. */
export interface BuildInput {
  /** Absolute or relative path of the build context (the app's directory). */
  context: string;
  /** Dockerfile path relative to the context (default `Dockerfile`); `dockerfile`/`auto` only. */
  dockerfile?: string;
  /** Image reference to tag the result with, e.g. `registry.rise.dev/app:<deployment-id>`. */
  tag: string;
  /** Buildpacks builder image (`buildpacks` only). */
  builder?: string;
  /** Build-time variables: Docker build args, or `--env` for pack/nixpacks/railpack. */
  env?: Record<string, string>;
  /** Labels put on the image (`dockerfile`/`auto` only). */
  labels?: Record<string, string>;
  /** Called with every line of build output, without the trailing newline. */
  onLog(line: string): void;
  signal?: AbortSignal;
}

export interface BuildResult {
  tag: string;
  /** The local image id (`sha256:…`); the registry digest is known only after the push. */
  imageId: string;
}

export interface Builder {
  /** Its backend's name (registry.ts). */
  readonly name: string;
  build(input: BuildInput): Promise<BuildResult>;
}

/** A build that could not produce an image; the message says what failed and what to do. */
export class BuildError extends Error {
  constructor(
    message: string,
    readonly details: { step?: string; output?: string } = {},
  ) {
    super(message);
    this.name = 'BuildError';
  }
}

/**
 * Label the CLI puts on every image it builds: the project it was built for. The worker runs an image
 * of its local engine only for the project this label names.
 */
export const PROJECT_IMAGE_LABEL = 'dev.rise.project';

/** Options of the builders that run an external tool (pack, nixpacks, railpack). */
export interface ExternalToolOptions {
  /** Replaces child_process.spawn (tests). */
  spawn?: typeof nodeSpawn;
  /** PATH to look the tool up on and to run it with; default process.env.PATH. */
  path?: string;
  /** Resolves the built tag to an image id; default: inspect it in the local Docker engine. */
  inspectImage?: (tag: string) => Promise<string>;
  docker?: Dockerode;
}
