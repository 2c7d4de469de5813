import { outboundErrorMessage } from '@/server/security/outbound-guard';
import { type ChannelTransport, DeliveryError, type DeliveryReceipt } from './channel';

const MAX_ERROR_BODY = 300;

/**
 * POSTs `body` through the outbound guard; a 2xx answer is a delivery, anything else a DeliveryError
 * carrying the status and the start of the receiver's answer (never the URL: it may hold a secret).
 */
export async function postToReceiver(
  transport: ChannelTransport,
  url: string,
  body: string,
  headers: Record<string, string>,
): Promise<DeliveryReceipt> {
  let response: Awaited<ReturnType<ChannelTransport['guard']['fetch']>>;
  try {
    response = await transport.guard.fetch(url, {
      method: 'POST',
      body,
      headers: { 'user-agent': 'Rise-Notifications', ...headers },
      signal: AbortSignal.timeout(transport.timeoutMs),
    });
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    throw new DeliveryError(
      timedOut ? `the receiver did not answer within ${transport.timeoutMs} ms` : outboundErrorMessage(error),
    );
  }
  const text = await response.text().catch(() => '');
  if (response.status < 200 || response.status > 299) {
    const answer = text.trim().slice(0, MAX_ERROR_BODY);
    throw new DeliveryError(
      `the receiver answered HTTP ${response.status}${answer ? `: ${answer}` : ''}`,
      response.status,
    );
  }
  return { responseCode: response.status };
}

export const postJson = (
  transport: ChannelTransport,
  url: string,
  payload: unknown,
  headers: Record<string, string> = {},
) =>
  postToReceiver(transport, url, JSON.stringify(payload), { 'content-type': 'application/json', ...headers });
