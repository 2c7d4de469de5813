import { CliError, EXIT } from '../../lib/errors';
import { readAll } from '../../lib/read-all';

/** Asks for the password on the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  const { stdin, stderr } = process;
  stderr.write(question);
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = () => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      stderr.write('\n');
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n' || char === '\u0004') {
          finish();
          return resolve(value);
        }
        if (char === '\u0003') {
          finish();
          return reject(new CliError('Cancelled: no login was stored.', EXIT.failure));
        }
        value = char === '\u007f' || char === '\b' ? value.slice(0, -1) : value + char;
      }
    };
    stdin.on('data', onData);
  });
}

/**
 * The password: from stdin with --password-stdin (`echo "$TOKEN" | rise registry login …`), else asked
 * for on a terminal. Never a flag: flags end up in shell history and in `ps`.
 */
export async function readPassword(
  flags: { passwordStdin?: boolean },
  stdin: AsyncIterable<string | Buffer> & { isTTY?: boolean } = process.stdin,
  prompt: (question: string) => Promise<string> = promptHidden,
): Promise<string> {
  if (flags.passwordStdin) return readAll(stdin);
  if (stdin.isTTY) return prompt('Password (or access token): ');
  throw new CliError(
    'No terminal to ask for the password: pipe it in with --password-stdin, e.g. `echo "$REGISTRY_TOKEN" | rise registry login <host> -p <project> -u <user> --password-stdin`.',
    EXIT.usage,
  );
}
