/**
 * The direction of dependencies in ARCHITECTURE.md, checked by `npm run lint` (and so by CI):
 * app → trpc → server/api → server/domains → {repositories (Prisma), adapters by their types, jobs/enqueue};
 * worker → server/jobs → server/domains; cli → src/shared (+ `import type` of the API router).
 *
 * Test files (`*.test.ts`, `*.int.test.ts`, and `testing/` folders of fakes) are held to "no cycles" only: integration tests wire real
 * adapters and arrange rows on purpose, and no test ships in the CLI.
 */

// `*-contract.ts`: a suite (vitest) each adapter's contract test runs against its real backend.
const TESTS = '(\\.(int\\.)?test\\.tsx?$|/testing/|-contract\\.ts$)';
/** In-memory fakes and test wiring: unit tests' only, never shipped code's. */
const TEST_SUPPORT = ['/testing/', '/fake[a-z-]*\\.ts$', '^test/'];
const DOMAINS = '^src/server/domains/';

/** Framework and adapter packages: domains receive what these give through arguments. */
const FRAMEWORK_AND_ADAPTER_PACKAGES = [
  'next',
  'next-auth',
  '@trpc/[^/]+',
  'dockerode',
  '@kubernetes/client-node',
  'tar-fs',
  '@aws-sdk/[^/]+',
  'pg-boss',
].map((name) => `^node_modules/${name}/`);

/**
 * Adapters: code that talks to Docker, Kubernetes, Caddy, a registry or object storage. Domains import
 * their interfaces (`types.ts`) and receive an implementation.
 */
const ADAPTERS = [
  // types.ts is the Runtime contract; instance-env.ts its pure rule for an instance's environment.
  '^src/server/runtime/(?!(types|instance-env)\\.ts$)',
  '^src/server/proxy/(?!types\\.ts$)',
  '^src/server/docker/',
  '^src/server/databases/docker/',
  '^src/server/databases/index\\.ts$',
  '^src/server/backups/storage/[^/]+-store\\.ts$',
  '^src/server/registry/image-resolver\\.ts$',
  '^src/server/registry/providers/',
];

/**
 * Prisma's runtime (the client, `db`) is used by repositories and `db.ts` only. The exceptions are
 * the code that must hold the database as a whole rather than rows of one table:
 * - `src/server/transaction.ts`: a service's unit of work (`inTransaction` hands `tx` to the
 *   repositories it calls) and `isUniqueViolation`; it gives no access to the client itself;
 * - `src/server/domains/backups/platform-restore.ts`: `pg_restore --clean` replaces the whole
 *   database under the process's client, so it disconnects the client first (no query);
 * - `scripts/**`: migrations (Prisma's schema engine) run outside the app;
 * - tests and their helpers (`test/`, `bench/`, `playwright/`) arrange rows directly.
 * Type-only imports (generated enums and row types, `Tx`) are allowed everywhere: they run no query.
 */
const PRISMA_RUNTIME = ['^src/generated/prisma/', '^src/server/db\\.ts$', '^node_modules/@prisma/'];
const PRISMA_USERS = [
  '\\.repo\\.ts$',
  '^src/server/db\\.ts$',
  '^src/server/transaction\\.ts$',
  '^src/generated/',
  '^src/server/domains/backups/platform-restore\\.ts$',
  '^scripts/',
  '^(test|bench|playwright)/',
  TESTS,
];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-test-support-in-shipped-code',
      severity: 'error',
      comment: 'Fakes and test helpers serve tests; shipped code receives real adapters.',
      from: { path: '^(src|worker|cli/src)/', pathNot: [TESTS, ...TEST_SUPPORT] },
      to: { path: TEST_SUPPORT },
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle makes two modules one; break it by moving the shared part below both.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domains-not-upward',
      severity: 'error',
      comment:
        'Domains sit below the API, the app, the worker and the CLI; those call them, not the reverse.',
      from: { path: DOMAINS, pathNot: TESTS },
      to: {
        path: ['^src/server/api/', '^src/app/', '^src/trpc/', '^src/components/', '^worker/', '^cli/'],
      },
    },
    {
      name: 'domains-not-auth',
      severity: 'error',
      comment:
        'Access decisions live in domains/access; src/server/auth (NextAuth, tokens on the wire) sits above domains.',
      from: { path: DOMAINS, pathNot: TESTS },
      to: { path: '^src/server/auth/' },
    },
    {
      name: 'domains-only-enqueue-jobs',
      severity: 'error',
      comment:
        'Domains enqueue jobs (enqueue.ts, the definitions as data); the handlers and the worker sit above domains.',
      from: { path: DOMAINS, pathNot: TESTS },
      to: {
        path: '^src/server/jobs/',
        pathNot: ['^src/server/jobs/(enqueue|types)\\.ts$', '^src/server/jobs/definitions/[^/]+\\.job\\.ts$'],
      },
    },
    {
      name: 'domains-no-adapters',
      severity: 'error',
      comment: 'Domains receive a Runtime / Router / store through arguments and import only their types.',
      from: { path: DOMAINS, pathNot: TESTS },
      to: { path: ADAPTERS, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'domains-no-framework-or-adapter-packages',
      severity: 'error',
      comment: 'Domains are plain TypeScript: no Next.js, tRPC, pg-boss, Docker, Kubernetes, tar or AWS SDK.',
      from: { path: DOMAINS, pathNot: TESTS },
      to: { path: FRAMEWORK_AND_ADAPTER_PACKAGES },
    },
    {
      name: 'prisma-only-in-repositories',
      severity: 'error',
      comment: 'Only *.repo.ts and db.ts run queries (see PRISMA_USERS for the justified exceptions).',
      from: { pathNot: PRISMA_USERS },
      to: { path: PRISMA_RUNTIME, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'shared-imports-no-server',
      severity: 'error',
      comment: 'src/shared is what the CLI and the server share; it depends on neither.',
      from: { path: '^src/shared/', pathNot: TESTS },
      to: { path: ['^src/server/', '^src/app/', '^src/components/', '^src/trpc/', '^cli/', '^worker/'] },
    },
    {
      name: 'cli-imports-only-shared',
      severity: 'error',
      comment: 'The CLI ships alone: it imports cli/, src/shared/ and (type only) the API router.',
      from: { path: '^cli/', pathNot: TESTS },
      to: { path: '^(src|worker|scripts)/', pathNot: ['^src/shared/', '^src/server/api/root\\.ts$'] },
    },
    {
      name: 'cli-imports-api-router-as-type-only',
      severity: 'error',
      comment: 'The router type gives the CLI typed calls; importing its value would bundle the server.',
      from: { path: '^cli/', pathNot: TESTS },
      to: { path: '^src/server/api/root\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'registry-protocol-only',
      severity: 'error',
      comment:
        "src/server/registry speaks the registry's protocol; who may pull or push what is decided in domains/registry-access.",
      from: { path: '^src/server/registry/', pathNot: TESTS },
      to: { path: DOMAINS },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing is a typo or a missing dependency.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules', '^src/generated/'] },
    exclude: { path: ['^\\.next/', '^dist/', '^cli/dist/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
  },
};
