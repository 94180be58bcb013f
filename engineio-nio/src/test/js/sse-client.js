#!/usr/bin/env node
// The SSE transport plug-in (clients/sse/engine.io-sse.js) with the official engine.io-client 6.6.8 and the npm
// `eventsource` package, against an engineio-nio server with transports polling, websocket and sse.
//
// Usage: node sse-client.js <url> [scenario...]    (`node sse-client.js list` prints the scenario names)
// Prints one JSON line per scenario, {"ok":true,"scenario":...} or {"ok":false,"scenario":...,"error":...}, and
// exits 0 when every scenario passed, 1 otherwise. Each scenario has a hard timeout.
//
// The server's contract (SsePluginNodeTest): echo every message (text and binary); "texts" -> the text set of
// SseTransportTest.texts(), one message each; "flood:N:S" -> N messages "<i>:<S x's>"; "close-me" -> the server
// closes the session.
"use strict";

const net = require("net");
const path = require("path");
const { Socket, NodeWebSocket: WebSocket } = require("engine.io-client"); // the ws-based class in Node
const { EventSource } = require("eventsource");
const { sseTransport } = require(path.join(__dirname, "..", "..", "..", "..", "clients", "sse", "engine.io-sse.js"));

const SSE = sseTransport({ EventSource });
const TIMEOUT_MS = 20000;

const SPECIALS = ["\r", "\r\n", "\n", "\n\n", "\r\r", " ", "  ", "\0", "\u001e", "\u2028", "\u2029", "\uD83D\uDE00",
  "\uD800\uDC00", "\\", "\\n", "\\r", ":", "data: x", "\ufeff", "id: 1", "\t"];

function texts() {
  const l = [];
  for (const s of SPECIALS) l.push(s, s + "ab", "a" + s + "b", "ab" + s);
  l.push("");
  return l;
}

function check(cond, message) {
  if (!cond) throw new Error(message);
}

function open(url, transports, extra) {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = new Socket(`${u.protocol}//${u.host}`, Object.assign({ path: u.pathname, transports }, extra));
    socket.on("open", () => resolve(socket));
    socket.on("error", (e) => reject(new Error("socket error: " + (e && e.message) + " " + (e && e.description))));
  });
}

/** Collects messages until `n` arrived. */
function receive(socket, n) {
  return new Promise((resolve) => {
    const got = [];
    const on = (m) => {
      got.push(m);
      if (got.length === n) {
        socket.off("message", on);
        resolve(got);
      }
    };
    socket.on("message", on);
  });
}

function same(a, b) {
  return a === b || (a === undefined && b === "") || (a === "" && b === undefined);
}

