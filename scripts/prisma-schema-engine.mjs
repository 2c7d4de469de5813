#!/usr/bin/env node
// Stand-in for Prisma's native `schema-engine` binary, used when that binary cannot be downloaded
// (scripts/prisma.mjs points PRISMA_SCHEMA_ENGINE_BINARY here). It speaks the binary's protocol to the
// Prisma CLI and runs every request on the official WebAssembly build of the same engine
// (@prisma/schema-engine-wasm), which talks to PostgreSQL through @prisma/adapter-pg.
//
//   schema-engine [--datamodels <file>]... [--datasource <json>]          JSON-RPC 2.0, one message per line
//   schema-engine --datasource <json> cli can-connect-to-database|create-database|drop-database
//   schema-engine --version
//
// stdout carries protocol messages only; logs go to stderr as JSON lines, like the native engine.

import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const { PrismaPg } = require('@prisma/adapter-pg');
// Transitive dependencies, resolved from the packages that depend on them so they are found even unhoisted.
const { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum, isDriverAdapterError } = createRequire(
  require.resolve('@prisma/adapter-pg'),
)('@prisma/driver-adapter-utils');
const { parse: parseConnectionString } = createRequire(require.resolve('pg'))('pg-connection-string');

const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;
const RPC_ERROR = 4466; // what the native engine uses for every user-facing error
const RPC_METHOD_NOT_FOUND = -32601;
const RPC_PARSE_ERROR = -32700;

// Error codes for connection failures. The wasm constructor reports them as plain messages without a code,
// so they are recovered from the last driver error seen while connecting.
const CONNECTION_ERROR_CODES = {
  AuthenticationFailed: 'P1000',
  DatabaseNotReachable: 'P1001',
  DatabaseDoesNotExist: 'P1003',
  DatabaseAccessDenied: 'P1010',
  TlsConnectionError: 'P1011',
  ConnectionClosed: 'P1017',
};

// Methods the CLI may call that the wasm engine implements under the same name.
const FORWARDED_METHODS = new Set([
  'applyMigrations',
  'createMigration',
  'dbExecute',
  'debugPanic',
  'devDiagnostic',
  'diagnoseMigrationHistory',
  'diff',
  'ensureConnectionValidity',
  'evaluateDataLoss',
  'introspect',
  'introspectSql',
  'markMigrationApplied',
  'markMigrationRolledBack',
  'reset',
  'schemaPush',
]);
const RENAMED_METHODS = { getDatabaseVersion: 'version' };

function log(level, message, fields = {}) {
  const line = {
    timestamp: new Date().toISOString(),
    level,
    fields: { message, ...fields },
    target: 'schema_engine::logger',
  };
  process.stderr.write(`${JSON.stringify(line)}\n`);
}

// Anything written to stdout would corrupt the protocol, and the CLI expects JSON lines on stderr.
console.log = console.info = console.debug = console.error;
process.removeAllListeners('warning');
process.on('warning', (warning) => log('WARN', warning.message));

let panicMessage;
globalThis.PRISMA_WASM_PANIC_REGISTRY = {
  set_message: (message) => {
    panicMessage = message;
  },
};

// A panic in one of the engine's background tasks surfaces here instead of failing the pending call. While
// serving, fail that call and keep running: the CLI hangs, then exits 0 silently, if the engine is gone by the
// time it stops it. Otherwise report it like the native engine: an ERROR line on stderr and exit code 101.
let failPendingCall;
process.on('uncaughtException', (error) => {
  const isPanic = error instanceof WebAssembly.RuntimeError;
  if (isPanic && failPendingCall) return failPendingCall(error);
  log('ERROR', isPanic ? (panicMessage ?? error.message) : String(error?.stack ?? error), {
    is_panic: isPanic,
  });
  process.exit(isPanic ? 101 : 1);
});

const wasmEngine = await loadWasmEngine();

