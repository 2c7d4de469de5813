import { z } from 'zod';
import { defineChannel } from '../channel';
import { postJson } from '../http-delivery';
import { detailLines, severityOf } from '../message-text';

const COLOURS = { bad: 0xd93025, good: 0x1e8e3e, info: 0x5865f2 } as const;

/** Discord webhook: `{ content, embeds }`. */
export const discordChannel = defineChannel({
  type: 'discord',
  label: 'Discord',
  fields: [
    {
      name: 'webhookUrl',
      label: 'Webhook URL',
      input: 'url',
      secret: true,
      placeholder: 'https://discord.com/api/webhooks/…',
    },
  ],
  settings: z.object({
    webhookUrl: z.url({ protocol: /^https?$/, error: 'Enter the webhook URL Discord gave you' }),
  }),
  send: (settings, message, transport) =>
    postJson(transport, settings.webhookUrl, {
      content: message.title.slice(0, 2000),
      embeds: [
        {
          title: message.title.slice(0, 256),
          description: detailLines(message).join('\n').slice(0, 4096) || undefined,
          color: COLOURS[severityOf(message)],
          fields: [
            ...(message.project ? [{ name: 'Project', value: message.project, inline: true }] : []),
            { name: 'Event', value: message.kind, inline: true },
          ],
          timestamp: message.createdAt.toISOString(),
        },
      ],
      allowed_mentions: { parse: [] },
    }),
});
