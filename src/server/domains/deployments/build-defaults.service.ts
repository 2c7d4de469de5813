import { env } from '@/env';
import { AppError } from '@/server/errors';
import { baseImagesFromEnv } from '@/shared/builders/build-env';
import type { BuildDefaults } from '@/shared/builders/build-settings';

/**
 * The server's build settings (its RISE_BUILD_* variables, else the built-in defaults): what every
 * build uses unless the project's `.rise.toml` [build] table overrides it.
 */
export function buildDefaults(source: Record<string, unknown> = env): BuildDefaults {
  try {
    return { images: baseImagesFromEnv(source) };
  } catch (error) {
    throw new AppError(
      'PRECONDITION_FAILED',
      `The Rise server's RISE_BUILD_STATIC_COMMAND is not valid (${(error as Error).message}); its operator must fix it, e.g. RISE_BUILD_STATIC_COMMAND='["caddy","file-server","--root","/srv","--listen",":8080"]'.`,
    );
  }
}
