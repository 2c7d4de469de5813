import path from 'node:path';

/**
 * A `.dockerignore` matcher covering what most files use: comments, `*`, `?`, `[…]`, `**`, a leading
 * `/`, trailing `/`, and `!` exceptions where the last matching line wins. A pattern that matches a
 * directory also excludes everything under it.
 */
export class DockerIgnore {
  private readonly rules: { regex: RegExp; negate: boolean }[];

  constructor(text: string) {
    this.rules = [];
    for (const raw of text.split(/\r?\n/)) {
      let line = raw.trim();
      if (!line || line.startsWith('#')) continue;
      const negate = line.startsWith('!');
      if (negate) line = line.slice(1).trim();
      line = path.posix.normalize(line.replace(/^\/+/, '')).replace(/\/+$/, '');
      if (!line || line === '.') continue;
      this.rules.push({ regex: globToRegExp(line), negate });
    }
  }

  get hasExceptions(): boolean {
    return this.rules.some((rule) => rule.negate);
  }

  /** True when `relative` (a path inside the context, `/`-separated) is excluded. */
  ignores(relative: string): boolean {
    const parts = relative.split('/');
    const candidates = parts.map((_, index) => parts.slice(0, index + 1).join('/'));
    let ignored = false;
    for (const rule of this.rules) {
      if (candidates.some((candidate) => rule.regex.test(candidate))) ignored = !rule.negate;
    }
    return ignored;
  }
}

function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob.charAt(i);
    if (char === '*') {
      if (glob[i + 1] === '*') {
        // `**/` = any number of directories, `**` elsewhere = anything.
        if (glob[i + 2] === '/') {
          out += '(?:.*/)?';
          i += 2;
        } else {
          out += '.*';
          i += 1;
        }
      } else out += '[^/]*';
    } else if (char === '?') out += '[^/]';
    else if (char === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end === -1) out += '\\[';
      else {
        const body = glob
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        out += `[${body}]`;
        i = end;
      }
    } else if (char === '\\' && i + 1 < glob.length) {
      out += escapeChar(glob.charAt(i + 1));
      i += 1;
    } else out += escapeChar(char);
  }
  return new RegExp(`^${out}$`);
}

function escapeChar(char: string): string {
  return char.replace(/[.+^${}()|[\]\\/]/g, '\\$&');
}
