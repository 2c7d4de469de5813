import { defineConfig } from 'prisma/config';

// `env()` from prisma/config throws when the variable is unset, even for `generate`.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? '' },
});
