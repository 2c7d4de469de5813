import { commandArgv } from '../deployments/commands';
import { memoryMb, type RiseToml } from '../rise-toml';
import type { DeclaredProcesses } from './declared-processes.schema';
import { WEB } from './process.schema';
import { PROCFILE, ProcfileError, parseProcfile } from './procfile';

const sameCommand = (a: string | string[], b: string | string[]) =>
  JSON.stringify(commandArgv(a)) === JSON.stringify(commandArgv(b));

/**
 * The processes a project's files declare, as `project.setProcesses` takes them: `.rise.toml`'s
 * `[processes]`, else the Procfile (`procfile`, its text, when there is one; its `web:` is the image's
 * CMD, which the auto builder writes, not a setting), else null (declared nowhere: the project's
 * processes are left as they are).
 */
export function declaredProcessesOf(
  config: RiseToml | null,
  procfile: { text: string; file?: string } | null,
): DeclaredProcesses | null {
  if (config?.processes) {
    const { [WEB]: web, ...others } = config.processes;
    return {
      web: web
        ? {
            command: web.command,
            replicas: web.replicas,
            cpuLimit: web.cpu,
            memoryLimitMb: memoryMb(web.memory),
          }
        : {},
      processes: Object.fromEntries(
        Object.entries(others).map(([name, process]) => [
          name,
          {
            // The schema refuses a process without a command.
            command: process.command!,
            replicas: process.replicas,
            cpuLimit: process.cpu,
            memoryLimitMb: memoryMb(process.memory),
          },
        ]),
      ),
    };
  }
  if (!procfile) return null;
  const file = procfile.file ?? PROCFILE;
  const declared: DeclaredProcesses = { web: {}, processes: {} };
  for (const entry of parseProcfile(procfile.text, file)) {
    if (entry.name === WEB) {
      const deployCommand = config?.deploy?.command;
      if (deployCommand !== undefined && !sameCommand(deployCommand, entry.command)) {
        throw new ProcfileError(
          `${file}:${entry.line}: web's command differs from .rise.toml's [deploy] command: set it in one place`,
          entry.line,
        );
      }
      // Not stored as the project's start command: the auto builder makes it the image's CMD, and a
      // Dockerfile's image has its own. Stored, it would outlive the Procfile and override the CMD of
      // every later image (a directory without that file then fails to start).
    } else if (entry.name === 'release') {
      const deployRelease = config?.deploy?.release;
      if (deployRelease !== undefined && !sameCommand(deployRelease, entry.command)) {
        throw new ProcfileError(
          `${file}:${entry.line}: release differs from .rise.toml's [deploy] release: set it in one place`,
          entry.line,
        );
      }
      declared.release = entry.command;
    } else {
      declared.processes[entry.name] = { command: entry.command };
    }
  }
  return declared;
}
