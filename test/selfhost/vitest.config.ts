import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// `npm run test:selfhost`: the docker-compose stack end to end. Not part of `npm test` (the root
// config's projects do not include test/selfhost): it builds images and runs the whole stack.
const root = fileURLToPath(new URL('../..', import.meta.url));

export default defineConfig({
  root,
  resolve: { alias: { '@': fileURLToPath(new URL('../../src', import.meta.url)) } },
  test: {
    name: 'selfhost',
    include: ['test/selfhost/**/*.test.ts'],
    environment: 'node',
    // One stack at a time: the steps of the file share it, in order.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
