import { engineReposContract } from '../engine-repos-contract';
import { FakeClock } from './fake-clock';
import { InMemoryEngineStore } from './in-memory-engine-store';

let nextPort = 40_000;

engineReposContract('in memory', async () => {
  const store = new InMemoryEngineStore(new FakeClock());
  return {
    repos: store.repos,
    addProject: async (project) => store.addProject(project),
    addDeployment: async (deployment) => store.addDeployment(deployment),
    addGroup: async (projectId, name, host) => {
      store.addGroup(projectId, name, host);
    },
    freePorts: async () => [nextPort++, nextPort++, nextPort++, nextPort++],
  };
});
