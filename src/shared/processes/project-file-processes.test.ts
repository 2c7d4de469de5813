import { describe, expect, it } from 'vitest';
import { parseRiseToml, RiseTomlError } from '../rise-toml';
import { declaredProcesses } from './declared-processes.schema';
import { ProcfileError, parseProcfile } from './procfile';
import { declaredProcessesOf } from './project-file-processes';

const toml = (body: string) => parseRiseToml(`project = "shop"\n${body}`);

function tomlFailure(body: string): RiseTomlError {
  try {
    toml(body);
  } catch (error) {
    if (error instanceof RiseTomlError) return error;
    throw error;
  }
  throw new Error('expected a RiseTomlError');
}

function procfileFailure(run: () => unknown): ProcfileError {
  try {
    run();
  } catch (error) {
    if (error instanceof ProcfileError) return error;
    throw error;
  }
  throw new Error('expected a ProcfileError');
}

describe('[processes] in .rise.toml', () => {
  it('web sets the start command; other keys are processes, as a command or a table', () => {
    const config = toml(
      [
        '[processes]',
        'web = "npm start"',
        'worker = "node worker.js"',
        'clock = ["node", "clock.js"]',
        'queue = { command = "node queue.js", replicas = 2, cpu = 0.5, memory = "256M" }',
        '',
        '[processes.mailer]',
        'command = "node mailer.js"',
        'memory = "1G"',
      ].join('\n'),
    );
    expect(declaredProcessesOf(config, null)).toEqual({
      web: { command: 'npm start', replicas: undefined, cpuLimit: undefined, memoryLimitMb: undefined },
      processes: {
        worker: {
          command: 'node worker.js',
          replicas: undefined,
          cpuLimit: undefined,
          memoryLimitMb: undefined,
        },
        clock: {
          command: ['node', 'clock.js'],
          replicas: undefined,
          cpuLimit: undefined,
          memoryLimitMb: undefined,
        },
        queue: { command: 'node queue.js', replicas: 2, cpuLimit: 0.5, memoryLimitMb: 256 },
        mailer: { command: 'node mailer.js', replicas: undefined, cpuLimit: undefined, memoryLimitMb: 1024 },
      },
    });
  });

  it('what it declares is what project.setProcesses takes', () => {
    const declared = declaredProcessesOf(
      toml('[processes]\nweb = { replicas = 3 }\nworker = { command = "node w.js", replicas = 0 }\n'),
      null,
    );
    expect(declaredProcesses.parse(declared)).toEqual({
      web: { replicas: 3 },
      processes: { worker: { command: 'node w.js', replicas: 0 } },
    });
  });

  it('agrees with [deploy] when both say the same, and refuses two different start commands', () => {
    expect(toml('[deploy]\ncommand = "npm start"\n[processes]\nweb = "npm start"\n').processes).toEqual({
      web: { command: 'npm start' },
    });
    expect(
      toml('[deploy]\ncommand = ["/bin/sh", "-c", "npm start"]\n[processes]\nweb = "npm start"\n').processes,
    ).toBeDefined();
    const error = tomlFailure('[deploy]\ncommand = "npm start"\n\n[processes]\nweb = "node server.js"\n');
    expect(error.message).toBe(
      ".rise.toml:6: processes.web: web's command differs from [deploy] command: set it in one place",
    );
    expect(tomlFailure('[deploy]\nreplicas = 2\n[processes]\nweb = { replicas = 3 }\n').message).toContain(
      "web's replicas differs from [deploy] replicas",
    );
  });

  it('names the bad entry and its line', () => {
    const cases: [string, string][] = [
      ['[processes]\nWorker = "x"\n', '.rise.toml:3: processes.Worker: expected a process name of lowercase'],
      [
        '[processes]\nworker = { replicas = 2 }\n',
        '.rise.toml:3: processes.worker.command: a process needs a command',
      ],
      [
        '[processes]\nworker = { command = "x", replicas = 21 }\n',
        '.rise.toml:3: processes.worker.replicas: expected at most 20 replicas',
      ],
      [
        '[processes]\nworker = { command = "x", memory = "lots" }\n',
        'processes.worker.memory: expected a size such as "512M" or "1G"',
      ],
      [
        '[processes]\nworker = { command = "x", disk = 1 }\n',
        '.rise.toml:3: processes.worker.disk: unknown field',
      ],
      [
        '[processes]\nworker = ""\n',
        '.rise.toml:3: processes.worker.command: expected a command, e.g. "node server.js"',
      ],
      [
        '[processes]\nrelease = "npm run migrate"\n',
        '.rise.toml:3: processes.release: the release command is `release` under [deploy]',
      ],
      [
        '[processes.worker]\nreplicas = -1\ncommand = "x"\n',
        '.rise.toml:3: processes.worker.replicas: expected 0 or more replicas',
      ],
    ];
    for (const [body, message] of cases) expect(tomlFailure(body).message).toContain(message);
  });

  it('refuses more than ten processes besides web', () => {
    const lines = Array.from({ length: 11 }, (_, index) => `p${index} = "run ${index}"`);
    expect(tomlFailure(`[processes]\nweb = "x"\n${lines.join('\n')}\n`).message).toContain(
      'expected at most 10 processes besides web',
    );
  });
});