const SCENARIOS = {
  async handshake(url) {
    const s = await open(url, [SSE]);
    check(s.transport.name === "sse", "transport " + s.transport.name);
    check(typeof s.id === "string" && s.id.length > 0, "no sid");
    const echo = receive(s, 1);
    s.send("hello");
    check((await echo)[0] === "hello", "echo");
    s.close();
    return {};
  },

  async texts(url) {
    const s = await open(url, [SSE]);
    const want = texts();
    let got = receive(s, want.length);
    s.send("texts");
    let msgs = await got;
    want.forEach((t, i) => check(same(msgs[i], t), `down #${i}: ${JSON.stringify(msgs[i])} != ${JSON.stringify(t)}`));
    // up: a polling payload separates packets with \u001e, so a text holding one goes up as two (as over polling)
    const up = want.filter((t) => t.indexOf("\u001e") < 0);
    got = receive(s, up.length);
    up.forEach((t) => s.send(t));
    msgs = await got;
    up.forEach((t, i) => check(same(msgs[i], t), `up #${i}: ${JSON.stringify(msgs[i])} != ${JSON.stringify(t)}`));
    s.close();
    return { down: want.length, up: up.length };
  },

  async binary(url) {
    const s = await open(url, [SSE]);
    const bytes = Buffer.alloc(256);
    for (let i = 0; i < 256; i++) bytes[i] = i;
    const got = receive(s, 2);
    s.send(bytes);
    s.send(new Uint8Array([1, 2, 3]).buffer);
    const [a, b] = await got;
    check(Buffer.isBuffer(a) && a.equals(bytes), "256 bytes");
    check(Buffer.isBuffer(b) && b.equals(Buffer.from([1, 2, 3])), "3 bytes");
    s.close();
    return {};
  },

  async megabyte(url) {
    const s = await open(url, [SSE]);
    const big = "\r\n\\n \u2028\uD83D\uDE00".repeat(50000) + "z".repeat(600000);
    const bin = Buffer.alloc(1000000, 7);
    const got = receive(s, 2);
    s.send(big);
    s.send(bin);
    const [a, b] = await got;
    check(a === big, "1 MB text differs (" + a.length + " chars)");
    check(Buffer.isBuffer(b) && b.equals(bin), "1 MB binary differs");
    s.close();
    return { chars: big.length };
  },

  async thousandInOrder(url) {
    const s = await open(url, [SSE]);
    let got = receive(s, 1000);
    s.send("flood:1000:10");
    let msgs = await got;
    msgs.forEach((m, i) => check(m === `${i}:xxxxxxxxxx`, `down #${i}: ${m}`));
    got = receive(s, 1000);
    for (let i = 0; i < 1000; i++) s.send("m" + i);
    msgs = await got;
    msgs.forEach((m, i) => check(m === "m" + i, `up #${i}: ${m}`));
    s.close();
    return {};
  },

  async upgradeUnderTraffic(url) {
    const s = await open(url, [SSE, WebSocket]);
    check(s.transport.name === "sse", "starts on sse");
    const N = 600;
    const got = receive(s, N);
    let upgraded = false;
    s.on("upgrade", (t) => { upgraded = t.name; });
    let i = 0;
    await new Promise((resolve) => {
      const tick = () => {
        for (let k = 0; k < 10 && i < N; k++) s.send("t" + i++);
        if (i < N) setTimeout(tick, 2); else resolve();
      };
      tick();
    });
    const msgs = await got;
    msgs.forEach((m, k) => check(m === "t" + k, `#${k}: ${m}`));
    if (!upgraded) await new Promise((resolve) => s.once("upgrade", resolve));
    check(s.transport.name === "websocket", "ends on " + s.transport.name);
    const after = receive(s, 1);
    s.send("after");
    check((await after)[0] === "after", "after the upgrade");
    s.close();
    return { upgradedDuringTraffic: upgraded === "websocket" };
  },

  async resumeAfterCut(url) {
    // A TCP proxy between client and server; cutting the stream's connection makes EventSource reconnect.
    const u = new URL(url);
    const conns = new Set();
    let resumes = 0;
    const proxy = net.createServer((c) => {
      const up = net.connect(Number(u.port), u.hostname);
      const pair = { c, up, stream: false };
      conns.add(pair);
      // Every request head on this connection (fetch reuses kept-alive connections: a stream's reconnection may
      // come on one that carried POSTs before).
      c.on("data", (d) => {
        const head = d.toString("latin1");
        if (head.startsWith("GET ")) {
          pair.stream = head.indexOf("transport=sse") > 0;
          if (/\r\nlast-event-id:/i.test(head)) resumes++;
        } else if (head.startsWith("POST ")) {
          pair.stream = false;
        }
      });
      c.pipe(up).pipe(c);
      const end = () => { c.destroy(); up.destroy(); conns.delete(pair); };
      c.on("error", end); up.on("error", end); c.on("close", end); up.on("close", end);
    });
    await new Promise((r) => proxy.listen(0, "127.0.0.1", r));
    const purl = `http://127.0.0.1:${proxy.address().port}${u.pathname}`;
    try {
      const s = await open(purl, [SSE]);
      let closed = null;
      s.on("close", (r) => { closed = r; });
      let got = receive(s, 3);
      ["a", "b", "c"].forEach((m) => s.send(m));
      await got;
      got = receive(s, 200);
      let cut = 0;
      for (const p of conns) if (p.stream) { p.c.destroy(); p.up.destroy(); cut++; }   // the cut
      check(cut === 1, "streams cut: " + cut);
      s.send("flood:200:20");                                               // sent while the stream is down
      const msgs = await got;
      msgs.forEach((m, i) => check(m === `${i}:${"x".repeat(20)}`, `#${i}: ${m}`));
      check(resumes >= 1, "no reconnection with Last-Event-ID");
      check(closed === null, "the socket closed: " + closed);
      check(s.transport.name === "sse", "transport " + s.transport.name);
      const after = receive(s, 1);
      s.send("after");
      check((await after)[0] === "after", "after the resume");
      s.close();
      return { resumes };
    } finally {
      proxy.close(); // open connections (the close POST may still be in flight) end with the process
    }
  },

  async clientClose(url) {
    const s = await open(url, [SSE]);
    const reason = new Promise((resolve) => s.on("close", (r) => resolve(r)));
    s.close();
    check((await reason) === "forced close", "client-side reason");
    return {};
  },

  async serverClose(url) {
    const s = await open(url, [SSE]);
    const reason = new Promise((resolve) => s.on("close", (r, d) => resolve([r, d && d.description])));
    s.send("close-me");
    const [r, d] = await reason;
    check(r === "transport close", "reason " + r);
    check(d === "transport closed by the server", "description " + d);
    return {};
  },
};

async function main() {
  const args = process.argv.slice(2);
  if (args[0] === "list") {
    console.log(Object.keys(SCENARIOS).join("\n"));
    return 0;
  }
  const url = args[0];
  const names = args.length > 1 ? args.slice(1) : Object.keys(SCENARIOS);
  let failed = 0;
  for (const name of names) {
    let timer;
    try {
      const facts = await Promise.race([
        SCENARIOS[name](url),
        new Promise((_, reject) => { timer = setTimeout(() => reject(new Error("timeout")), TIMEOUT_MS); }),
      ]);
      console.log(JSON.stringify(Object.assign({ ok: true, scenario: name }, facts)));
    } catch (e) {
      failed++;
      console.log(JSON.stringify({ ok: false, scenario: name, error: String(e && e.stack || e) }));
    } finally {
      clearTimeout(timer);
    }
  }
  return failed ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => { console.error(e); process.exit(2); });
