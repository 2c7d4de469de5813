import { describe, expect, it } from 'vitest';
import { envOverridesFrom } from './env-overrides';

const files: Record<string, string> = {
  '.env.preview': '# preview\nFOO=from-file\nexport DATABASE_URL="postgres://preview"\n',
  '.env.broken': 'FOO=ok\n\nnot an assignment\n1BAD=x\n',
};
const read = (path: string) => {
  const text = files[path];
  if (text === undefined) throw new Error(`no ${path}`);
  return text;
};

describe('envOverridesFrom', () => {
  it('reads the env file, lets -e win over it and marks the --secret-env keys secret', () => {
    expect(
      envOverridesFrom(
        { envFile: '.env.preview', env: ['FOO=preview', 'ONLY=a=b'], secretEnv: ['ONLY'] },
        read,
      ),
    ).toEqual([
      { key: 'FOO', value: 'preview', secret: false },
      { key: 'DATABASE_URL', value: 'postgres://preview', secret: false },
      { key: 'ONLY', value: 'a=b', secret: true },
    ]);
  });

  it('has no overrides without flags', () => {
    expect(envOverridesFrom({}, read)).toEqual([]);
  });

  it('refuses a -e without = or with a bad name, quoting it', () => {
    expect(() => envOverridesFrom({ env: ['FOO'] }, read)).toThrow("-e 'FOO': expected KEY=value");
    expect(() => envOverridesFrom({ env: ['1FOO=x'] }, read)).toThrow(
      "-e '1FOO=x': '1FOO' is not a valid env var name.",
    );
  });

  it('names the env file and the line of each malformed line', () => {
    expect(() => envOverridesFrom({ envFile: '.env.broken' }, read)).toThrow(
      "--env-file .env.broken: Line 3: expected KEY=value.\n--env-file .env.broken: Line 4: '1BAD' is not a valid name",
    );
  });

  it('refuses --secret-env of a key that is not overridden', () => {
    expect(() => envOverridesFrom({ env: ['FOO=x'], secretEnv: ['TOKEN'] }, read)).toThrow(
      '--secret-env TOKEN: no override named TOKEN',
    );
  });
});
