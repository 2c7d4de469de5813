import { describe, expect, it } from 'vitest';
import type { ProjectDetail } from '@/server/domains/projects/project.schema';
import { changesOf, commandFromText, draftOf, validateDraft } from './settings-draft';

const project = {
  visibility: 'public',
  runtime: 'docker',
  owner: 'user:ada',
  port: 8080,
  healthPath: '/',
  replicas: 1,
  cpuLimit: null,
  memoryLimitMb: null,
  startCommand: [],
  releaseCommand: ['/bin/sh', '-c', 'npm run migrate'],
  postDeployCommand: ['curl', '-fsS', 'https://hooks.example.com'],
} as unknown as ProjectDetail;

describe('commands in the settings form', () => {
  it('shows each command as written: a shell line, or an argument vector as JSON', () => {
    expect(draftOf(project)).toMatchObject({
      startCommand: '',
      releaseCommand: 'npm run migrate',
      postDeployCommand: '["curl","-fsS","https://hooks.example.com"]',
    });
  });

  it('reads a shell line, a JSON array, and empty as clear', () => {
    expect(commandFromText('  node server.js ')).toEqual({ ok: true, command: 'node server.js' });
    expect(commandFromText('["node", "server.js"]')).toEqual({ ok: true, command: ['node', 'server.js'] });
    expect(commandFromText('')).toEqual({ ok: true, command: null });
    expect(commandFromText('[node')).toMatchObject({
      ok: false,
      error: expect.stringContaining('JSON array'),
    });
    expect(commandFromText('[]')).toMatchObject({ ok: false });
  });

  it('sends only the commands that changed, and an empty field as a clear', () => {
    const draft = { ...draftOf(project), startCommand: 'node server.js', releaseCommand: '' };
    expect(validateDraft(draft, false)).toEqual({});
    expect(changesOf(draft, project, false)).toEqual({
      startCommand: 'node server.js',
      releaseCommand: null,
    });
    // The same command written again is no change.
    expect(changesOf(draftOf(project), project, false)).toEqual({});
  });

  it('names the field whose command is not one', () => {
    expect(validateDraft({ ...draftOf(project), postDeployCommand: '[1, 2]' }, false)).toHaveProperty(
      'postDeployCommand',
    );
  });
});
