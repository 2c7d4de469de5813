import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { defineChannel } from '../channel';
import { postToReceiver } from '../http-delivery';

/** `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`, what X-Rise-Signature carries. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * A generic webhook: the event as JSON, signed. Receivers check X-Rise-Signature against
 * `webhookSignature(secret, X-Rise-Timestamp, raw body)` and reject old timestamps (replays).
 */
export const webhookChannel = defineChannel({
  type: 'webhook',
  label: 'Webhook (signed)',
  fields: [
    { name: 'url', label: 'URL', input: 'url', secret: true },
    {
      name: 'secret',
      label: 'Signing secret',
      input: 'password',
      secret: true,
      help: 'At least 16 characters; receivers verify X-Rise-Signature with it.',
    },
  ],
  settings: z.object({
    url: z.url({ protocol: /^https?$/ }),
    secret: z.string().min(16, 'The signing secret must be at least 16 characters'),
  }),
  send: (settings, message, transport) => {
    const body = JSON.stringify({
      id: message.id,
      kind: message.kind,
      title: message.title,
      project: message.project,
      details: message.details,
      createdAt: message.createdAt.toISOString(),
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    return postToReceiver(transport, settings.url, body, {
      'content-type': 'application/json',
      'x-rise-event': message.kind,
      'x-rise-delivery': message.id,
      'x-rise-timestamp': timestamp,
      'x-rise-signature': webhookSignature(settings.secret, timestamp, body),
    });
  },
});
