import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { databaseUrl } from './postgres-info';

// Runs before each integration test file is imported: a fresh database copied from the migrated
// template, and the secrets the server code needs.
const info = inject('postgres');
const database = `rise_test_${randomBytes(6).toString('hex')}`;
const admin = new pg.Client({
  host: info.host,
  port: info.port,
  user: info.user,
  password: info.password,
  database: 'postgres',
});
await admin.connect();
try {
  await admin.query(`CREATE DATABASE ${database} TEMPLATE ${info.template}`);
} finally {
  await admin.end();
}

process.env.DATABASE_URL = databaseUrl(info, database);
process.env.RISE_ENCRYPTION_KEY ||= randomBytes(32).toString('base64');
process.env.AUTH_SECRET ||= randomBytes(32).toString('base64url');
