import { describe, expect, it } from 'vitest';
import { baseImagesFromEnv, DEFAULT_BASE_IMAGES, generateDockerfile, parseCommand } from './generate';

describe('generateDockerfile', () => {
  it('runs a simple Node app directly with node on PORT 8080', () => {
    const dockerfile = generateDockerfile({
      kind: 'node',
      manifests: ['package.json'],
      install: null,
      hasBuildScript: false,
      command: ['node', 'server.js'],
    });
    expect(dockerfile.split('\n').slice(1).join('\n')).toBe(
      [
        'FROM node:20-bookworm-slim',
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
      {
        kind: 'node',
        manifests: ['package.json', 'package-lock.json'],
        install: 'ci',
        hasBuildScript: true,
        command: ['npm', 'start'],
      },
      { ...DEFAULT_BASE_IMAGES, node: 'registry.local/node:20' },
    );
    expect(dockerfile).toContain('FROM registry.local/node:20\n');
    expect(dockerfile).toContain(
      'COPY package.json package-lock.json ./\nRUN npm ci --include=dev\nCOPY . .\nRUN npm run build\nRUN npm prune --omit=dev\n',
    );
    expect(dockerfile).toContain('CMD ["npm","start"]');
    const plain = generateDockerfile({
      kind: 'node',
      manifests: ['package.json'],
      install: 'install',
      hasBuildScript: false,
      command: ['npm', 'start'],
    });
    expect(plain).toContain('RUN npm install --omit=dev\nCOPY . .\n');
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

describe('baseImagesFromEnv', () => {
  it('keeps the defaults for unset variables and parses the static command', () => {
    expect(baseImagesFromEnv({})).toEqual(DEFAULT_BASE_IMAGES);
    expect(
      baseImagesFromEnv({
        RISE_BUILD_NODE_IMAGE: 'mirror/node:20',
        RISE_BUILD_STATIC_IMAGE: 'nginx:1',
        RISE_BUILD_STATIC_ROOT: '/usr/share/nginx/html',
        RISE_BUILD_STATIC_COMMAND: '["nginx", "-g", "daemon off;"]',
      }),
    ).toEqual({
      ...DEFAULT_BASE_IMAGES,
      node: 'mirror/node:20',
      static: 'nginx:1',
      staticRoot: '/usr/share/nginx/html',
      staticCommand: ['nginx', '-g', 'daemon off;'],
    });
  });

  it('parses commands as JSON arrays or words', () => {
    expect(parseCommand('httpd -f  -p 8080')).toEqual(['httpd', '-f', '-p', '8080']);
    expect(() => parseCommand('[1]')).toThrow(/JSON array of strings/);
  });
});
