import { z } from 'zod';
import { defineChannel } from '../channel';
import { postJson } from '../http-delivery';
import { plainText } from '../message-text';

/** Telegram bot: `POST <api>/bot<token>/sendMessage { chat_id, text }`. */
export const telegramChannel = defineChannel({
  type: 'telegram',
  label: 'Telegram',
  fields: [
    { name: 'botToken', label: 'Bot token', input: 'password', secret: true, placeholder: '123456:ABC-DEF…' },
    { name: 'chatId', label: 'Chat id', input: 'text', placeholder: '-1001234567890 or @channel' },
    {
      name: 'apiBase',
      label: 'Bot API base URL',
      input: 'url',
      optional: true,
      placeholder: 'https://api.telegram.org',
      help: 'Only for a self-hosted Bot API server.',
    },
  ],
  settings: z.object({
    botToken: z.string().regex(/^\d+:[\w-]+$/, 'A bot token looks like 123456:ABC-DEF… (ask @BotFather)'),
    chatId: z.string().trim().min(1, 'Enter the chat id (a number, or @channelname)'),
    apiBase: z
      .url({ protocol: /^https?$/ })
      .optional()
      .transform((value) => value?.replace(/\/+$/, '')),
  }),
  send: (settings, message, transport) =>
    postJson(
      transport,
      `${settings.apiBase ?? 'https://api.telegram.org'}/bot${settings.botToken}/sendMessage`,
      {
        chat_id: settings.chatId,
        text: plainText(message).slice(0, 4096),
        disable_web_page_preview: true,
      },
    ),
});
