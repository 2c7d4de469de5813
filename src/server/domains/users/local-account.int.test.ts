import { describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import { AppError } from '@/server/errors';
import { signUpLocal } from './local-account.service';

describe('the first local sign-up', () => {
  it('of several at the same moment, exactly one becomes the admin; sign-up then closes for the rest', async () => {
    expect(await getDb().user.count()).toBe(0);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 6 }, (_, index) =>
        signUpLocal(
          { email: `first-${index}@example.test`, password: 'correct horse battery' },
          { clientAddress: `192.0.2.${index + 1}` },
        ),
      ),
    );
    const created = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const refused = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
    expect(created).toHaveLength(1);
    expect(refused.every((error) => error instanceof AppError && error.code === 'FORBIDDEN')).toBe(true);
    expect(await getDb().user.count({ where: { isPlatformAdmin: true } })).toBe(1);
  });
});
