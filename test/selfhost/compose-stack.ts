import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Dockerode from 'dockerode';
import { type CommandResult, runCommand } from './run-command';

// The repository's docker-compose.yml run as an operator runs it (Debian's docker-compose 1.29), under
// a compose project name of its own, with every variable from one env file: nothing from the
// caller's environment or a developer's .env in the repository reaches the stack.

export type ComposeStackOptions = {
  /** The repository root: docker-compose.yml and the relative paths in it. */
  repoRoot: string;
  /** The compose project name (`-p`): names and labels everything compose creates. */
  projectName: string;
  /** RISE_INSTANCE_ID of the stack: Rise labels what it creates with dev.rise.managed-by=<it>. */
  instanceId: string;
  /** Every variable the compose file reads. */
  variables: Record<string, string>;
};

export type Leftovers = { containers: string[]; networks: string[]; volumes: string[] };

export class ComposeStack {
  readonly projectName: string;
  readonly instanceId: string;
  private readonly repoRoot: string;
  private readonly variables: Record<string, string>;
  private dir: string | null = null;
  private readonly docker = new Dockerode();

  constructor(options: ComposeStackOptions) {
    this.projectName = options.projectName;
    this.instanceId = options.instanceId;
    this.repoRoot = options.repoRoot;
    this.variables = options.variables;
  }

  private async envFile(): Promise<string> {
    if (!this.dir) {
      this.dir = await mkdtemp(path.join(tmpdir(), 'rise-selfhost-'));
      const file = path.join(this.dir, 'selfhost.env');
      const lines = Object.entries(this.variables).map(([key, value]) => {
        if (/[\n\r]/.test(value)) throw new Error(`${key}: multi-line values do not fit an env file`);
        return `${key}=${value}`;
      });
      await writeFile(file, `${lines.join('\n')}\n`, { mode: 0o600 });
      await chmod(file, 0o600);
    }
    return path.join(this.dir, 'selfhost.env');
  }

  /** `docker-compose <args>` for this stack; returns the result, a non-zero exit included. */
  async run(
    args: string[],
    options: { timeoutMs?: number; log?: (line: string) => void } = {},
  ): Promise<CommandResult> {
    const envFile = await this.envFile();
    return runCommand(
      'docker-compose',
      [
        '--project-name',
        this.projectName,
        '--project-directory',
        this.repoRoot,
        '--file',
        path.join(this.repoRoot, 'docker-compose.yml'),
        '--env-file',
        envFile,
        '--no-ansi',
        ...args,
      ],
      {
        cwd: this.repoRoot,
        // Only what docker-compose itself needs: the variables come from the env file alone.
        env: {
          PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin',
          HOME: process.env.HOME ?? '/root',
          ...(process.env.DOCKER_HOST ? { DOCKER_HOST: process.env.DOCKER_HOST } : {}),
          COMPOSE_HTTP_TIMEOUT: '300',
        },
        timeoutMs: options.timeoutMs ?? 600_000,
        log: options.log,
      },
    );
  }

  /** Like run, but a non-zero exit throws with the end of the output. */
  async compose(args: string[], options: { timeoutMs?: number; log?: (line: string) => void } = {}) {
    const result = await this.run(args, options);
    if (result.code !== 0) {
      const tail = `${result.stdout}\n${result.stderr}`.trim().slice(-6000);
      throw new Error(`docker-compose ${args.join(' ')} exited with ${result.code}:\n${tail}`);
    }
    return result.stdout;
  }

  /** The id of a service's (single) container, or null when it has none. */
  async containerId(service: string): Promise<string | null> {
    const id = (await this.compose(['ps', '-q', service])).trim();
    return id || null;
  }

  /** The last lines of every service's log, for failure messages. */
  async logs(services: string[] = [], tail = 80): Promise<string> {
    const result = await this.run(['logs', '--no-color', '--tail', String(tail), ...services], {
      timeoutMs: 60_000,
    });
    return `${result.stdout}\n${result.stderr}`.trim();
  }

  /**
   * What is left of this stack on the engine: containers, networks and volumes named by its compose
   * project (compose's label) or labelled as made by its Rise instance (dev.rise.managed-by).
   */
  async leftovers(): Promise<Leftovers> {
    const filters = [
      `com.docker.compose.project=${this.projectName}`,
      `dev.rise.managed-by=${this.instanceId}`,
    ];
    const containers = new Set<string>();
    const networks = new Set<string>();
    const volumes = new Set<string>();
    for (const label of filters) {
      for (const item of await this.docker.listContainers({ all: true, filters: { label: [label] } })) {
        containers.add(`${item.Names.join(',')} (${item.State})`);
      }
      for (const item of await this.docker.listNetworks({ filters: { label: [label] } })) {
        networks.add(item.Name);
      }
      const listed = await this.docker.listVolumes({ filters: { label: [label] } });
      for (const item of listed.Volumes ?? []) volumes.add(item.Name);
    }
    // Names compose derives from the project name, whatever their labels say.
    const prefix = `${this.projectName}_`;
    for (const item of await this.docker.listContainers({ all: true })) {
      if (item.Names.some((name) => name.replace(/^\//, '').startsWith(prefix))) {
        containers.add(`${item.Names.join(',')} (${item.State})`);
      }
    }
    for (const item of await this.docker.listNetworks()) {
      if (item.Name.startsWith(prefix)) networks.add(item.Name);
    }
    for (const item of (await this.docker.listVolumes()).Volumes ?? []) {
      if (item.Name.startsWith(prefix)) volumes.add(item.Name);
    }
    return { containers: [...containers], networks: [...networks], volumes: [...volumes] };
  }

  /** `down -v --remove-orphans`, then the temporary env file goes. */
  async down(): Promise<CommandResult> {
    const result = await this.run(['down', '--volumes', '--remove-orphans', '--timeout', '20'], {
      timeoutMs: 180_000,
    });
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
    this.dir = null;
    return result;
  }
}
