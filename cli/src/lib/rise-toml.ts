import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'smol-toml';
import type { GitSourceSettings } from '../../../src/shared/git/git-source.schema';
import { parseRiseToml, RISE_TOML, type RiseToml, riseTomlSchema } from '../../../src/shared/rise-toml';

// The schema and parser live in the shared module (the server reads .rise.toml of a cloned repository).
export {
  baseImagesFromToml,
  lineOf,
  parseRiseToml,
  RISE_TOML,
  type RiseToml,
  RiseTomlError,
  riseTomlSchema,
} from '../../../src/shared/rise-toml';

export function readRiseToml(dir: string): RiseToml | null {
  const path = join(dir, RISE_TOML);
  if (!existsSync(path)) return null;
  return parseRiseToml(readFileSync(path, 'utf8'), path);
}

export function writeRiseToml(dir: string, config: RiseToml): void {
  writeFileSync(join(dir, RISE_TOML), `${stringify(riseTomlSchema.parse(config))}\n`);
}

/** Memory in MB from `512`, `"512M"`, `"1G"`, `"1Gi"`. */
export function memoryMb(value: number | string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return value;
  const [, amount, unit] = /^(\d+(?:\.\d+)?)\s*([MG])/i.exec(value)!;
  return Math.round(Number(amount) * (unit!.toUpperCase() === 'G' ? 1024 : 1));
}

/** The git source settings of `.rise.toml`'s [source], as the API takes them. */
export function sourceSettingsFromToml(source: NonNullable<RiseToml['source']>): GitSourceSettings {
  return {
    repositoryUrl: source.repository,
    branch: source.branch,
    rootDirectory: source.root_directory,
    dockerfile: source.dockerfile,
    watchPaths: source.watch_paths,
    submodules: source.submodules,
    provider: source.provider,
    previewExpiry: source.preview_expiry,
  };
}
