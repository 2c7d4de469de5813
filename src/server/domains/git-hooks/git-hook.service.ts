import { createHash } from 'node:crypto';
import { ZodError } from 'zod';
import type { Caller } from '@/server/domains/access/caller';
import { AppError, badRequest, notFound } from '@/server/errors';
import { decryptSecret } from '@/server/security/secret-box';
import { effectiveProvider } from '@/shared/git/git-source.schema';
import { projectAuditTarget, recordAudit } from '../audit/audit.service';
import { gitForges } from './forges';
import { type GitEvent, gitEvent, gitProvider, type HookHeaders } from './git-event.schema';
import { type DeliveryStatus, gitHookRepo } from './git-hook.repo';
import type { WebhookDeliveryView } from './git-hook.schema';
import { actOnGitEvent } from './git-hook-action';

export type WebhookRequest = { provider: string; hookId: string; headers: HookHeaders; body: Uint8Array };
export type WebhookAnswer = {
  httpStatus: number;
  body: { status: DeliveryStatus | 'duplicate'; detail: string; deploymentId?: string | null };
};

const DELIVERY_LIST_LIMIT = 50;
const HOOK_ID = /^[A-Za-z0-9_-]{1,100}$/;

/** A forge's delivery, in the order a forge's retries and a stranger's guesses are answered. */
export async function receiveGitWebhook(request: WebhookRequest, now = new Date()): Promise<WebhookAnswer> {
  const provider = gitProvider.safeParse(request.provider);
  // An unknown hook, or a hook of another forge (set, or known by the repository's host), is only
  // "not found": nothing says which hooks exist.
  const source =
    provider.success && HOOK_ID.test(request.hookId)
      ? await gitHookRepo.findSourceByHookId(request.hookId)
      : null;
  const sourceProvider = source && effectiveProvider(source);
  if (!provider.success || !source || (sourceProvider && sourceProvider !== provider.data))
    throw notFound('No such webhook.');
  const forge = gitForges[provider.data];
  if (!forge.verify(request.headers, request.body, decryptSecret(source.webhookSecret)))
    throw new AppError('UNAUTHORIZED', `Invalid or missing ${provider.data} webhook signature.`);

  const eventName = forge.eventName(request.headers) ?? '(none)';
  // A delivery without an id (older forges) is identified by its body: an identical one is a replay.
  const deliveryId =
    forge.deliveryId(request.headers)?.slice(0, 200) ??
    `sha256:${createHash('sha256').update(request.body).digest('hex')}`;
  const parsed = parseEvent(forge.parse.bind(forge), forge.eventName(request.headers), request);
  const event: GitEvent = parsed.ok ? parsed.event : { kind: 'other', why: parsed.detail };
  const received: { status: DeliveryStatus; detail: string } = !parsed.ok
    ? { status: 'failed', detail: parsed.detail }
    : event.kind === 'other'
      ? { status: 'ignored', detail: `Not acted on: ${event.why}.` }
      : { status: 'accepted', detail: 'Received.' };
  const record = await gitHookRepo.createDelivery({
    sourceId: source.id,
    provider: provider.data,
    deliveryId,
    event: eventName.slice(0, 100),
    ...received,
    payload: { event },
  });
  if (!record)
    return {
      httpStatus: 200,
      body: { status: 'duplicate', detail: `Delivery ${deliveryId} was already received.` },
    };
  if (!parsed.ok) return { httpStatus: 400, body: { status: 'failed', detail: parsed.detail } };
  if (event.kind === 'other') return { httpStatus: 202, body: { ...received, deploymentId: null } };

  const outcome = await settle(record.id, () => actOnGitEvent(null, source.project, source, event, now));
  return {
    httpStatus: outcome.status === 'failed' ? 422 : 202,
    body: { status: outcome.status, detail: outcome.detail, deploymentId: outcome.deploymentId },
  };
}

type Parsed = { ok: true; event: GitEvent } | { ok: false; detail: string };

