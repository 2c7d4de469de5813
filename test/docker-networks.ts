/**
 * RISE_DOCKER_SUBNET_POOL for tests: project networks take /24s from here rather than from the
 * daemon's default pools (about 30 networks), which every engineer's tests on the machine share.
 */
export const TEST_SUBNET_POOL = '10.213.0.0/16';
