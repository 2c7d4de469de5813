import { describe, expect, it } from 'vitest';
import { DEFAULT_BASE_IMAGES } from './auto/generate';
import { baseImagesFromEnv, parseCommand } from './build-env';
import { BASE_IMAGE_SETTINGS, type BaseImageKey } from './build-settings';

describe('baseImagesFromEnv', () => {
  it('keeps the defaults for unset or blank variables and parses the static command', () => {
    expect(baseImagesFromEnv({})).toEqual(DEFAULT_BASE_IMAGES);
    expect(baseImagesFromEnv({ RISE_BUILD_NODE_IMAGE: '  ', RISE_BUILD_STATIC_COMMAND: '' })).toEqual(
      DEFAULT_BASE_IMAGES,
    );
    expect(
      baseImagesFromEnv({
        RISE_BUILD_NODE_IMAGE: ' mirror/node:24 ',
        RISE_BUILD_STATIC_IMAGE: 'nginx:1',
        RISE_BUILD_STATIC_ROOT: '/usr/share/nginx/html',
        RISE_BUILD_STATIC_COMMAND: '["nginx", "-g", "daemon off;"]',
        UNRELATED: 'x',
      }),
    ).toEqual({
      ...DEFAULT_BASE_IMAGES,
      node: 'mirror/node:24',
      static: 'nginx:1',
      staticRoot: '/usr/share/nginx/html',
      staticCommand: ['nginx', '-g', 'daemon off;'],
    });
  });

  it('reads the variable BASE_IMAGE_SETTINGS names for every setting', () => {
    for (const key of Object.keys(BASE_IMAGE_SETTINGS) as BaseImageKey[]) {
      const images = baseImagesFromEnv({ [BASE_IMAGE_SETTINGS[key].env]: '/set/by-env' });
      expect(images[key]).toEqual(key === 'staticCommand' ? ['/set/by-env'] : '/set/by-env');
    }
  });

  it('names the variable whose command is not valid', () => {
    expect(() => baseImagesFromEnv({ RISE_BUILD_STATIC_COMMAND: '[1, 2]' })).toThrow(
      /^RISE_BUILD_STATIC_COMMAND: expected a JSON array of strings/,
    );
    expect(() => baseImagesFromEnv({ RISE_BUILD_STATIC_COMMAND: '["a"' })).toThrow(
      /^RISE_BUILD_STATIC_COMMAND: /,
    );
  });

  it('parses commands as JSON arrays or words', () => {
    expect(parseCommand('httpd -f  -p 8080')).toEqual(['httpd', '-f', '-p', '8080']);
    expect(() => parseCommand('[1]')).toThrow(/JSON array of strings/);
  });
});
