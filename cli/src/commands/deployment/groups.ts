import { Option } from 'commander';
import {
  DEFAULT_GROUP,
  expiryDuration,
  formatRemaining,
  groupName,
} from '../../../../src/shared/deployment-groups';
import { zodChecked } from '../../lib/arguments';
import { formatTime } from '../../lib/format';

/** `-g/--group NAME`, checked before anything is sent (a bad name is a usage error, exit 2). */
export const groupOption = (description: string) =>
  new Option('-g, --group <name>', description).argParser(zodChecked(groupName));

/** `--expire 30m|2h|7d|1w|20s`, checked here and sent as typed (the server parses it too). */
export const expireOption = (description: string) =>
  new Option('--expire <duration>', description).argParser(zodChecked(expiryDuration));

/** Whether a group named on the command line is a preview (any group but `default`). */
export const isPreviewGroup = (group: string | undefined): group is string =>
  group !== undefined && group !== DEFAULT_GROUP;

/** ` in group mr/26` after a deployment or project; nothing for the default group. */
export const inGroup = (group: string) => (group === DEFAULT_GROUP ? '' : ` in group ${group}`);

/**
 * Time left until `expiresAt`: `formatRemaining` of it counted up to whole seconds, so a deployment
 * created with `--expire 1h` a moment ago still reads `1h`.
 */
export function remaining(expiresAt: Date, now = Date.now()): string {
  return formatRemaining(Math.ceil((expiresAt.getTime() - now) / 1000) * 1000);
}

/** `expires in 1h (2026-12-02 15:40 UTC)`; null when the deployment does not expire. */
export function expiryText(expiresAt: Date | null, now = Date.now()): string | null {
  if (!expiresAt) return null;
  const left = remaining(expiresAt, now);
  return left === 'expired'
    ? `expired at ${formatTime(expiresAt)}`
    : `expires in ${left} (${formatTime(expiresAt)})`;
}
