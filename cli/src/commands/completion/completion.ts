import { defineCommand } from '../../lib/command-spec';
import { completionScript } from '../../lib/completion-script';
import { EXIT } from '../../lib/errors';

export const completion = defineCommand<{ shell?: string }>({
  name: 'completion',
  summary: 'print a shell completion script (bash or zsh)',
  arguments: [{ name: 'shell' }],
  shared: [],
  run(args, ctx) {
    process.stdout.write(completionScript(ctx.program, args.shell ?? 'bash'));
    return EXIT.ok;
  },
});
