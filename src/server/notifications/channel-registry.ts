import type { NotificationChannel } from './channel';
import { discordChannel } from './channels/discord';
import { emailChannel } from './channels/email';
import { ntfyChannel } from './channels/ntfy';
import { slackChannel } from './channels/slack';
import { teamsChannel } from './channels/teams';
import { telegramChannel } from './channels/telegram';
import { webhookChannel } from './channels/webhook';

/** Every kind of notification channel; the API, its zod enum and the dashboard's forms derive from this. */
export const CHANNELS = [
  slackChannel,
  teamsChannel,
  discordChannel,
  telegramChannel,
  ntfyChannel,
  webhookChannel,
  emailChannel,
] as const satisfies readonly NotificationChannel[];

export const CHANNEL_TYPES = CHANNELS.map((channel) => channel.type) as [string, ...string[]];

export function channelOfType(type: string): NotificationChannel | null {
  return (CHANNELS as readonly NotificationChannel[]).find((channel) => channel.type === type) ?? null;
}
