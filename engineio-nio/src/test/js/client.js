#!/usr/bin/env node
// Interop scenarios run by REAL engine.io clients against an echo server (the reference or ours).
//
// Usage: node client.js <url> <v6|v3> <scenario>
//   url       the server's Engine.IO endpoint, e.g. http://127.0.0.1:3000/engine.io/
//   v6        engine.io-client 6.6.8 (protocol EIO=4, the server pings)
//   v3        engine.io-client 3.5.6 (protocol EIO=3, the client pings; the server needs allowEIO3)
//   scenario  one of the names in SCENARIOS below (`node client.js list` prints them)
//
// Prints exactly one JSON line on stdout: {"ok":true,"scenario":...,...facts} and exits 0, or
// {"ok":false,"scenario":...,"error":"..."} and exits 1. A scenario that does not finish within its hard
// timeout fails with "timeout". Usage errors exit 2. The echo server contract is in README.md.
"use strict";

const http = require("http");

const HARD_TIMEOUT_MS = { default: 10000, concurrent: 30000, large: 20000 };

function fail(message) {
  const err = new Error(message);
  err.scenarioFailure = true;
  throw err;
}

function check(cond, message) {
  if (!cond) fail(message);
}

function toBytes(data) {
  if (Buffer.isBuffer(data)) return data;
  if (data instanceof ArrayBuffer) return Buffer.from(data);
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  fail(`expected binary data, got ${typeof data}: ${JSON.stringify(String(data)).slice(0, 80)}`);
}

function describeCloseDetail(d) {
  if (d === undefined || d === null) return undefined;
  if (typeof d === "string") return d;
  if (d instanceof Error) return d.message;
  if (d.description !== undefined) return `${describeCloseDetail(d.description)}`; // v6: {description, context}
  return d.message || String(d);
}

function describe(data) {
  if (typeof data === "string") return `text(${data.length}) ${JSON.stringify(data.slice(0, 40))}`;
  return `binary(${toBytes(data).length})`;
}

// ---- client factory -------------------------------------------------------------------------------------

function parseUrl(url) {
  const u = new URL(url);
  const path = u.pathname === "/" ? "/engine.io/" : u.pathname;
  return { origin: `${u.protocol}//${u.host}`, path, host: u.hostname, port: Number(u.port) };
}

// Every scenario relaxes the CLIENT's own heartbeat deadline to 5 s once open (see relaxClientHeartbeat): they test
// behaviour, not timing, and on a loaded 2-core machine one node process can stall longer than the 200 ms a v3 client
// allows for a pong. The server's deadlines are untouched: a server that stops pinging (v4) or answering pings (v3),
// or that drops sessions, still fails them (server-close:* relies on that, heartbeat:* waits for three heartbeats).
class Client {
  constructor(target, version, transports, extra = {}) {
    this.version = version;
    const opts = Object.assign({ path: target.path }, extra);
    if (transports) opts.transports = transports;
    if (version === "v6") {
      const { Socket } = require("engine.io-client");
      this.socket = new Socket(target.origin, opts);
    } else {
      const eio = require("eio-client-v3");
      this.socket = eio(target.origin, opts);
    }
    this.received = [];
    this.waiters = [];
    this.closed = null;
    this.upgraded = null;
    this.socket.on("message", (data) => {
      this.received.push(data);
      this.wake();
    });
    this.socket.on("upgrade", (transport) => {
      this.upgraded = transport && transport.name;
      this.wake();
    });
    this.socket.on("close", (reason, description) => {
      this.closed = { reason, description: describeCloseDetail(description) };
      this.wake();
    });
    this.opened = new Promise((resolve, reject) => {
      this.socket.on("open", () => {
        relaxClientHeartbeat(this.socket, version);
        resolve();
      });
      this.socket.on("error", (e) => reject(new Error(`client error before open: ${e && (e.message || e)}`)));
    });
  }

  get transportName() {
    return this.socket.transport && this.socket.transport.name;
  }

  wake() {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((w) => w());
  }

  // Resolves when predicate() holds (re-evaluated on every message/upgrade/close); fails fast on close.
  until(predicate, what, allowClose = false) {
    return new Promise((resolve, reject) => {
      const test = () => {
        let value;
        try {
          value = predicate();
        } catch (e) {
          reject(e);
          return;
        }
        if (value) resolve(value);
        else if (this.closed && !allowClose) {
          reject(new Error(`closed (${this.closed.reason}${this.closed.description ? ": " + this.closed.description : ""}) while waiting for ${what}`));
        } else this.waiters.push(test);
      };
      test();
    });
  }

