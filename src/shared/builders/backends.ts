/**
 * The build backends (`.rise.toml`'s `[build] backend`), as everything that does not build sees them:
 * zod enums, CLI choices, dashboard options. Free of the builders' code, so the dashboard's bundle
 * can use it. The registry (registry.ts) must have one module per entry: its type makes a missing one
 * a compile error. Adding a backend: its module file, one entry here and one line in registry.ts (and
 * a value of the Prisma enum BuildBackend, with its migration).
 */
export const BUILDER_CATALOGUE = [
  {
    name: 'auto',
    description: "the app's Dockerfile, else one generated for the detected stack (Node, Python, Go, static)",
  },
  { name: 'dockerfile', description: "the app's Dockerfile, built by the local Docker engine" },
  { name: 'buildpacks', description: 'Cloud Native Buildpacks (the `pack` CLI)' },
  { name: 'nixpacks', description: 'Nixpacks (the `nixpacks` CLI)' },
  { name: 'railpack', description: 'Railpack (the `railpack` CLI and a BuildKit daemon)' },
] as const;

export type BuilderBackend = (typeof BUILDER_CATALOGUE)[number]['name'];

export const BUILDER_BACKENDS = BUILDER_CATALOGUE.map((backend) => backend.name) as [
  BuilderBackend,
  ...BuilderBackend[],
];

export const DEFAULT_BUILDER_BACKEND: BuilderBackend = 'auto';

export function isBuilderBackend(value: string): value is BuilderBackend {
  return (BUILDER_BACKENDS as readonly string[]).includes(value);
}
