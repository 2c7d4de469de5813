import { DeliveryError, type NotificationMessage } from '@/server/notifications/channel';
import { channelOfType } from '@/server/notifications/channel-registry';
import type { OutboundGuard } from '@/server/security/outbound-guard';
import { decryptSecret } from '@/server/security/secret-box';
import { notificationRepo } from './notification.repo';
import { type ChannelRow, notificationChannelRepo } from './notification-channel.repo';

const TIMEOUT_MS = 10_000;

/** The channel's settings as its schema reads them: stored plain ones plus the unsealed secrets. */
export function channelSettings(row: ChannelRow): Record<string, unknown> {
  return {
    ...(row.settings as Record<string, unknown>),
    ...(JSON.parse(decryptSecret(row.secrets)) as object),
  };
}

/**
 * Sends `message` to the channel once and records the attempt in its delivery log. Errors say what the
 * receiver answered, never the settings (URLs and tokens are secrets).
 */
export async function sendOnce(
  row: ChannelRow,
  message: NotificationMessage,
  context: { eventId: string | null; attempt: number; guard: OutboundGuard },
) {
  const started = Date.now();
  let outcome: { status: 'sent' | 'failed'; responseCode: number | null; error: string | null };
  try {
    const channel = channelOfType(row.type);
    if (!channel) throw new DeliveryError(`this Rise does not know channels of type '${row.type}'`);
    const settings = channel.settings.safeParse(channelSettings(row));
    if (!settings.success)
      throw new DeliveryError(
        `the channel's settings are not valid any more: ${settings.error.issues[0]?.message}`,
      );
    const receipt = await channel.send(settings.data, message, {
      guard: context.guard,
      timeoutMs: TIMEOUT_MS,
    });
    outcome = { status: 'sent', responseCode: receipt.responseCode, error: null };
  } catch (error) {
    outcome = {
      status: 'failed',
      responseCode: error instanceof DeliveryError ? error.responseCode : null,
      error: error instanceof DeliveryError ? error.message : 'the channel failed unexpectedly',
    };
  }
  return notificationChannelRepo.recordDelivery({
    channelId: row.id,
    eventId: context.eventId,
    kind: message.kind,
    title: message.title,
    attempt: context.attempt,
    durationMs: Date.now() - started,
    ...outcome,
  });
}

/**
 * The `notify` job: delivers an event to a channel; a failed attempt is logged and thrown so the job is
 * retried. A channel deleted or disabled meanwhile, or an event gone with its project, ends quietly.
 */
export async function deliverEvent(
  payload: { eventId: string; channelId: string },
  context: { attempt: number; guard: OutboundGuard },
): Promise<{ status: string }> {
  const [row, event] = await Promise.all([
    notificationChannelRepo.findById(payload.channelId),
    notificationRepo.findWithProject(payload.eventId),
  ]);
  if (!row || !event) return { status: 'gone' };
  if (!row.enabled) return { status: 'disabled' };
  const delivery = await sendOnce(
    row,
    {
      id: event.id,
      kind: event.kind as NotificationMessage['kind'],
      title: event.title,
      details: (event.details ?? {}) as Record<string, unknown>,
      project: event.project?.name ?? null,
      createdAt: event.createdAt,
    },
    { eventId: event.id, attempt: context.attempt, guard: context.guard },
  );
  if (delivery.status === 'failed')
    throw new Error(
      `notification to channel '${row.name}' failed (attempt ${context.attempt}): ${delivery.error}`,
    );
  await notificationRepo.markDelivered(event.id);
  return { status: 'sent' };
}
