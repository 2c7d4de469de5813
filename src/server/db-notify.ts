import pg from 'pg';
import { requireEnv } from '@/env';

/** A notification's payload, or null when the connection was (re)established and some may be missed. */
export type NotifyListener = (payload: string | null) => void;

type Hub = { listeners: Set<NotifyListener>; client: pg.Client | null; ready: Promise<void> | null };

const RECONNECT_MS = 1000;
const globalForNotify = globalThis as unknown as { riseNotifyHubs?: Map<string, Hub> };
globalForNotify.riseNotifyHubs ??= new Map();
const hubs = globalForNotify.riseNotifyHubs;

function connect(channel: string, hub: Hub): Promise<void> {
  const client = new pg.Client({ connectionString: requireEnv('DATABASE_URL') });
  hub.client = client;
  const lost = () => {
    if (hub.client !== client) return;
    hub.client = null;
    hub.ready = null;
    client.end().catch(() => {});
    if (hub.listeners.size === 0) return;
    setTimeout(() => {
      if (hub.listeners.size === 0 || hub.ready) return;
      hub.ready = connect(channel, hub).catch(() => {});
    }, RECONNECT_MS).unref();
  };
  client.on('notification', (message) => {
    for (const listener of hub.listeners) listener(message.payload ?? '');
  });
  client.on('error', lost);
  client.on('end', lost);
  return client
    .connect()
    .then(() => client.query(`LISTEN ${pg.escapeIdentifier(channel)}`))
    .then(() => {
      // Whatever was committed while nobody listened is unknown to the listeners.
      for (const listener of hub.listeners) listener(null);
    })
    .catch((error: unknown) => {
      lost();
      throw error;
    });
}

/**
 * Calls `listener` with every PostgreSQL NOTIFY on `channel`, over one connection per channel and
 * process however many listen. Resolves once listening, with the function that stops it.
 */
export async function listen(channel: string, listener: NotifyListener): Promise<() => void> {
  let hub = hubs.get(channel);
  if (!hub) {
    hub = { listeners: new Set(), client: null, ready: null };
    hubs.set(channel, hub);
  }
  const current = hub;
  current.listeners.add(listener);
  if (!current.ready) current.ready = connect(channel, current);
  try {
    await current.ready;
  } catch (error) {
    current.listeners.delete(listener);
    throw error;
  }
  return () => {
    current.listeners.delete(listener);
    if (current.listeners.size > 0) return;
    const client = current.client;
    current.client = null;
    current.ready = null;
    client?.end().catch(() => {});
  };
}
