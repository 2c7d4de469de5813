import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBuilder } from './index';
import { BuildError } from './types';

// pack, nixpacks and railpack are not installed here: the adapters are tested at their boundary, with
// a fake executable first on PATH that records its argv, and with an empty PATH for the missing tool.

let bin: string;
let emptyBin: string;

beforeAll(async () => {
  bin = await mkdtemp(path.join(tmpdir(), 'rise-fake-tools-'));
  emptyBin = await mkdtemp(path.join(tmpdir(), 'rise-no-tools-'));
  for (const tool of ['pack', 'nixpacks', 'railpack']) {
    const script = [
      '#!/bin/sh',
      `printf '%s\\n' "$@" > '${path.join(bin, `${tool}.argv`)}'`,
      `echo "${tool} building"`,
      'echo "a warning" >&2',
      'if [ "$FAKE_TOOL_FAIL" = 1 ]; then exit 3; fi',
    ].join('\n');
    await writeFile(path.join(bin, tool), `${script}\n`);
    await chmod(path.join(bin, tool), 0o755);
  }
});

afterAll(async () => {
  await rm(bin, { recursive: true, force: true });
  await rm(emptyBin, { recursive: true, force: true });
});

const input = (lines: string[]) => ({
  context: '/apps/my-app',
  tag: 'registry.local/my-app:dep1',
  env: { NODE_ENV: 'production', API_URL: 'https://x.example' },
  onLog: (line: string) => lines.push(line),
});

const argv = async (tool: string) =>
  (await readFile(path.join(bin, `${tool}.argv`), 'utf8')).trimEnd().split('\n');

describe.each([
  [
    'buildpacks' as const,
    'pack',
    [
      'build',
      'registry.local/my-app:dep1',
      '--path',
      '/apps/my-app',
      '--builder',
      'paketobuildpacks/builder-jammy-base',
    ],
  ],
  ['nixpacks' as const, 'nixpacks', ['build', '/apps/my-app', '--name', 'registry.local/my-app:dep1']],
  ['railpack' as const, 'railpack', ['build', '/apps/my-app', '--name', 'registry.local/my-app:dep1']],
])('%s backend', (backend, tool, expectedArgs) => {
  const envArgs = ['--env', 'API_URL=https://x.example', '--env', 'NODE_ENV=production'];

  it(`runs ${tool} with an argument array and streams its output`, async () => {
    const lines: string[] = [];
    const builder = createBuilder(backend, { path: bin, inspectImage: async () => 'sha256:fake' });
    expect(builder.name).toBe(backend);
    const result = await builder.build({ ...input(lines), context: bin });
    expect(result).toEqual({ tag: 'registry.local/my-app:dep1', imageId: 'sha256:fake' });
    expect(await argv(tool)).toEqual([
      ...expectedArgs.map((arg) => (arg === '/apps/my-app' ? bin : arg)),
      ...envArgs,
    ]);
    expect(lines).toContain(`${tool} building`);
    expect(lines).toContain('a warning');
  });

  it('fails with the exit code when the tool fails', async () => {
    process.env.FAKE_TOOL_FAIL = '1';
    try {
      const builder = createBuilder(backend, { path: bin, inspectImage: async () => 'sha256:fake' });
      await expect(builder.build({ ...input([]), context: bin })).rejects.toThrow(/failed \(exit code 3\)/);
    } finally {
      delete process.env.FAKE_TOOL_FAIL;
    }
  });

  it(`names ${tool}, how to install it and the fallback when it is missing`, async () => {
    const error = await createBuilder(backend, { path: emptyBin })
      .build(input([]))
      .catch((caught) => caught);
    expect(error).toBeInstanceOf(BuildError);
    expect(error.message).toContain(`\`${tool}\` CLI, which was not found on PATH`);
    expect(error.message).toMatch(/Install it \(see https:\/\//);
    expect(error.message).toContain('backend = "auto"');
    expect(error.message).toContain('backend = "dockerfile"');
  });
});

it('passes the builder image from the build input to pack', async () => {
  const builder = createBuilder('buildpacks', { path: bin, inspectImage: async () => 'sha256:fake' });
  await builder.build({ context: bin, tag: 't:1', builder: 'heroku/builder:24', onLog: () => {} });
  expect(await argv('pack')).toEqual(['build', 't:1', '--path', bin, '--builder', 'heroku/builder:24']);
});