async function loadWasmEngine() {
  // The package's entry point imports the .wasm file as an ES module, which Node 20 cannot do without a
  // flag, so do by hand what that entry point does.
  const bindings = await import('@prisma/schema-engine-wasm/schema_engine_bg');
  const wasmFile = path.join(
    path.dirname(require.resolve('@prisma/schema-engine-wasm')),
    'schema_engine_bg.wasm',
  );
  const { instance } = await WebAssembly.instantiate(await readFile(wasmFile), {
    './schema_engine_bg.js': bindings,
  });
  bindings.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  return bindings;
}

// --- database access ---------------------------------------------------------------------------------------

const openAdapters = new Set();
let lastDriverError;

function connectionTarget(url) {
  if (!url) {
    throw new Error(
      'No datasource URL. Set `datasource.url` in prisma.config.ts: the offline schema engine ' +
        '(scripts/prisma-schema-engine.mjs) needs a database connection for every command, `migrate diff` included.',
    );
  }
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new Error('The offline schema engine only supports postgresql:// datasource URLs.');
  }
  // Discrete fields rather than `connectionString`: pg lets a connection string override `database`, and the
  // shadow database is reached by swapping that field. `schema` and `connect_timeout` are Prisma's parameters.
  const { schema, connect_timeout: connectTimeout = '5', ...config } = parseConnectionString(url);
  return {
    // One connection, like the native engine: Migrate's advisory lock and session settings must stay on the
    // session that took them.
    config: { ...config, max: 1, connectionTimeoutMillis: Number(connectTimeout) * 1000 },
    schema,
  };
}

async function connect({ config, schema }) {
  const adapter = await new PrismaPg(config, { schema }).connect();
  // The engine hands whole migration scripts to executeScript. PrismaPg splits them on ';' (breaking
  // $$-quoted function bodies and literals) and runs the pieces one by one; the native engine sends the
  // script as a single simple query, which Postgres runs as one implicit transaction. Do the same.
  adapter.executeScript = async (script) => {
    await adapter.executeRaw({ sql: script, args: [], argTypes: [] });
  };
  reportCharColumns(adapter);
  for (const method of ['queryRaw', 'executeRaw', 'executeScript']) {
    const call = adapter[method].bind(adapter);
    adapter[method] = async (...args) => {
      try {
        return await call(...args);
      } catch (error) {
        if (isDriverAdapterError(error)) lastDriverError = error.cause;
        throw error;
      }
    };
  }
  const dispose = adapter.dispose.bind(adapter);
  adapter.dispose = async () => {
    openAdapters.delete(adapter);
    await dispose();
  };
  openAdapters.add(adapter);
  return adapter;
}

// The engine's catalog queries select Postgres's internal one-byte "char" type (pg_constraint.contype, ...) and
// read it as a Character value, but PrismaPg rejects that type as unsupported, so every command that
// describes a live database (diff against migrations or the database, dev, push, pull) would fail. Report it
// as text to get past PrismaPg's type mapping, then correct the column type of the result.
function reportCharColumns(adapter) {
  if (typeof adapter.performIO !== 'function') return; // a PrismaPg internal; only these commands need it
  const charColumnsByRows = new WeakMap();
  const performIO = adapter.performIO.bind(adapter);
  adapter.performIO = async (query) => {
    const result = await performIO(query);
    const charColumns = [];
    result?.fields?.forEach((field, index) => {
      if (field.dataTypeID !== PG_CHAR_OID) return;
      field.dataTypeID = PG_TEXT_OID;
      charColumns.push(index);
    });
    if (charColumns.length) charColumnsByRows.set(result.rows, charColumns);
    return result;
  };
  const queryRaw = adapter.queryRaw.bind(adapter);
  adapter.queryRaw = async (query) => {
    const result = await queryRaw(query);
    for (const index of charColumnsByRows.get(result.rows) ?? []) {
      result.columnTypes[index] = ColumnTypeEnum.Character;
    }
    return result;
  };
}

const quoteIdent = (name) => `"${name.replaceAll('"', '""')}"`;

