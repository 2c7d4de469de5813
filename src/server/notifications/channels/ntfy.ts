import { z } from 'zod';
import { defineChannel } from '../channel';
import { postToReceiver } from '../http-delivery';
import { detailLines, severityOf } from '../message-text';

const TAGS = { bad: 'rotating_light', good: 'white_check_mark', info: 'information_source' } as const;

/** ntfy: `POST <server>/<topic>` with the message as the body and Title/Tags/Priority headers. */
export const ntfyChannel = defineChannel({
  type: 'ntfy',
  label: 'ntfy',
  fields: [
    { name: 'serverUrl', label: 'Server URL', input: 'url', placeholder: 'https://ntfy.sh' },
    { name: 'topic', label: 'Topic', input: 'text' },
    { name: 'token', label: 'Access token', input: 'password', secret: true, optional: true },
  ],
  settings: z.object({
    serverUrl: z.url({ protocol: /^https?$/ }).transform((value) => value.replace(/\/+$/, '')),
    topic: z.string().regex(/^[\w-]{1,64}$/, 'A topic is 1-64 letters, digits, - or _'),
    token: z.string().min(1).optional(),
  }),
  send: (settings, message, transport) => {
    const severity = severityOf(message);
    const body = [...(message.project ? [`Project: ${message.project}`] : []), ...detailLines(message)].join(
      '\n',
    );
    return postToReceiver(transport, `${settings.serverUrl}/${settings.topic}`, body || message.title, {
      'content-type': 'text/plain; charset=utf-8',
      // Header values are ASCII: anything else is dropped rather than rejected.
      title: message.title.replace(/[^\x20-\x7e]/g, '?'),
      tags: `${TAGS[severity]},${message.kind.replace(/[^\w.-]/g, '')}`,
      priority: severity === 'bad' ? '4' : '3',
      ...(settings.token ? { authorization: `Bearer ${settings.token}` } : {}),
    });
  },
});
