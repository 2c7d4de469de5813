import { z } from 'zod';
import { defineChannel } from '../channel';
import { postJson } from '../http-delivery';
import { detailLines } from '../message-text';

/** Slack incoming webhook: `{ text, blocks }` (text is the fallback for notifications). */
export const slackChannel = defineChannel({
  type: 'slack',
  label: 'Slack',
  fields: [
    {
      name: 'webhookUrl',
      label: 'Incoming webhook URL',
      input: 'url',
      secret: true,
      placeholder: 'https://hooks.slack.com/services/…',
    },
  ],
  settings: z.object({
    webhookUrl: z.url({ protocol: /^https?$/, error: 'Enter the webhook URL Slack gave you' }),
  }),
  send: (settings, message, transport) => {
    const context = [
      ...(message.project ? [`*Project:* ${message.project}`] : []),
      `*Event:* ${message.kind}`,
    ];
    const details = detailLines(message);
    return postJson(transport, settings.webhookUrl, {
      text: message.title,
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: message.title.slice(0, 150) } },
        { type: 'section', text: { type: 'mrkdwn', text: context.join('   ') } },
        ...(details.length
          ? [{ type: 'section', text: { type: 'mrkdwn', text: details.join('\n').slice(0, 3000) } }]
          : []),
      ],
    });
  },
});
