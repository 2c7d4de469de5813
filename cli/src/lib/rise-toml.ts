import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'smol-toml';
import type { GitSourceSettings } from '../../../src/shared/git/git-source.schema';
import { parseRiseToml, RISE_TOML, type RiseToml, riseTomlSchema } from '../../../src/shared/rise-toml';

// The schema and parser live in the shared module (the server reads .rise.toml of a cloned repository).
export {
  baseImagesFromToml,
  lineOf,
  memoryMb,
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