// The wasm engine takes a driver-adapter factory and asks it for the shadow database too (used by
// `migrate diff --from-migrations` and `migrate dev`).
function adapterFactory(datasource) {
  const main = connectionTarget(datasource?.url);
  return {
    provider: 'postgres',
    adapterName: new PrismaPg({}).adapterName,
    connect: () => connect(main),
    async connectToShadowDb() {
      if (datasource.shadowDatabaseUrl) return connect(connectionTarget(datasource.shadowDatabaseUrl));
      // A throwaway database next to the main one, dropped once its own pool is closed (PrismaPg's version
      // tries to drop it while still connected to it).
      const admin = await connect(main);
      const database = `prisma_migrate_shadow_db_${randomUUID()}`;
      await admin.executeScript(`CREATE DATABASE ${quoteIdent(database)}`);
      const shadow = await connect({ ...main, config: { ...main.config, database } });
      const dispose = shadow.dispose;
      shadow.dispose = async () => {
        try {
          await dispose();
          await admin.executeScript(`DROP DATABASE IF EXISTS ${quoteIdent(database)}`);
        } finally {
          await admin.dispose();
        }
      };
      return shadow;
    },
  };
}

// Errors thrown by JavaScript under the adapter reach the engine only as "External error id#N", N indexing the
// registry of the factory that caught them.
let errorRegistry;
function errorMessage(error) {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(
    /External error id#(\d+)/g,
    (text, id) => errorRegistry?.consumeError(Number(id))?.error?.message ?? text,
  );
}

async function createEngine(datasource, datamodels) {
  const factory = bindMigrationAwareSqlAdapterFactory(adapterFactory(datasource));
  errorRegistry = factory.errorRegistry;
  const forwardLog = (line) => process.stderr.write(line.endsWith('\n') ? line : `${line}\n`);
  lastDriverError = undefined;
  try {
    return await wasmEngine.SchemaEngine.new({ datamodels }, forwardLog, factory);
  } catch (error) {
    error.code ??= CONNECTION_ERROR_CODES[lastDriverError?.kind];
    throw error;
  } finally {
    lastDriverError = undefined;
  }
}

async function closeConnections() {
  // Newest first: a shadow database is dropped through the connection it was created from.
  for (const adapter of [...openAdapters].reverse()) {
    if (openAdapters.has(adapter)) await adapter.dispose().catch(() => {});
  }
}

// --- `cli` subcommands -----------------------------------------------------------------------------------

// Runs `script` on the server's maintenance database, as the native engine does for CREATE/DROP DATABASE.
async function runOnServer(datasource, script) {
  const url = new URL(datasource.url);
  let engine;
  for (const database of ['postgres', 'template1']) {
    url.pathname = `/${database}`;
    try {
      engine = await createEngine({ url: url.href });
      break;
    } catch (error) {
      if (error.code !== 'P1003' || database === 'template1') throw error;
    }
  }
  await engine.dbExecute({ datasourceType: { tag: 'url', url: url.href }, script });
}

async function runCliCommand(command, datasource) {
  if (command === 'can-connect-to-database') {
    const engine = await createEngine(datasource);
    await engine.ensureConnectionValidity({ datasource: { tag: 'ConnectionString', url: datasource.url } });
    return 'Connection successful';
  }
  const { database } = connectionTarget(datasource?.url).config;
  if (!database) throw new Error('The datasource URL does not name a database.');
  if (command === 'create-database') {
    await runOnServer(datasource, `CREATE DATABASE ${quoteIdent(database)}`);
    return `Database '${database}' was successfully created.`;
  }
  if (command === 'drop-database') {
    await runOnServer(datasource, `DROP DATABASE ${quoteIdent(database)}`);
    return 'The database was successfully dropped.';
  }
  throw new Error(`Unknown cli command: ${command}`);
}

// --- JSON-RPC server -------------------------------------------------------------------------------------

function send(message) {
  process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
}

function toRpcError(error) {
  if (error instanceof WebAssembly.RuntimeError) {
    const message = panicMessage ?? error.message;
    return { code: RPC_ERROR, message, data: { is_panic: true, message, backtrace: error.stack ?? null } };
  }
  const data = { is_panic: false, message: errorMessage(error), backtrace: null };
  if (typeof error?.code === 'string' && /^P\d{4}$/.test(error.code)) data.error_code = error.code;
  return { code: RPC_ERROR, message: 'An error happened. Check the data field for details.', data };
}