describe('Procfile', () => {
  const procfile = [
    '# the app',
    'web: npm start',
    '',
    'worker:   node worker.js --queue=default',
    'release: npm run migrate',
    '  clock: node clock.js  ',
  ].join('\n');

  it('reads name: command lines, skipping comments and blank lines', () => {
    expect(parseProcfile(procfile)).toEqual([
      { name: 'web', command: 'npm start', line: 2 },
      { name: 'worker', command: 'node worker.js --queue=default', line: 4 },
      { name: 'release', command: 'npm run migrate', line: 5 },
      { name: 'clock', command: 'node clock.js', line: 6 },
    ]);
  });

  it("release is the release command, the rest processes; web is left to the image's CMD", () => {
    expect(declaredProcessesOf(null, { text: procfile })).toEqual({
      web: {},
      release: 'npm run migrate',
      processes: {
        worker: { command: 'node worker.js --queue=default' },
        clock: { command: 'node clock.js' },
      },
    });
  });

  it('is read only when .rise.toml has no [processes]', () => {
    const config = toml('[processes]\nworker = "node w.js"\n');
    expect(declaredProcessesOf(config, { text: 'web: other\n' })?.web).toEqual({});
    expect(declaredProcessesOf(toml(''), null)).toBeNull();
    expect(declaredProcessesOf(null, null)).toBeNull();
  });

  it('names the file, the line and what is wrong', () => {
    const cases: [string, string][] = [
      [
        'web: npm start\nthis is not a process\n',
        'Procfile:2: expected "name: command" (e.g. "worker: node worker.js"), got "this is not a process"',
      ],
      ['Worker_1: node w.js\n', 'Procfile:1: "Worker_1": expected a process name of lowercase letters'],
      ['web: npm start\n\nworker:\n', 'Procfile:3: worker: expected a command, e.g. "node server.js"'],
      ['worker: a\nworker: b\n', 'Procfile:2: "worker" is already declared on line 1'],
    ];
    for (const [text, message] of cases) {
      const error = procfileFailure(() => parseProcfile(text));
      expect(error.message).toContain(message);
    }
    expect(procfileFailure(() => parseProcfile('\n\nbad\n', '/app/Procfile')).line).toBe(3);
  });

  it('refuses a web or release that differs from .rise.toml [deploy]', () => {
    const config = toml('[deploy]\ncommand = "npm start"\nrelease = "npm run migrate"\n');
    expect(declaredProcessesOf(config, { text: 'web: npm start\nrelease: npm run migrate\n' })).toMatchObject(
      {
        web: {},
        release: 'npm run migrate',
      },
    );
    expect(
      procfileFailure(() => declaredProcessesOf(config, { text: 'web: node server.js\n' })).message,
    ).toBe("Procfile:1: web's command differs from .rise.toml's [deploy] command: set it in one place");
    expect(
      procfileFailure(() => declaredProcessesOf(config, { text: '\nrelease: ./migrate.sh\n' })).message,
    ).toBe("Procfile:2: release differs from .rise.toml's [deploy] release: set it in one place");
  });
});
