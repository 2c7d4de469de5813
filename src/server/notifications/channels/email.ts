import net from 'node:net';
import nodemailer from 'nodemailer';
import { z } from 'zod';
import { OutboundRefusedError, outboundErrorMessage } from '@/server/security/outbound-guard';
import { type ChannelTransport, DeliveryError, defineChannel } from '../channel';
import { plainText } from '../message-text';

const addresses = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((address) => address.trim())
      .filter(Boolean),
  )
  .pipe(
    z.array(z.email('Enter e-mail addresses separated by commas')).min(1, 'Enter at least one recipient'),
  );

/** A TCP connection to the SMTP server checked by the outbound guard (nodemailer adds TLS on top). */
function guardedSocket(transport: ChannelTransport, host: string, port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const connect = () => {
      const socket = net.connect({ host, port, lookup: transport.guard.lookupFor(port) });
      socket.setTimeout(transport.timeoutMs, () =>
        socket.destroy(new Error(`no answer from ${host}:${port}`)),
      );
      socket.once('connect', () => {
        socket.setTimeout(0);
        resolve(socket);
      });
      socket.once('error', reject);
    };
    if (net.isIP(host))
      transport.guard
        .refusal({ hostname: host, address: host, port })
        .then((refusal) => (refusal ? reject(new OutboundRefusedError(refusal)) : connect()), reject);
    else connect();
  });
}

/** E-mail over SMTP: implicit TLS (`secure`, port 465) or STARTTLS when the server offers it. */
export const emailChannel = defineChannel({
  type: 'email',
  label: 'E-mail (SMTP)',
  fields: [
    { name: 'host', label: 'SMTP host', input: 'text', placeholder: 'smtp.example.com' },
    { name: 'port', label: 'Port', input: 'number', placeholder: '587' },
    { name: 'secure', label: 'Implicit TLS (port 465); otherwise STARTTLS when offered', input: 'checkbox' },
    { name: 'requireTls', label: 'Require STARTTLS', input: 'checkbox', optional: true },
    { name: 'user', label: 'User', input: 'text', optional: true },
    { name: 'password', label: 'Password', input: 'password', secret: true, optional: true },
    { name: 'from', label: 'From', input: 'text', placeholder: 'Rise <rise@example.com>' },
    { name: 'to', label: 'To (comma-separated)', input: 'text' },
  ],
  settings: z.object({
    host: z.string().trim().min(1, 'Enter the SMTP host'),
    port: z.coerce.number().int().min(1).max(65535).default(587),
    secure: z.boolean().default(false),
    requireTls: z.boolean().default(false),
    user: z.string().optional(),
    password: z.string().optional(),
    from: z.string().trim().min(3, 'Enter the sender address'),
    to: z
      .string()
      .trim()
      .pipe(addresses.transform((list) => list.join(', '))),
  }),
  send: async (settings, message, transport) => {
    const mailer = nodemailer.createTransport({
      host: settings.host,
      port: settings.port,
      secure: settings.secure,
      requireTLS: settings.requireTls,
      ...(settings.user ? { auth: { user: settings.user, pass: settings.password ?? '' } } : {}),
      connectionTimeout: transport.timeoutMs,
      greetingTimeout: transport.timeoutMs,
      socketTimeout: transport.timeoutMs,
      getSocket: (
        _options: unknown,
        callback: (error: Error | null, socket?: { connection: net.Socket }) => void,
      ) =>
        guardedSocket(transport, settings.host, settings.port).then(
          (connection) => callback(null, { connection }),
          (error: Error) => callback(error),
        ),
    } as nodemailer.TransportOptions);
    try {
      const info = await mailer.sendMail({
        from: settings.from,
        to: settings.to,
        subject: message.title,
        text: plainText(message),
        headers: { 'X-Rise-Event': message.kind },
      });
      const code = Number.parseInt(String(info.response ?? ''), 10);
      return { responseCode: Number.isNaN(code) ? null : code };
    } catch (error) {
      const code = (error as { responseCode?: number }).responseCode ?? null;
      throw new DeliveryError(`SMTP: ${outboundErrorMessage(error)}`, code);
    } finally {
      mailer.close();
    }
  },
});
