import { z } from 'zod';
import { CHANNEL_TYPES } from '@/server/notifications/channel-registry';
import { notificationKind } from '@/shared/notifications/notification-kinds';

const settingValue = z.union([z.string().max(2000), z.number(), z.boolean()]);

export const channelId = z.object({ id: z.string().min(1).max(64) });

export const createChannelInput = z.object({
  name: z.string().trim().min(1, 'Give the channel a name').max(80),
  type: z.enum(CHANNEL_TYPES),
  /** The channel's settings, checked against its schema; secret ones are sealed. */
  settings: z.record(z.string(), settingValue),
  kinds: z.array(notificationKind).max(50),
  enabled: z.boolean().default(true),
});

/** Settings left out (or a secret given as '') keep their stored value. */
export const updateChannelInput = channelId.extend({
  name: createChannelInput.shape.name.optional(),
  settings: createChannelInput.shape.settings.optional(),
  kinds: createChannelInput.shape.kinds.optional(),
  enabled: z.boolean().optional(),
});

export const deliveryView = z.object({
  id: z.string(),
  eventId: z.string().nullable(),
  kind: z.string(),
  title: z.string(),
  attempt: z.number(),
  /** sent | failed */
  status: z.string(),
  responseCode: z.number().nullable(),
  error: z.string().nullable(),
  durationMs: z.number(),
  createdAt: z.date(),
});

/** A channel as the API shows it: secret settings only by name (which ones are set), never their values. */
export const channelView = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  settings: z.record(z.string(), settingValue),
  secretsSet: z.array(z.string()),
  kinds: z.array(z.string()),
  enabled: z.boolean(),
  createdAt: z.date(),
  lastDelivery: deliveryView.nullable(),
});

export const channelTypeView = z.object({
  type: z.string(),
  label: z.string(),
  fields: z.array(
    z.object({
      name: z.string(),
      label: z.string(),
      input: z.enum(['text', 'url', 'number', 'password', 'checkbox']),
      secret: z.boolean(),
      optional: z.boolean(),
      placeholder: z.string().nullable(),
      help: z.string().nullable(),
    }),
  ),
});

export const deliveriesInput = channelId.extend({ limit: z.number().int().min(1).max(200).default(50) });