function parseEvent(
  parse: (event: string | null, payload: unknown) => GitEvent,
  eventName: string | null,
  request: WebhookRequest,
): Parsed {
  let payload: unknown;
  try {
    payload = JSON.parse(payloadText(request));
  } catch {
    return {
      ok: false,
      detail: 'The payload is not JSON: set the webhook content type to application/json.',
    };
  }
  try {
    return { ok: true, event: gitEvent.parse(parse(eventName, payload)) };
  } catch (error) {
    if (!(error instanceof ZodError)) throw error;
    const issue = error.issues[0];
    return {
      ok: false,
      detail: `The ${eventName} payload does not have the documented shape: ${issue?.path.join('.') || '(root)'}: ${issue?.message}.`,
    };
  }
}

/** The JSON text of a delivery; GitHub can also send it form-encoded as `payload=`. */
function payloadText(request: WebhookRequest): string {
  const text = new TextDecoder().decode(request.body);
  if (!request.headers.get('content-type')?.startsWith('application/x-www-form-urlencoded')) return text;
  return new URLSearchParams(text).get('payload') ?? '';
}

/** Runs a delivery's action and records its outcome; an unexpected error is recorded, then rethrown. */
async function settle(recordId: string, action: () => ReturnType<typeof actOnGitEvent>) {
  try {
    const outcome = await action();
    await gitHookRepo.updateDelivery(recordId, outcome);
    return outcome;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await gitHookRepo.updateDelivery(recordId, {
      status: 'failed',
      detail: `Rise could not act on it: ${message}`.slice(0, 2000),
      deploymentId: null,
    });
    throw error;
  }
}

type Project = { id: string; name: string; ownerTeamId: string | null };

async function sourceOf(project: Project) {
  const source = await gitHookRepo.findSourceByProject(project.id);
  if (!source) throw notFound(`Project '${project.name}' is not connected to a git repository.`);
  return source;
}

const toView = (
  row: Awaited<ReturnType<typeof gitHookRepo.listDeliveries>>[number],
): WebhookDeliveryView => ({
  id: row.id,
  provider: row.provider,
  deliveryId: row.deliveryId,
  event: row.event,
  status: row.status as DeliveryStatus,
  detail: row.detail,
  deploymentId: row.deploymentId,
  receivedAt: row.receivedAt,
});

/** The project's latest webhook deliveries, newest first (none while it has no git source). */
export async function listWebhookDeliveries(project: Project): Promise<WebhookDeliveryView[]> {
  const source = await gitHookRepo.findSourceByProject(project.id);
  if (!source) return [];
  return (await gitHookRepo.listDeliveries(source.id, DELIVERY_LIST_LIMIT)).map(toView);
}

/** Runs a recorded delivery's action again (a failed one, or an accepted one to deploy it anew). */
export async function redeliverWebhook(
  caller: Caller,
  project: Project,
  deliveryId: string,
  now = new Date(),
): Promise<WebhookDeliveryView> {
  const source = await sourceOf(project);
  const record = await gitHookRepo.findDelivery(source.id, deliveryId);
  if (!record) throw notFound(`Project '${project.name}' has no webhook delivery '${deliveryId}'.`);
  if (record.status === 'ignored')
    throw badRequest(`Delivery '${deliveryId}' was ignored (${record.detail}); there is nothing to redo.`);
  const stored = gitEvent.safeParse((record.payload as { event?: unknown } | null)?.event);
  if (!stored.success || stored.data.kind === 'other')
    throw badRequest(`Delivery '${deliveryId}' could not be understood when received; it cannot be redone.`);
  const event = stored.data;
  await recordAudit(caller, {
    action: 'git.webhook.redeliver',
    ...projectAuditTarget(project),
    details: { delivery: record.deliveryId, event: record.event },
  });
  await settle(record.id, () => actOnGitEvent(caller, project, source, event, now));
  return toView((await gitHookRepo.findDelivery(source.id, record.id))!);
}
