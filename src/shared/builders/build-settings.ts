import { z } from 'zod';
import { type BaseImages, DEFAULT_BASE_IMAGES } from './auto/generate';

// Build settings have one source of truth for the CLI and (later) a server-side builder: the Rise
// server's RISE_BUILD_* variables, served by `deployment.buildDefaults`; a project's `.rise.toml`
// [build] table overrides them; the built-in defaults fill in what neither sets.

/** Each base-image setting: its `.rise.toml` key under [build] and the server's environment variable. */
export const BASE_IMAGE_SETTINGS = {
  node: { toml: 'node_image', env: 'RISE_BUILD_NODE_IMAGE' },
  python: { toml: 'python_image', env: 'RISE_BUILD_PYTHON_IMAGE' },
  go: { toml: 'go_image', env: 'RISE_BUILD_GO_IMAGE' },
  runtime: { toml: 'runtime_image', env: 'RISE_BUILD_RUNTIME_IMAGE' },
  static: { toml: 'static_image', env: 'RISE_BUILD_STATIC_IMAGE' },
  staticRoot: { toml: 'static_root', env: 'RISE_BUILD_STATIC_ROOT' },
  staticCommand: { toml: 'static_command', env: 'RISE_BUILD_STATIC_COMMAND' },
} as const satisfies Record<keyof BaseImages, { toml: string; env: string }>;

export type BaseImageKey = keyof typeof BASE_IMAGE_SETTINGS;

/** The base images as the API sends them (`deployment.buildDefaults`). */
export const baseImagesSchema = z.object({
  node: z.string().min(1),
  python: z.string().min(1),
  go: z.string().min(1),
  runtime: z.string().min(1),
  static: z.string().min(1),
  staticRoot: z.string().regex(/^\//),
  staticCommand: z.array(z.string().min(1)).min(1),
}) satisfies z.ZodType<BaseImages>;

export const buildDefaultsView = z.object({ images: baseImagesSchema });
export type BuildDefaults = z.infer<typeof buildDefaultsView>;

export type BuildSettingSource = '.rise.toml' | 'server' | 'built-in';

export interface ResolvedBaseImages {
  images: BaseImages;
  sources: Record<BaseImageKey, BuildSettingSource>;
}

/** `.rise.toml` > the server's defaults > the built-in defaults, per setting. */
export function resolveBaseImages(layers: {
  riseToml?: Partial<BaseImages>;
  server?: Partial<BaseImages> | null;
}): ResolvedBaseImages {
  const images = { ...DEFAULT_BASE_IMAGES };
  const sources = {} as Record<BaseImageKey, BuildSettingSource>;
  for (const key of Object.keys(BASE_IMAGE_SETTINGS) as BaseImageKey[]) {
    const fromToml = layers.riseToml?.[key];
    const fromServer = layers.server?.[key];
    if (fromToml !== undefined) {
      Object.assign(images, { [key]: fromToml });
      sources[key] = '.rise.toml';
    } else if (fromServer !== undefined) {
      Object.assign(images, { [key]: fromServer });
      sources[key] = 'server';
    } else sources[key] = 'built-in';
  }
  return { images, sources };
}

const SOURCE_TEXT: Record<BuildSettingSource, string> = {
  '.rise.toml': 'from .rise.toml',
  server: "the Rise server's default",
  'built-in': 'built-in default',
};

/** One line per setting for the build output, e.g. `node_image = node:24-bookworm-slim (from .rise.toml)`. */
export function describeBaseImages(resolved: ResolvedBaseImages): string[] {
  return (Object.keys(BASE_IMAGE_SETTINGS) as BaseImageKey[]).map((key) => {
    const value = resolved.images[key];
    const text = Array.isArray(value) ? JSON.stringify(value) : value;
    return `  ${BASE_IMAGE_SETTINGS[key].toml} = ${text} (${SOURCE_TEXT[resolved.sources[key]]})`;
  });
}
