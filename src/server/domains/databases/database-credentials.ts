import { randomBytes } from 'node:crypto';
import type { DatabaseCredentials } from '@/server/databases/types';
import { decryptSecret } from '@/server/security/secret-box';

/** 32 URL-safe characters: no quoting needed in URLs, shells or config files. */
export const generatePassword = () => randomBytes(24).toString('base64url');

/** The credentials of a stored database, its password decrypted. */
export function credentialsOf(database: {
  username: string;
  password: string;
  databaseName: string;
}): DatabaseCredentials {
  return {
    username: database.username,
    password: decryptSecret(database.password),
    database: database.databaseName,
  };
}
