#!/usr/bin/env node
'use strict';
// Measures how often a held polling GET loses the race against a POST of the close packet sent at the same moment:
// the engine.io-protocol conformance case "close / HTTP long-polling / should forcefully close the session", repeated.
//
// Each round: a polling handshake, then a GET (to be held) and a POST with body "1" issued together (GET first, as the
// suite's Promise.all does), then a later GET. The suite expects the first GET answered 200 "6" and the later one 400.
// A round where the first GET gets 400 is a "lost" round: the server acted on the POST first. Part of that is the
// client's own race (both requests leave at once, on two TCP connections), so the reference is measured beside ours,
// the rounds of the two servers interleaved so that machine load falls on both alike.
//
// Usage (from the repository root, after `mvn -B -DskipTests package`, which also installs the reference's npm
// packages in engineio-nio/src/test/js/node_modules):
//   node benchmarks/node/close-order.js [--rounds 1000] [--agent keepalive|fresh|fetch] [--ours URL] [--reference URL]
//     --rounds N      rounds per server (default 1000; at most 100000)
//     --agent         keepalive (default): one keep-alive http.Agent per server (what node's default agent does
//                     since node 19): the GET reuses the handshake's idle connection and the POST opens a new one;
//                     fresh: every request on a new connection (both race from the TCP handshake on);
//                     fetch: node's global fetch (undici's keep-alive pool), the protocol suite's fetch on node 18+
//     --ours URL      measure a running server instead of starting examples' EchoServer (java on PATH)
//     --reference URL measure a running reference instead of starting engineio-nio/src/test/js/reference-echo-server.js
//     --only ours|reference  measure one server
// Servers it starts listen on 127.0.0.1 with a free port and stop when it ends. Every request has a 10 s timeout.
// Prints one line per server: rounds, lost (GET 400), won (GET 200 "6"), other outcomes, elapsed time.

const http = require('http');
const path = require('path');
const { spawn } = require('child_process');

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const rounds = Math.min(100000, Math.max(1, parseInt(option('--rounds', '1000'), 10)));
const agentMode = option('--agent', 'keepalive');
if (agentMode !== 'keepalive' && agentMode !== 'fresh' && agentMode !== 'fetch') {
  console.error('--agent must be keepalive, fresh or fetch');
  process.exit(2);
}
const only = option('--only', null);
const root = path.resolve(__dirname, '..', '..');
const REQUEST_TIMEOUT_MS = 10000;

function startServer(name, command, args, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${name}: no LISTENING line within 30 s`)), 30000);
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`${name} exited with ${code} before listening`)));
    child.stdout.on('data', (d) => {
      out += d.toString();
      const m = /LISTENING (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        child.stdout.removeAllListeners('data');
        child.stdout.resume();
        resolve({ url: `http://127.0.0.1:${m[1]}`, child });
      }
    });
  });
}

function request(agent, url, method, body) {
  if (agent === 'fetch') {
    const init = { method, body: body == null ? undefined : body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) };
    return fetch(url, init)
      .then(async (res) => ({ status: res.status, text: await res.text() }), (e) => ({ status: -1, text: String(e) }));
  }
  return new Promise((resolve) => {
    const req = http.request(url, { method, agent, headers: body == null ? {} : {
      'content-type': 'text/plain;charset=UTF-8', 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString() }));
      res.on('error', (e) => resolve({ status: -1, text: String(e) }));
    });
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error('timeout')));
    req.on('error', (e) => resolve({ status: -1, text: String(e) }));
    req.end(body == null ? undefined : body);
  });
}

async function round(base, agent) {
  const hs = await request(agent, `${base}/engine.io/?EIO=4&transport=polling`, 'GET');
  const m = /"sid":"([^"]+)"/.exec(hs.text);
  if (hs.status !== 200 || !m) return `handshake ${hs.status}`;
  const poll = `${base}/engine.io/?EIO=4&transport=polling&sid=${m[1]}`;
  const [get] = await Promise.all([request(agent, poll, 'GET'), request(agent, poll, 'POST', '1')]);
  const after = await request(agent, poll, 'GET');
  if (after.status !== 400) return `later GET ${after.status}`;
  if (get.status === 200 && get.text === '6') return 'won';
  if (get.status === 400) return 'lost';
  return `GET ${get.status} ${JSON.stringify(get.text.slice(0, 40))}`;
}

async function main() {
  const targets = [];
  const children = [];
  try {
    if (only !== 'reference') {
      let url = option('--ours', null);
      if (url == null) {
        const s = await startServer('ours', 'java', ['-cp', path.join(root, 'examples', 'target', 'examples.jar'),
          'dev.engineionio.examples.EchoServer', '0'], root);
        children.push(s.child);
        url = s.url;
      }
      targets.push({ name: 'ours', url });
    }
    if (only !== 'ours') {
      let url = option('--reference', null);
      if (url == null) {
        const s = await startServer('reference', process.execPath, ['reference-echo-server.js', '0',
          '--exit-on-stdin-close'], path.join(root, 'engineio-nio', 'src', 'test', 'js'));
        children.push(s.child);
        url = s.url;
      }
      targets.push({ name: 'reference', url });
    }
    for (const t of targets) {
      t.agent = agentMode === 'fetch' ? 'fetch'
        : new http.Agent({ keepAlive: agentMode === 'keepalive' });
      t.counts = {};
      t.ms = 0;
    }
    for (let i = 0; i < rounds; i++) {
      for (const t of targets) { // interleaved: load on the machine falls on both alike
        const start = process.hrtime.bigint();
        const outcome = await round(t.url, t.agent);
        t.ms += Number(process.hrtime.bigint() - start) / 1e6;
        t.counts[outcome] = (t.counts[outcome] || 0) + 1;
      }
    }
    console.log(`close-order: ${rounds} rounds per server, agent ${agentMode}, node ${process.version}`);
    for (const t of targets) {
      const other = Object.entries(t.counts).filter(([k]) => k !== 'won' && k !== 'lost')
        .map(([k, v]) => `${k}: ${v}`).join(', ');
      console.log(`${t.name.padEnd(9)} ${t.url}  lost (GET 400): ${t.counts.lost || 0}  won (GET 200 "6"): `
        + `${t.counts.won || 0}${other ? '  other: ' + other : ''}  (${(t.ms / 1000).toFixed(1)} s)`);
      if (t.agent !== 'fetch') t.agent.destroy();
    }
  } finally {
    for (const c of children) {
      c.stdin.end();
      c.kill('SIGTERM');
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
