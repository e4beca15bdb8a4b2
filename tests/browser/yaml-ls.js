// Opens one YAML file in yaml-language-server (the server VS Code's YAML
// extension runs), speaking LSP over stdio as an editor does, and prints
// the diagnostics it publishes for the file as JSON. Run from
// tests/suite/schema.rs: node yaml-ls.js SERVER FILE
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const { pathToFileURL } = require('url');

const [server, file] = process.argv.slice(2);
const uri = pathToFileURL(file).href;
// No schema store: it would be fetched from the internet.
const settings = {
  yaml: {
    validate: true,
    hover: false,
    completion: false,
    format: { enable: false },
    schemaStore: { enable: false },
    schemas: {},
  },
};

const child = spawn(process.execPath, [server, '--stdio'], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
let nextId = 1;
const pending = new Map();

function send(message) {
  const body = JSON.stringify({ jsonrpc: '2.0', ...message });
  child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

function request(method, params) {
  const id = nextId++;
  send({ id, method, params });
  return new Promise((resolve) => pending.set(id, resolve));
}

function finish(diagnostics, code) {
  process.stdout.write(JSON.stringify(diagnostics, null, 1) + '\n');
  child.kill();
  process.exit(code);
}

// The server answers once it has read the schema: the first
// non-empty diagnostics for the file are its findings. An editor waits
// the same way; the timeout only keeps a broken server from hanging CI.
const timeout = setTimeout(() => {
  process.stderr.write('no diagnostics from yaml-language-server within 60 s\n');
  finish([], 1);
}, 60000);

function handle(message) {
  if (message.id !== undefined && message.method === undefined) {
    const resolve = pending.get(message.id);
    pending.delete(message.id);
    if (resolve) resolve(message.result);
    return;
  }
  if (message.id !== undefined) {
    // A request from the server: configuration gets the settings, the
    // rest (capability registration, progress) a plain acknowledgement.
    const result =
      message.method === 'workspace/configuration'
        ? message.params.items.map((item) => {
            const section = item.section || '';
            return section.split('.').filter(Boolean).reduce((v, k) => (v ? v[k] : null), settings);
          })
        : null;
    send({ id: message.id, result });
    return;
  }
  if (
    message.method === 'textDocument/publishDiagnostics' &&
    message.params.uri === uri &&
    message.params.diagnostics.length > 0
  ) {
    clearTimeout(timeout);
    finish(message.params.diagnostics, 0);
  }
}

let buffer = Buffer.alloc(0);
child.stdout.on('data', (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  for (;;) {
    const end = buffer.indexOf('\r\n\r\n');
    if (end < 0) return;
    const header = buffer.slice(0, end).toString();
    const length = Number(/Content-Length: (\d+)/i.exec(header)[1]);
    if (buffer.length < end + 4 + length) return;
    const body = buffer.slice(end + 4, end + 4 + length).toString();
    buffer = buffer.slice(end + 4 + length);
    handle(JSON.parse(body));
  }
});

(async () => {
  await request('initialize', {
    processId: process.pid,
    rootUri: null,
    capabilities: {
      workspace: { configuration: true },
      textDocument: { publishDiagnostics: {} },
    },
    initializationOptions: settings,
  });
  send({ method: 'initialized', params: {} });
  send({ method: 'workspace/didChangeConfiguration', params: { settings } });
  send({
    method: 'textDocument/didOpen',
    params: {
      textDocument: { uri, languageId: 'yaml', version: 1, text: fs.readFileSync(file, 'utf8') },
    },
  });
})();
