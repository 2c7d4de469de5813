import Dockerode from 'dockerode';

/**
 * A client of the local Docker engine, as every Docker adapter of Rise reaches it: DOCKER_HOST (and
 * DOCKER_TLS_VERIFY / DOCKER_CERT_PATH) when set, else the default socket.
 */
export function dockerClient(): Dockerode {
  return new Dockerode();
}
