import Dockerode from 'dockerode';
import { dockerBuild } from './build-images';

// A base image for Dockerfiles that tests write the way a user would (`FROM …`, `RUN …`, `CMD …`),
// built locally because no registry is reachable: `FROM scratch` plus Debian's static busybox with
// its applets linked into /bin, so shell-form RUN and CMD work. Carries the label rise.test=1.

export const TEST_BUSYBOX_BASE_IMAGE = 'rise-test/busybox-base:1';

/** Builds the base image unless it exists; returns its tag. */
export async function buildBusyboxBaseImage(docker = new Dockerode()): Promise<string> {
  const present = await docker
    .getImage(TEST_BUSYBOX_BASE_IMAGE)
    .inspect()
    .then(
      () => true,
      () => false,
    );
  if (present) return TEST_BUSYBOX_BASE_IMAGE;
  await dockerBuild(
    docker,
    TEST_BUSYBOX_BASE_IMAGE,
    () => {},
    [
      'FROM scratch',
      'LABEL rise.test=1',
      'COPY busybox /bin/busybox',
      'RUN ["/bin/busybox", "--install", "-s", "/bin"]',
      'CMD ["/bin/sh"]',
    ],
    { busybox: '/bin/busybox' },
  );
  return TEST_BUSYBOX_BASE_IMAGE;
}
