import type { GitEvent, GitProvider, HookHeaders } from '../git-event.schema';

/**
 * One git forge's webhook dialect. `verify` checks the delivery's signature against the secret,
 * `parse` turns a verified delivery into a GitEvent and throws a ZodError when a payload of an event
 * Rise acts on does not have the documented shape.
 */
export type GitForge = {
  name: GitProvider;
  verify(headers: HookHeaders, body: Uint8Array, secret: string): boolean;
  /** The forge's id of this delivery (the same on a redelivery); null when the forge sent none. */
  deliveryId(headers: HookHeaders): string | null;
  eventName(headers: HookHeaders): string | null;
  parse(event: string | null, payload: unknown): GitEvent;
};

/** A branch deletion pushes the all-zero commit. */
export const isZeroSha = (sha: string) => /^0+$/.test(sha);

export const firstLine = (message: string | null | undefined) => message?.split('\n')[0]?.trim() || null;
