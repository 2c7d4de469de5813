import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  baseImagesFromToml,
  memoryMb,
  parseRiseToml,
  RiseTomlError,
  readRiseToml,
  sourceSettingsFromToml,
  writeRiseToml,
} from './rise-toml';

function failure(text: string): RiseTomlError {
  try {
    parseRiseToml(text);
  } catch (error) {
    if (error instanceof RiseTomlError) return error;
    throw error;
  }
  throw new Error('expected a RiseTomlError');
}

describe('.rise.toml', () => {
  it('reads the file of the CLI journey', () => {
    expect(parseRiseToml('project = "secret-app"\n\n[build]\nbackend = "buildpacks"\n')).toEqual({
      project: 'secret-app',
      build: { backend: 'buildpacks' },
    });
  });

  it('reads deploy settings and env', () => {
    const config = parseRiseToml(
      'project = "api"\n[deploy]\nport = 3000\nhealth_path = "/healthz"\nmemory = "1G"\n[env]\nLOG_LEVEL = "debug"\n',
    );
    expect(config.deploy).toEqual({ port: 3000, health_path: '/healthz', memory: '1G' });
    expect(config.env).toEqual({ LOG_LEVEL: 'debug' });
    expect(memoryMb(config.deploy?.memory)).toBe(1024);
    expect(memoryMb(512)).toBe(512);
  });

  it('names the field and line of a bad value', () => {
    const error = failure('project = "secret-app"\n\n[build]\nbackend = "heroku"\n');
    expect(error.line).toBe(4);
    expect(error.message).toMatch(/^\.rise\.toml:4: build\.backend: /);
  });

  it('reads the runtime and refuses an unknown one', () => {
    expect(parseRiseToml('project = "api"\n[deploy]\nruntime = "kubernetes"\n').deploy?.runtime).toBe(
      'kubernetes',
    );
    expect(failure('project = "api"\n[deploy]\nruntime = "nomad"\n').message).toMatch(
      /^\.rise\.toml:3: deploy\.runtime: /,
    );
  });

  it('reads the base images of [build] that override the server defaults', () => {
    const config = parseRiseToml(
      [
        'project = "api"',
        '[build]',
        'node_image = "mirror.example.com/node:24-bookworm-slim"',
        'go_image = "golang:1.24"',
        'static_root = "/www"',
        'static_command = ["busybox", "httpd", "-f", "-h", "/www"]',
        '',
      ].join('\n'),
    );
    expect(baseImagesFromToml(config.build)).toEqual({
      node: 'mirror.example.com/node:24-bookworm-slim',
      go: 'golang:1.24',
      staticRoot: '/www',
      staticCommand: ['busybox', 'httpd', '-f', '-h', '/www'],
    });
    expect(baseImagesFromToml(undefined)).toEqual({});
  });

  it('names a bad base image, root or command with its line and what to write', () => {
    expect(failure('project = "api"\n[build]\nnode_image = "Node:LTS!"\n').message).toMatch(
      /^\.rise\.toml:3: build\.node_image: .*not valid.*\(e\.g\. "node:24-bookworm-slim"\)$/,
    );
    expect(failure('project = "api"\n[build]\nstatic_root = "srv"\n').message).toBe(
      '.rise.toml:3: build.static_root: expected an absolute path in the image, e.g. "/srv"',
    );
    expect(failure('project = "api"\n[build]\n\nstatic_command = "caddy run"\n').message).toBe(
      '.rise.toml:4: build.static_command: expected an array of strings, e.g. ["caddy", "file-server", "--listen", ":8080"]',
    );
    expect(failure('project = "api"\n[build]\nstatic_command = []\n').message).toBe(
      '.rise.toml:3: build.static_command: expected at least the program to run',
    );
    expect(failure('project = "api"\n[build]\nnode_version = "24"\n').message).toBe(
      '.rise.toml:3: build.node_version: unknown field',
    );
  });

  it('names unknown fields', () => {
    expect(failure('project = "x-app"\n[deploy]\nprot = 80\n').message).toBe(
      '.rise.toml:3: deploy.prot: unknown field',
    );
  });

  it('reports TOML syntax errors with their line', () => {
    const error = failure('project = "app"\n[build\n');
    expect(error.line).toBe(2);
    expect(error.message).toMatch(/^\.rise\.toml:2: /);
  });

  it('requires a valid project name', () => {
    expect(failure('project = "Bad_Name"\n').message).toMatch(
      /^\.rise\.toml:1: project: expected a project name/,
    );
  });

  it('round-trips through a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rise-toml-'));
    try {
      expect(readRiseToml(dir)).toBeNull();
      writeRiseToml(dir, {
        project: 'secret-app',
        build: { backend: 'dockerfile', dockerfile: 'Dockerfile' },
      });
      expect(readRiseToml(dir)).toEqual({
        project: 'secret-app',
        build: { backend: 'dockerfile', dockerfile: 'Dockerfile' },
      });
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});

describe('.rise.toml [source]', () => {
  it('reads the source table and turns it into API settings', () => {
    const toml = parseRiseToml(
      'project = "shop"\n[source]\nrepository = "https://github.com/acme/shop.git"\nbranch = "main"\nroot_directory = "web/"\nwatch_paths = ["web/**"]\nsubmodules = true\nprovider = "github"\n',
    );
    expect(sourceSettingsFromToml(toml.source!)).toEqual({
      repositoryUrl: 'https://github.com/acme/shop.git',
      branch: 'main',
      rootDirectory: 'web',
      dockerfile: undefined,
      watchPaths: ['web/**'],
      submodules: true,
      provider: 'github',
      previewExpiry: undefined,
    });
  });

  it('refuses a hostile repository with the line, and unknown fields such as a token', () => {
    expect(failure('project = "shop"\n[source]\nrepository = "file:///etc"\n').message).toMatch(
      /^\.rise\.toml:3: source\.repository: 'file:\/\/' repositories are not allowed/,
    );
    expect(failure('project = "shop"\n[source]\nrepository = "git@h:-oProxyCommand=x"\n').message).toMatch(
      /^\.rise\.toml:3: source\.repository: No part of the repository path may start with `-`/,
    );
    expect(
      failure('project = "shop"\n[source]\nrepository = "https://github.com/a/b"\naccess_token = "x"\n')
        .message,
    ).toBe('.rise.toml:4: source.access_token: unknown field');
  });
});
