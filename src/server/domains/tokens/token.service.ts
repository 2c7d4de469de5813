import { createHash, randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { Tx } from '@/server/db';
import type { Caller, UserCaller } from '@/server/domains/access/caller';
import { notFound } from '@/server/errors';
import { inTransaction } from '@/server/transaction';
import { recordAudit } from '../audit/audit.service';
import { tokenRepo } from './token.repo';
import type { tokenSummary } from './token.schema';

export const TOKEN_PREFIX = 'rise_';
const SHOWN_PREFIX_LENGTH = 12;
// Avoid a write per request: last use is recorded at most once a minute.
const LAST_USED_RESOLUTION_MS = 60_000;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
export const looksLikeApiToken = (value: string) => value.startsWith(TOKEN_PREFIX);

/** Creates a token and returns its secret once; only its hash is stored. */
export async function issueToken(
  caller: Caller | null,
  input: { userId: string; name: string; expiresInDays: number | null },
  tx?: Tx,
) {
  const secret = `${TOKEN_PREFIX}${randomBytes(24).toString('base64url')}`;
  const expiresAt = input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null;
  const write = async (db: Tx) => {
    const token = await tokenRepo.create(
      {
        userId: input.userId,
        name: input.name,
        prefix: secret.slice(0, SHOWN_PREFIX_LENGTH),
        tokenHash: hashToken(secret),
        expiresAt,
      },
      db,
    );
    await recordAudit(
      caller,
      {
        action: 'token.create',
        targetType: 'api-token',
        targetId: token.id,
        targetName: token.name,
        details: { prefix: token.prefix, expiresAt: expiresAt?.toISOString() ?? null },
      },
      db,
    );
    return token;
  };
  const token = tx ? await write(tx) : await inTransaction(write);
  return { token: secret, summary: toSummary(token) };
}

function toSummary(token: {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}): z.infer<typeof tokenSummary> {
  const status = token.revokedAt
    ? 'revoked'
    : token.expiresAt && token.expiresAt <= new Date()
      ? 'expired'
      : 'active';
  return { ...token, status };
}

export async function listTokens(caller: UserCaller) {
  return (await tokenRepo.listForUser(caller.user.id)).map(toSummary);
}

export async function revokeToken(caller: UserCaller, id: string) {
  const token = await tokenRepo.findForUser(id, caller.user.id);
  if (!token) throw notFound(`API token '${id}' not found. List your tokens with \`rise token ls\`.`);
  const revoked = await inTransaction(async (tx) => {
    const result = token.revokedAt ? token : await tokenRepo.revoke(id, tx);
    await recordAudit(
      caller,
      { action: 'token.revoke', targetType: 'api-token', targetId: id, targetName: token.name },
      tx,
    );
    return result;
  });
  return toSummary(revoked);
}

/** The user behind a valid, unexpired, unrevoked token, or null. */
export async function authenticateToken(secret: string) {
  const token = await tokenRepo.findActiveByHash(hashToken(secret));
  if (!token) return null;
  const now = new Date();
  if (!token.lastUsedAt || now.getTime() - token.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await tokenRepo.touch(token.id, now);
  }
  return { tokenId: token.id, user: token.user };
}
