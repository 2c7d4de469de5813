import { z } from 'zod';
import { defineChannel } from '../channel';
import { postJson } from '../http-delivery';
import { detailLines } from '../message-text';

/**
 * Microsoft Teams incoming webhook (a Workflows "post to a channel when a webhook request is received"
 * URL, or a legacy connector): a message with one Adaptive Card attachment, which both accept.
 */
export const teamsChannel = defineChannel({
  type: 'teams',
  label: 'Microsoft Teams',
  fields: [{ name: 'webhookUrl', label: 'Incoming webhook URL', input: 'url', secret: true }],
  settings: z.object({
    webhookUrl: z.url({ protocol: /^https?$/, error: 'Enter the webhook URL Teams gave you' }),
  }),
  send: (settings, message, transport) =>
    postJson(transport, settings.webhookUrl, {
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          contentUrl: null,
          content: {
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            type: 'AdaptiveCard',
            version: '1.4',
            body: [
              { type: 'TextBlock', text: message.title, weight: 'Bolder', size: 'Medium', wrap: true },
              {
                type: 'FactSet',
                facts: [
                  ...(message.project ? [{ title: 'Project', value: message.project }] : []),
                  { title: 'Event', value: message.kind },
                ],
              },
              ...detailLines(message).map((line) => ({ type: 'TextBlock', text: line, wrap: true })),
            ],
          },
        },
      ],
    }),
});
