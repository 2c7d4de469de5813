import type { z } from 'zod';
import type { OutboundGuard } from '@/server/security/outbound-guard';
import type { NotificationKind } from '@/shared/notifications/notification-kinds';

/** One settings field of a channel, as the dashboard shows it. Secret fields are sealed and never read back. */
export type ChannelField = {
  name: string;
  label: string;
  input: 'text' | 'url' | 'number' | 'password' | 'checkbox';
  secret?: boolean;
  optional?: boolean;
  placeholder?: string;
  help?: string;
};

/** What a channel is told: one event (or a test message). */
export type NotificationMessage = {
  /** The event's id; for a test message, a fresh id. */
  id: string;
  kind: NotificationKind | 'test';
  title: string;
  details: Record<string, unknown>;
  /** Null for platform events (disk.low). */
  project: string | null;
  createdAt: Date;
};

/** How a channel reaches the outside: every connection goes through the outbound guard, with timeouts. */
export type ChannelTransport = { guard: OutboundGuard; timeoutMs: number };

/** What a channel reports when the receiver took the message. */
export type DeliveryReceipt = { responseCode: number | null };

/** A receiver that refused the message or could not be reached; `responseCode` when it answered. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly responseCode: number | null = null,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/**
 * A kind of notification channel: its settings (zod; the fields marked secret are sealed at rest) and
 * how it formats and sends one message. A new channel is one file in ./channels plus a line in the registry.
 */
export type NotificationChannel<
  Settings extends z.ZodType<Record<string, unknown>> = z.ZodType<Record<string, unknown>>,
> = {
  type: string;
  label: string;
  fields: readonly ChannelField[];
  settings: Settings;
  send(
    settings: z.output<Settings>,
    message: NotificationMessage,
    transport: ChannelTransport,
  ): Promise<DeliveryReceipt>;
};

export const defineChannel = <Settings extends z.ZodType<Record<string, unknown>>>(
  channel: NotificationChannel<Settings>,
) => channel;