function serve(datasource, datamodelPaths) {
  let engine;
  let panicked = false;
  // The wasm engine takes `&mut self`: requests must run one at a time.
  let queue = Promise.resolve();
  // Requests this side sends to the CLI (`print`), by id.
  const pending = new Map();
  let nextRequestId = 1;

  function request(method, params) {
    const id = nextRequestId++;
    send({ id, method, params });
    return new Promise((resolve) => pending.set(id, resolve));
  }

  async function getEngine() {
    if (engine) return engine;
    const datamodels = datamodelPaths.length
      ? await Promise.all(datamodelPaths.map(async (file) => [file, await readFile(file, 'utf8')]))
      : undefined;
    engine = await createEngine(datasource, datamodels);
    return engine;
  }

  async function handle({ id, method, params }) {
    const target = RENAMED_METHODS[method] ?? (FORWARDED_METHODS.has(method) ? method : undefined);
    if (!target) {
      send({ id, error: { code: RPC_METHOD_NOT_FOUND, message: `Method not found: ${method}` } });
      return;
    }
    try {
      if (panicked) throw new Error('The schema engine panicked earlier; restart it.');
      const result = await new Promise((resolve, reject) => {
        failPendingCall = reject;
        getEngine()
          .then((instance) => instance[target](params))
          .then(resolve, reject);
      }).finally(() => {
        failPendingCall = undefined;
      });
      // The wasm engine returns the diff as `stdout`; the CLI only prints (and captures for `--output`) what
      // the native engine sends it through `print` requests while the call is running.
      if (method === 'diff' && result?.stdout) {
        await request('print', { content: result.stdout.replace(/\n$/, '') });
      }
      send({ id, result: result ?? null });
    } catch (error) {
      if (error instanceof WebAssembly.RuntimeError) panicked = true;
      send({ id, error: toRpcError(error) });
    }
  }

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await queue;
    await closeConnections();
    process.exit(0);
  };

  readline
    .createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY })
    .on('line', (line) => {
      if (!line.trim()) return;
      let message;
      try {
        message = JSON.parse(line);
      } catch {
        send({ id: null, error: { code: RPC_PARSE_ERROR, message: 'Parse error' } });
        return;
      }
      if (typeof message?.method === 'string') {
        queue = queue.then(() => handle(message));
      } else if (pending.has(message?.id)) {
        pending.get(message.id)();
        pending.delete(message.id);
      }
    })
    .on('close', shutdown);
  // The CLI sends SIGTERM as soon as it has closed stdin.
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

// --- entry point -----------------------------------------------------------------------------------------

const { values: args, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    datamodels: { type: 'string', short: 'd', multiple: true, default: [] },
    datasource: { type: 'string' },
    'enabled-preview-features': { type: 'string' },
    'extension-types': { type: 'string' },
    version: { type: 'boolean', short: 'V' },
  },
});

if (args.version) {
  process.stdout.write(`schema-engine-cli ${wasmEngine.version()}\n`);
  process.exit(0);
}

const datasource = args.datasource ? JSON.parse(args.datasource) : undefined;
if (args['extension-types'])
  log('WARN', 'Extension types are not supported by the offline schema engine: ignored.');

if (positionals[0] === 'cli') {
  // The CLI skips the first stderr line and parses the rest as JSON to find the error.
  log('INFO', 'Starting schema engine CLI', { git_hash: wasmEngine.version() });
  let exitCode = 0;
  try {
    log('INFO', await runCliCommand(positionals[1], datasource));
  } catch (error) {
    const code = typeof error?.code === 'string' ? error.code : '';
    log('ERROR', errorMessage(error), { is_panic: false, error_code: code });
    exitCode = 1;
  }
  await closeConnections();
  process.exit(exitCode);
} else if (positionals.length > 0) {
  log('ERROR', `Unexpected arguments: ${positionals.join(' ')}`);
  process.exit(1);
} else {
  serve(datasource, args.datamodels);
}
