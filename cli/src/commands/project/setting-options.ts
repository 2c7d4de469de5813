import { Option } from 'commander';
import { RUNTIME_NAMES, type RuntimeName } from '../../../../src/shared/runtimes';

const VISIBILITIES = ['public', 'private'] as const;
type Visibility = (typeof VISIBILITIES)[number];

/** The settings `rise p create` sets and `rise p update` changes, as both commands' `run` gets them. */
export type ProjectSettings = { visibility?: Visibility; owner?: string; runtime?: RuntimeName };

/** Their flags, made in one place so both commands accept the same values. */
export const settingOptions = {
  visibility: () => new Option('--visibility <visibility>').choices(VISIBILITIES),
  owner: (description?: string) => new Option('--owner <owner>', description),
  runtime: (description: string) => new Option('--runtime <runtime>', description).choices(RUNTIME_NAMES),
} as const;

/** The settings among a command's options, to send as they are. */
export const settingsOf = ({ visibility, owner, runtime }: ProjectSettings): ProjectSettings => ({
  visibility,
  owner,
  runtime,
});
