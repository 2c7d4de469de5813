import { describe, expect, it } from 'vitest';
import { apiAs, createUser, uniqueName, userCaller } from '../../../../test/fixtures';
import { claimPortBlock } from '../../../../test/port-blocks';
import { projectRepo } from '../projects/project.repo';
import { deploymentEngineRepos } from './engine.repo';
import type { EngineSettings } from './engine-deps';
import { ensureSlotPorts } from './slot-ports';

describe('slot ports', () => {
  it('gives each of many new projects its own pair when their first deployments start at once', async () => {
    // 20 deployments of 20 new projects queued at once: every worker slot reads the same free ports.
    const block = await claimPortBlock();
    const api = apiAs(userCaller(await createUser()));
    const prefix = uniqueName('sp');
    const names = Array.from({ length: 12 }, (_, index) => `${prefix}-${index}`);
    for (const name of names) await api.project.create({ name });
    const projects = await Promise.all(
      names.map(async (name) => {
        const project = await projectRepo.findByName(name);
        if (!project) throw new Error(`no project ${name}`);
        return project;
      }),
    );
    const settings = { upstreamMode: 'host', portRange: [block.first, block.last] } as EngineSettings;
    // What the host holds is read from the engine first (tens of ms), which widens the window between
    // reading the free ports and claiming them.
    const hostPorts = {
      check: async () => {
        await new Promise((resolve) => setTimeout(resolve, 30));
        return async () => true;
      },
    };
    const given = await Promise.all(
      projects.map((project) =>
        ensureSlotPorts(project, { settings, hostPorts, repos: deploymentEngineRepos }),
      ),
    );
    const ports = given.flatMap((project) => [project.slotPortA, project.slotPortB]);
    expect(ports.every((port) => port !== null && port >= block.first && port <= block.last)).toBe(true);
    expect(new Set(ports).size).toBe(names.length * 2);
  });
});
