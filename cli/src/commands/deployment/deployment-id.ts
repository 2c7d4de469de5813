import { deploymentIdArgument } from '../../lib/arguments';

/** Whether a positional is a deployment id rather than a project name (they never look alike). */
export const isDeploymentId = (value: string) => deploymentIdArgument.safeParse(value).success;
