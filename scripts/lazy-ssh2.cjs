// Stands in for `ssh2` inside docker-modem (bundled by server-bundle.mjs). docker-modem loads ssh2 at
// start-up for ssh:// Docker hosts, and ssh2 then holds about 17 MiB (its poly1305 WebAssembly memory)
// in every process that talks to Docker; this loads it on the first ssh:// connection instead.
function Client(...args) {
  const { Client: RealClient } = require('ssh2');
  return new RealClient(...args);
}
module.exports = { Client };
