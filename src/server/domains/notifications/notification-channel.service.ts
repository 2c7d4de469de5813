import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { badRequest, notFound } from '@/server/errors';
import type { ChannelField, NotificationChannel } from '@/server/notifications/channel';
import { CHANNELS, channelOfType } from '@/server/notifications/channel-registry';
import type { OutboundGuard } from '@/server/security/outbound-guard';
import { encryptSecret } from '@/server/security/secret-box';
import { inTransaction } from '@/server/transaction';
import type { Caller } from '../access/caller';
import { recordAudit } from '../audit/audit.service';
import { channelSettings, sendOnce } from './deliver-notification';
import { type ChannelOwnerKey, type ChannelRow, notificationChannelRepo } from './notification-channel.repo';
import type {
  channelView,
  createChannelInput,
  deliveriesInput,
  updateChannelInput,
} from './notification-channel.schema';

/** Whose channels: a team's or a project's (with its team, for the audit log). */
export type ChannelOwner =
  | { kind: 'team'; team: { id: string; name: string } }
  | { kind: 'project'; project: { id: string; name: string; ownerTeamId: string | null } };

const keyOf = (owner: ChannelOwner): ChannelOwnerKey =>
  owner.kind === 'team' ? { teamId: owner.team.id } : { projectId: owner.project.id };

const auditTarget = (owner: ChannelOwner, action: string, name: string) =>
  owner.kind === 'team'
    ? {
        action,
        targetType: 'team',
        targetId: owner.team.id,
        targetName: owner.team.name,
        teamId: owner.team.id,
        details: { channel: name },
      }
    : {
        action,
        targetType: 'project',
        targetId: owner.project.id,
        targetName: owner.project.name,
        projectId: owner.project.id,
        teamId: owner.project.ownerTeamId,
        details: { channel: name },
      };

export function listChannelTypes() {
  return CHANNELS.map((channel) => ({
    type: channel.type,
    label: channel.label,
    fields: channel.fields.map((field: ChannelField) => ({
      name: field.name,
      label: field.label,
      input: field.input,
      secret: field.secret ?? false,
      optional: field.optional ?? false,
      placeholder: field.placeholder ?? null,
      help: field.help ?? null,
    })),
  }));
}

function requireChannel(type: string): NotificationChannel {
  const channel = channelOfType(type);
  if (!channel)
    throw badRequest(`Unknown channel type '${type}'. Known: ${CHANNELS.map((c) => c.type).join(', ')}.`);
  return channel;
}

/** Checks settings against the channel's schema and splits them into plain settings and sealed secrets. */
function sealSettings(channel: NotificationChannel, settings: Record<string, unknown>) {
  const parsed = channel.settings.safeParse(settings);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = channel.fields.find((candidate) => candidate.name === issue?.path[0]);
    throw badRequest(
      `${channel.label}: ${field ? `${field.label}: ` : ''}${issue?.message ?? 'invalid settings'}`,
    );
  }
  const secretNames = new Set(channel.fields.filter((field) => field.secret).map((field) => field.name));
  const plain: Record<string, unknown> = {};
  const secret: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(parsed.data)) {
    if (value === undefined) continue;
    (secretNames.has(name) ? secret : plain)[name] = value;
  }
  return { settings: plain, secrets: encryptSecret(JSON.stringify(secret)) };
}

function toView(
  row: ChannelRow,
  lastDelivery: z.output<typeof channelView>['lastDelivery'],
): z.output<typeof channelView> {
  const channel = channelOfType(row.type);
  const secrets = Object.keys(channelSettings(row)).filter((name) =>
    channel?.fields.some((field) => field.name === name && field.secret),
  );
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    settings: row.settings as Record<string, string | number | boolean>,
    secretsSet: secrets,
    kinds: row.kinds,
    enabled: row.enabled,
    createdAt: row.createdAt,
    lastDelivery,
  };
}

export async function listChannels(owner: ChannelOwner) {
  const rows = await notificationChannelRepo.list(keyOf(owner));
  const last = await notificationChannelRepo.lastDeliveries(rows.map((row) => row.id));
  return rows.map((row) => toView(row, last.find((delivery) => delivery.channelId === row.id) ?? null));
}

async function ownedChannel(owner: ChannelOwner, id: string): Promise<ChannelRow> {
  const row = await notificationChannelRepo.findOwned(keyOf(owner), id);
  if (!row) throw notFound(`No notification channel ${id} here. List them with notification.list.`);
  return row;
}

export async function createChannel(
  caller: Caller,
  owner: ChannelOwner,
  input: z.output<typeof createChannelInput>,
) {
  const channel = requireChannel(input.type);
  const sealed = sealSettings(channel, input.settings);
  const row = await inTransaction(async (tx) => {
    const created = await notificationChannelRepo.create(
      {
        ...keyOf(owner),
        name: input.name,
        type: input.type,
        kinds: [...new Set(input.kinds)],
        enabled: input.enabled,
        ...sealed,
      },
      tx,
    );
    await recordAudit(caller, auditTarget(owner, 'notification-channel.create', input.name), tx);
    return created;
  });
  return toView(row, null);
}

export async function updateChannel(
  caller: Caller,
  owner: ChannelOwner,
  input: z.output<typeof updateChannelInput>,
) {
  const row = await ownedChannel(owner, input.id);
  const channel = requireChannel(row.type);
  let sealed: { settings: Record<string, unknown>; secrets: string } | undefined;
  if (input.settings) {
    const given = Object.fromEntries(
      Object.entries(input.settings).filter(
        ([name, value]) =>
          !(value === '' && channel.fields.some((field) => field.name === name && field.secret)),
      ),
    );
    sealed = sealSettings(channel, { ...channelSettings(row), ...given });
  }
  const updated = await inTransaction(async (tx) => {
    const changed = await notificationChannelRepo.update(
      row.id,
      {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.kinds !== undefined ? { kinds: [...new Set(input.kinds)] } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
        ...(sealed ?? {}),
      },
      tx,
    );
    await recordAudit(caller, auditTarget(owner, 'notification-channel.update', changed.name), tx);
    return changed;
  });
  const [last] = await notificationChannelRepo.lastDeliveries([row.id]);
  return toView(updated, last ?? null);
}

export async function deleteChannel(caller: Caller, owner: ChannelOwner, id: string) {
  const row = await ownedChannel(owner, id);
  await inTransaction(async (tx) => {
    await notificationChannelRepo.delete(row.id, tx);
    await recordAudit(caller, auditTarget(owner, 'notification-channel.delete', row.name), tx);
  });
}

/** Sends a test message now (no retries) and answers with the logged attempt. */
export async function testChannel(owner: ChannelOwner, id: string, guard: OutboundGuard) {
  const row = await ownedChannel(owner, id);
  const where = owner.kind === 'team' ? `team ${owner.team.name}` : `project ${owner.project.name}`;
  return sendOnce(
    row,
    {
      id: randomUUID(),
      kind: 'test',
      title: `Rise test notification for ${where}`,
      details: { channel: row.name, note: 'Sent with "Send test"; events arrive like this.' },
      project: owner.kind === 'project' ? owner.project.name : null,
      createdAt: new Date(),
    },
    { eventId: null, attempt: 1, guard },
  );
}

export async function listDeliveries(owner: ChannelOwner, input: z.output<typeof deliveriesInput>) {
  const row = await ownedChannel(owner, input.id);
  return notificationChannelRepo.listDeliveries(row.id, input.limit);
}
