import { describe, expect, it } from 'vitest';
import type { GeneratedApp } from './detect';
import { DEFAULT_BASE_IMAGES, generateDockerfile } from './generate';

const NODE_BASE: Omit<Extract<GeneratedApp, { kind: 'node' }>, 'kind'> = {
  packageManager: 'npm',
  lockfile: null,
  manifests: ['package.json'],
  corepack: false,
  install: null,
  build: null,
  command: ['node', 'server.js'],
  notes: [],
};

const node = (app: Partial<typeof NODE_BASE>): GeneratedApp => ({ kind: 'node', ...NODE_BASE, ...app });

describe('generateDockerfile', () => {
  it('runs a simple Node app directly with node on PORT 8080', () => {
    const dockerfile = generateDockerfile(node({}));
    expect(dockerfile.split('\n').slice(1).join('\n')).toBe(
      [
        'FROM node:24-bookworm-slim',
        'WORKDIR /app',
        'ENV PORT=8080',
        'COPY package.json ./',
        'ENV NODE_ENV=production',
        'COPY . .',
        'EXPOSE 8080',
        'CMD ["node","server.js"]',
        '',
      ].join('\n'),
    );
  });

  it('installs with npm ci from the lockfile, builds, then prunes dev dependencies', () => {
    const dockerfile = generateDockerfile(
      node({
        lockfile: 'package-lock.json',
        manifests: ['package.json', 'package-lock.json'],
        install: {
          all: 'npm ci --include=dev',
          production: 'npm ci --omit=dev',
          prune: 'npm prune --omit=dev',
        },
        build: 'npm run build',
        command: ['npm', 'start'],
      }),
      { ...DEFAULT_BASE_IMAGES, node: 'registry.local/node:24' },
    );
    expect(dockerfile).toContain('FROM registry.local/node:24\n');
    expect(dockerfile).not.toContain('corepack');
    expect(dockerfile).toContain(
      'COPY package.json package-lock.json ./\nRUN npm ci --include=dev\nCOPY . .\nRUN npm run build\nRUN npm prune --omit=dev\n',
    );
    expect(dockerfile).toContain('CMD ["npm","start"]');
  });

  it('enables corepack for pnpm and yarn, copies their config, and installs before copying the app', () => {
    const pnpm = generateDockerfile(
      node({
        packageManager: 'pnpm',
        lockfile: 'pnpm-lock.yaml',
        manifests: ['package.json', 'pnpm-lock.yaml', 'pnpm-workspace.yaml'],
        corepack: true,
        install: {
          all: 'pnpm i',
          production: 'pnpm install --frozen-lockfile --prod',
          prune: 'pnpm prune --prod',
        },
      }),
    );
    expect(pnpm).toContain(
      'ENV PORT=8080\nENV COREPACK_ENABLE_DOWNLOAD_PROMPT=0\nRUN corepack enable\n' +
        'COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./\nENV NODE_ENV=production\n' +
        'RUN pnpm install --frozen-lockfile --prod\nCOPY . .\n',
    );
    const berry = generateDockerfile(
      node({
        packageManager: 'yarn-berry',
        lockfile: 'yarn.lock',
        manifests: ['package.json', 'yarn.lock', '.yarnrc.yml', '.yarn/'],
        corepack: true,
        install: { all: 'yarn install --immutable', production: 'yarn install --immutable', prune: null },
        build: 'yarn run build',
        command: ['yarn', 'start'],
      }),
    );
    expect(berry).toContain(
      'COPY package.json yarn.lock .yarnrc.yml ./\nCOPY .yarn/ ./.yarn/\nRUN yarn install --immutable\nCOPY . .\nRUN yarn run build\nENV NODE_ENV=production\n',
    );
  });

  it('generates Python and multi-stage Go Dockerfiles from the configured images', () => {
    const images = { ...DEFAULT_BASE_IMAGES, python: 'py:local', go: 'go:local', runtime: 'run:local' };
    const python = generateDockerfile(
      { kind: 'python', requirements: true, pyproject: false, command: ['python', 'app.py'] },
      images,
    );
    expect(python).toContain('FROM py:local\n');
    expect(python).toContain(
      'COPY requirements.txt ./\nRUN pip install --no-cache-dir -r requirements.txt\n',
    );
    expect(python).toContain('ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 PORT=8080');
    expect(python).toContain('CMD ["python","app.py"]');
    const go = generateDockerfile({ kind: 'go', goSum: true, packagePath: './cmd/server' }, images);
    expect(go).toContain('FROM go:local AS build\n');
    expect(go).toContain('COPY go.mod go.sum ./\n');
    expect(go).toContain('RUN CGO_ENABLED=0 go build -trimpath -o /out/app ./cmd/server\n');
    expect(go).toContain('FROM run:local\nCOPY --from=build /out/app /usr/local/bin/app\n');
  });

  it('serves static sites with the configured server image, directory and command', () => {
    expect(generateDockerfile({ kind: 'static', dir: '.' })).toContain(
      'FROM caddy:2\nCOPY . /srv/\nEXPOSE 8080\nCMD ["caddy","file-server","--root","/srv","--listen",":8080"]\n',
    );
    const local = generateDockerfile(
      { kind: 'static', dir: 'dist' },
      {
        ...DEFAULT_BASE_IMAGES,
        static: 'rise-test/static:1',
        staticRoot: '/www',
        staticCommand: ['/bin/busybox', 'httpd', '-f', '-p', '8080', '-h', '/www'],
      },
    );
    expect(local).toContain(
      'FROM rise-test/static:1\nCOPY dist/ /www/\nEXPOSE 8080\nCMD ["/bin/busybox","httpd","-f","-p","8080","-h","/www"]\n',
    );
  });
});