  send(data) {
    this.socket.send(data);
  }

  async echo(messages) {
    const start = this.received.length;
    messages.forEach((m) => this.send(m));
    await this.until(() => this.received.length >= start + messages.length, `${messages.length} echoes`);
    const got = this.received.slice(start, start + messages.length);
    messages.forEach((m, i) => assertSame(m, got[i], i));
    check(this.received.length === start + messages.length, `more echoes than messages sent: ${this.received.length - start}`);
  }

  close() {
    this.socket.close();
  }
}

function assertSame(sent, got, index) {
  // Both engine.io-client versions deliver an empty text message (packet "4") as `undefined`: that is the
  // client's decoding of a packet without data, not a loss.
  if (sent === "" && got === undefined) return;
  if (typeof sent === "string") {
    check(typeof got === "string", `message ${index}: sent text, got ${describe(got)}`);
    check(got === sent, `message ${index}: sent ${describe(sent)}, got ${describe(got)}`);
  } else {
    check(typeof got !== "string", `message ${index}: sent binary, got ${describe(got)}`);
    const a = toBytes(sent);
    const b = toBytes(got);
    check(a.equals(b), `message ${index}: sent ${describe(sent)}, got different bytes ${describe(got)}`);
  }
}

function transportsFor(name) {
  switch (name) {
    case "polling": return ["polling"];
    case "websocket": return ["websocket"];
    default: fail(`unknown transport ${name}`);
  }
}

// A raw HTTP GET with the session id, to see the server's view of a session after the client is gone.
function rawGet(target, query) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: target.host, port: target.port, path: `${target.path}?${query}`, agent: false }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
  });
}

// Repeats the GET until the session is unknown (code 1). Bounded by the scenario's hard timeout; the pause
// between attempts only paces the loop, nothing is asserted about time.
async function awaitSessionGone(target, eio, sid) {
  for (;;) {
    const res = await rawGet(target, `EIO=${eio}&transport=polling&sid=${encodeURIComponent(sid)}`);
    if (res.status === 400 && res.body === '{"code":1,"message":"Session ID unknown"}') return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

function eioOf(version) {
  return version === "v6" ? 4 : 3;
}

// ---- scenarios -------------------------------------------------------------------------------------------

const TEXTS = ["hello", "", "😀", "é€😀 mixed", "a\x1eb", "\x1e", "line1\nline2\r\n", "\\n literal", "</script>\u2028\u2029", "\u0000nul", "x".repeat(10000)];

function binaries() {
  const all = Buffer.alloc(256);
  for (let i = 0; i < 256; i++) all[i] = i;
  const ab = new ArrayBuffer(3);
  new Uint8Array(ab).set([1, 2, 3]);
  return [all, ab, Buffer.from([0]), Buffer.from("😀", "utf8"), new Uint8Array([255, 254, 0x1e, 0x34])];
}

// Sizes that fit maxHttpBufferSize = 1e6 bytes on every transport and both protocols:
//   text:   v4 polling "4"+text, v3 polling "<len>:4"+text: 999_000 chars + at most 9 bytes of framing.
//   binary: v4 polling "b"+base64 (4/3 growth): 1+4*ceil(749_000/3) = 998_669 bytes; v3 binary payload smaller.
const LARGE_TEXT_CHARS = 999000;
const LARGE_BINARY_BYTES = 749000;
// One byte over the limit on every transport: a 1_000_001-character text message ("4"+text is 1_000_002 bytes).
const OVERSIZE_TEXT_CHARS = 1000001;

const SCENARIOS = {
  // Open on one transport only, echo one message, check the transport name and that no upgrade happened.
  async "polling"(t, v) { return basic(t, v, "polling"); },
  async "websocket"(t, v) { return basic(t, v, "websocket"); },

  // Default transports: opens on polling, must upgrade to websocket, then echo over it.
  async "upgrade"(t, v) {
    const c = new Client(t, v, null);
    await c.opened;
    const first = c.transportName;
    check(first === "polling", `first transport is ${first}, expected polling`);
    await c.until(() => c.upgraded, "the upgrade event");
    check(c.upgraded === "websocket", `upgraded to ${c.upgraded}`);
    check(c.transportName === "websocket", `transport after upgrade is ${c.transportName}`);
    await c.echo(["after-upgrade", Buffer.from([9, 8, 7])]);
    c.close();
    return { first, upgradedTo: c.upgraded };
  },

  async "text:polling"(t, v) { return texts(t, v, "polling"); },
  async "text:websocket"(t, v) { return texts(t, v, "websocket"); },
  async "separator:polling"(t, v) { return separator(t, v); },
  async "binary:polling"(t, v) { return binary(t, v, "polling"); },
  async "binary:websocket"(t, v) { return binary(t, v, "websocket"); },
  async "large:polling"(t, v) { return large(t, v, "polling"); },
  async "large:websocket"(t, v) { return large(t, v, "websocket"); },
  async "oversize:polling"(t, v) { return oversize(t, v, "polling"); },
  async "oversize:websocket"(t, v) { return oversize(t, v, "websocket"); },
  async "order:polling"(t, v) { return order(t, v, "polling"); },
  async "order:websocket"(t, v) { return order(t, v, "websocket"); },

  // 200 sessions open at the same time (default transports, so each also upgrades), each echoing 3 messages.
  // Sessions are opened in waves of 20 so that the start-up burst (200 handshakes and 200 upgrades) does not
  // stall this one node process; all 200 are open together at the end.
  async "concurrent"(t, v) {
    const n = 200;
    const wave = 20;
    const clients = [];
    for (let i = 0; i < n; i += wave) {
      const batch = [];
      for (let j = i; j < i + wave; j++) {
        batch.push(new Client(t, v, null));
      }
      await Promise.all(batch.map(async (c) => {
        await c.opened;
        await c.until(() => c.upgraded, "the upgrade event");
      }));
      clients.push(...batch);
    }
    const lost = clients.filter((c) => c.closed);
    check(lost.length === 0, `only ${n - lost.length} of ${n} sessions open together; closed: ${
      lost.map((c) => `${c.closed.reason}${c.closed.description ? " (" + c.closed.description + ")" : ""}`).join(", ")}`);
    await Promise.all(clients.map((c, i) => c.echo([`c${i}-1`, `c${i}-2`, Buffer.from([i & 0xff, 1, 2])])));
    const sids = new Set(clients.map((c) => c.socket.id));
    check(sids.size === n, `expected ${n} distinct sids, got ${sids.size}`);
    clients.forEach((c) => c.close());
    return { sessions: n, distinctSids: sids.size };
  },

  // Messages in both directions while the polling->websocket upgrade is in progress: a message is sent at
  // open, on "upgrading" and on "upgrade", and continuously in between; every echo must come back, in order.
  async "during-upgrade"(t, v) {
    const c = new Client(t, v, null);
    const sent = [];
    let seq = 0;
    const sendOne = (tag) => {
      const m = (seq % 5 === 4) ? Buffer.from(`${seq}:${tag}`) : `${seq}:${tag}`;
      seq++;
      sent.push(m);
      c.send(m);
    };
    let upgradingSeen = false;
    c.socket.on("upgrading", () => {
      upgradingSeen = true;
      for (let i = 0; i < 5; i++) sendOne("upgrading");
    });
    await c.opened;
    for (let i = 0; i < 10; i++) sendOne("open");
    let afterUpgrade = -1;
    const pump = setInterval(() => {
      if (afterUpgrade < 0 && c.upgraded) afterUpgrade = 0;
      if (afterUpgrade >= 20) return;
      if (afterUpgrade >= 0) afterUpgrade++;
      sendOne(c.upgraded ? "after" : "pump");
    }, 2);
    await c.until(() => c.upgraded, "the upgrade event");
    for (let i = 0; i < 5; i++) sendOne("upgrade");
    await c.until(() => afterUpgrade >= 20, "20 messages after the upgrade");
    clearInterval(pump);
    await c.until(() => c.received.length >= sent.length, `${sent.length} echoes`);
    sent.forEach((m, i) => assertSame(m, c.received[i], i));
    check(c.received.length === sent.length, `received ${c.received.length} echoes for ${sent.length} messages`);
    check(c.transportName === "websocket", `transport is ${c.transportName}`);
    c.close();
    return { messages: sent.length, upgradingEvent: upgradingSeen, upgradedTo: c.upgraded };
  },

  async "client-close:polling"(t, v) { return clientClose(t, v, "polling"); },
  async "client-close:websocket"(t, v) { return clientClose(t, v, "websocket"); },
  async "server-close:polling"(t, v) { return serverClose(t, v, "polling"); },
  async "server-close:websocket"(t, v) { return serverClose(t, v, "websocket"); },
  async "heartbeat:polling"(t, v) { return heartbeat(t, v, "polling"); },
  async "heartbeat:websocket"(t, v) { return heartbeat(t, v, "websocket"); },
};

// Only the client's deadline for hearing from the server (the 200 ms of the contract stays the server's): v6 waits pingInterval + _pingTimeout after each ping,
// v3 waits pingTimeout for each pong. Both fields are read when the next timer is armed.
function relaxClientHeartbeat(socket, v) {
  if (v === "v6") {
    check(typeof socket._pingTimeout === "number", "engine.io-client internals changed (_pingTimeout)");
    socket._pingTimeout = 5000;
  } else {
    check(typeof socket.pingTimeout === "number", "engine.io-client 3 internals changed (pingTimeout)");
    socket.pingTimeout = 5000;
  }
}

async function basic(t, v, transport) {
  const c = new Client(t, v, transportsFor(transport));
  await c.opened;
  check(c.transportName === transport, `transport is ${c.transportName}`);
  check(typeof c.socket.id === "string" && c.socket.id.length > 0, `no sid: ${c.socket.id}`);
  const sid = c.socket.id;
  await c.echo(["hello"]);
  check(!c.upgraded, `unexpected upgrade to ${c.upgraded}`);
  c.close();
  return { transport, sidLength: sid.length };
}

async function texts(t, v, transport) {
  const c = new Client(t, v, transportsFor(transport));
  await c.opened;
  // v4 polling cannot carry U+001E inside a text message (it is the payload separator): see "separator:polling".
  const list = (v === "v6" && transport === "polling") ? TEXTS.filter((m) => !m.includes("\x1e")) : TEXTS;
  // One at a time first (each in its own polling payload), then all at once (one payload with separators).
  for (const m of list) await c.echo([m]);
  await c.echo(list);
  c.close();
  return { transport, messages: list.length * 2 };
}

// The record separator U+001E inside a text message over polling. v3 frames by length: echoed intact.
// v4 (engine.io-parser 5) joins packets with U+001E and does not escape it, so the reference server splits
// "4a\x1eb" into the packets "4a" and "b" (a binary message with empty base64): the client gets back "a" and
// an empty binary message. That is the reference's behaviour, and ours must be the same.
async function separator(t, v) {
  const c = new Client(t, v, ["polling"]);
  await c.opened;
  if (v === "v3") {
    await c.echo(["a\x1eb", "\x1e", "x\x1e4y"]);
    c.close();
    return { split: false };
  }
  c.send("a\x1eb");
  await c.until(() => c.received.length >= 2, "two echoes");
  assertSame("a", c.received[0], 0);
  assertSame(Buffer.alloc(0), c.received[1], 1);
  c.send("x\x1e4y");
  await c.until(() => c.received.length >= 4, "two more echoes");
  assertSame("x", c.received[2], 2);
  assertSame("y", c.received[3], 3);
  check(c.received.length === 4, `received ${c.received.length} messages, expected 4`);
  c.close();
  return { split: true };
}

async function binary(t, v, transport) {
  const c = new Client(t, v, transportsFor(transport));
  await c.opened;
  const bins = binaries();
  for (const m of bins) await c.echo([m]);
  await c.echo(["text-between", ...bins, "text-after"]);
  c.close();
  return { transport, messages: bins.length * 2 + 2 };
}

async function large(t, v, transport) {
  const c = new Client(t, v, transportsFor(transport));
  await c.opened;
  const text = "é".repeat(10) + "y".repeat(LARGE_TEXT_CHARS - 20) + "😀".repeat(5); // 999_000 UTF-16 units
  const bin = Buffer.alloc(LARGE_BINARY_BYTES);
  for (let i = 0; i < bin.length; i++) bin[i] = (i * 31 + 7) & 0xff;
  const textBytes = Buffer.byteLength(text, "utf8");
  check(textBytes < 1e6 - 16, `test text too big: ${textBytes}`);
  await c.echo([text]);
  await c.echo([bin]);
  c.close();
  return { transport, textChars: text.length, textBytes, binaryBytes: bin.length };
}

async function oversize(t, v, transport) {
  const c = new Client(t, v, transportsFor(transport));
  await c.opened;
  await c.echo(["before"]);
  c.send("z".repeat(OVERSIZE_TEXT_CHARS));
  await c.until(() => c.closed, "the close that follows an oversized message", true);
  check(c.received.length === 1, `the oversized message was echoed (${c.received.length - 1} extra messages)`);
  // What the reference does: polling POST -> 413 (session kept, but the client gives up: "xhr post error");
  // websocket -> close 1009 -> the client sees "transport close".
  const expected = transport === "polling" ? "transport error" : "transport close";
  check(c.closed.reason === expected, `close reason ${c.closed.reason} (${c.closed.description}), expected ${expected}`);
  return { transport, closeReason: c.closed.reason, description: c.closed.description };
}

async function order(t, v, transport) {
  const c = new Client(t, v, transportsFor(transport));
  await c.opened;
  const n = 1000;
  const msgs = [];
  for (let i = 0; i < n; i++) msgs.push(i % 10 === 9 ? Buffer.from(String(i)) : `m${i}`);
  await c.echo(msgs);
  c.close();
  return { transport, messages: n };
}

async function clientClose(t, v, transport) {
  const c = new Client(t, v, transportsFor(transport));
  await c.opened;
  const sid = c.socket.id;
  await c.echo(["bye"]);
  c.close();
  await c.until(() => c.closed, "the close event", true);
  check(c.closed.reason === "forced close", `close reason ${c.closed.reason}, expected forced close`);
  await awaitSessionGone(t, eioOf(v), sid);
  return { transport, closeReason: c.closed.reason, sessionGone: true };
}

// After one echo the client stops its side of the heartbeat (v6: no pong, v3: no ping) and its own heartbeat timer,
// so only the server can end the session: it must close it (ping timeout) and the client must see it. Falling
// silent only after the echo keeps the echo out of a race with the server's 500 ms deadline on a slow machine.
async function serverClose(t, v, transport) {
  const c = new Client(t, v, transportsFor(transport));
  const s = c.socket;
  await c.opened;
  const sid = s.id;
  await c.echo(["still here"]);
  if (v === "v6") {
    const send = s._sendPacket;
    check(typeof send === "function" && typeof s._resetPingTimeout === "function", "engine.io-client internals changed");
    s._sendPacket = function (type, ...rest) {
      if (type === "pong") return undefined;
      return send.call(this, type, ...rest);
    };
    s._resetPingTimeout = function () {};
  } else {
    // setPing is looked up on each pong, so no ping follows the one that may already be scheduled
    check(typeof s.setPing === "function" && typeof s.onHeartbeat === "function", "engine.io-client 3 internals changed");
    s.setPing = function () {};
    s.onHeartbeat = function () {};
  }
  await c.until(() => c.closed, "the server to close the session", true);
  check(c.closed.reason === "transport close", `close reason ${c.closed.reason} (${c.closed.description}), expected transport close`);
  await awaitSessionGone(t, eioOf(v), sid);
  return { transport, closeReason: c.closed.reason, sessionGone: true };
}

// Stays idle (sends nothing) until three heartbeats went by, pings and pongs counted as they happen (v6: the server's
// pings and the client's pongs; v3: the client's pings and the server's pongs); then the session must still work.
// Nothing is timed: a server that stops its side of the heartbeat never reaches three and fails on the hard timeout.
async function heartbeat(t, v, transport) {
  const c = new Client(t, v, transportsFor(transport));
  let pings = 0;
  let pongs = 0;
  c.socket.on("ping", () => { pings++; c.wake(); });
  c.socket.on("pong", () => { pongs++; c.wake(); });
  await c.opened;
  await c.until(() => pings >= 3 && pongs >= 3, `three heartbeats (so far ${pings} pings, ${pongs} pongs)`);
  check(!c.closed, `closed while idle: ${c.closed && c.closed.reason}`);
  await c.echo(["awake"]);
  c.close();
  return { transport, pings, pongs };
}

// ---- main ------------------------------------------------------------------------------------------------

function timeoutFor(name) {
  const kind = name.split(":")[0];
  return HARD_TIMEOUT_MS[kind] || HARD_TIMEOUT_MS.default;
}

function main() {
  const [url, version, scenario] = process.argv.slice(2);
  if (url === "list") {
    process.stdout.write(Object.keys(SCENARIOS).join("\n") + "\n");
    process.exit(0);
  }
  if (!url || !["v6", "v3"].includes(version) || !SCENARIOS[scenario]) {
    process.stderr.write(`usage: node client.js <url> <v6|v3> <scenario>\n       node client.js list\nscenarios: ${Object.keys(SCENARIOS).join(", ")}\n`);
    process.exit(2);
  }
  const target = parseUrl(url);
  const finish = (code, result) => {
    process.stdout.write(JSON.stringify(Object.assign({ ok: code === 0, scenario, client: version }, result)) + "\n", () => process.exit(code));
  };
  const timer = setTimeout(() => finish(1, { error: `timeout after ${timeoutFor(scenario)} ms` }), timeoutFor(scenario));
  SCENARIOS[scenario](target, version).then(
    (facts) => { clearTimeout(timer); finish(0, facts); },
    (e) => { clearTimeout(timer); finish(1, { error: e && e.message ? e.message : String(e) }); },
  );
}

main();
