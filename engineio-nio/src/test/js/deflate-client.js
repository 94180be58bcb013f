#!/usr/bin/env node
// permessage-deflate (RFC 7692) against an engineio-nio server, with REAL clients: engine.io-client 6.6.8 (its
// Node WebSocket transport is npm ws, which offers permessage-deflate) and npm ws itself with explicit options.
//
// Usage: node deflate-client.js <engine.io url> <raw echo ws url>
//   engine.io url  e.g. http://127.0.0.1:3000/engine.io/ : an echo server with perMessageDeflate on
//   raw echo url   e.g. ws://127.0.0.1:3000/echo : a raw echo endpoint with permessage-deflate on
//
// Every server frame after the opening handshake is also read off the socket as raw bytes (a second 'data' listener,
// added on 'open'), so the checks see the wire: RSV1 set on the first frame of each compressed data message and
// nowhere else.
// Prints one JSON line {"ok":true,...facts} and exits 0, or {"ok":false,"error":...} and exits 1.
"use strict";

const { Socket } = require("engine.io-client");
// The ws 8 that engine.io-client uses (the top-level ws is 7.x, for the v3 client).
const WebSocket = require(require.resolve("ws", { paths: [require.resolve("engine.io-client")] }));

const [, , eioUrl, rawUrl] = process.argv;
if (!eioUrl || !rawUrl) {
  console.error("usage: node deflate-client.js <engine.io url> <raw echo ws url>");
  process.exit(2);
}
setTimeout(() => done(new Error("timeout")), 20000).unref();

function done(err, facts) {
  if (err) {
    console.log(JSON.stringify({ ok: false, error: String(err && err.stack || err) }));
    process.exit(1);
  }
  console.log(JSON.stringify({ ok: true, ...facts }));
  process.exit(0);
}

function check(cond, message) {
  if (!cond) throw new Error(message);
}

// Parses server frames (unmasked) from raw socket bytes: [{fin, rsv, opcode, length}].
function wireTap(socket) {
  const frames = [];
  let buf = Buffer.alloc(0);
  socket.on("data", (chunk) => {
    buf = Buffer.concat([buf, chunk]);
    for (;;) {
      if (buf.length < 2) return;
      let len = buf[1] & 0x7f;
      let at = 2;
      if (len === 126) {
        if (buf.length < 4) return;
        len = buf.readUInt16BE(2);
        at = 4;
      } else if (len === 127) {
        if (buf.length < 10) return;
        len = Number(buf.readBigUInt64BE(2));
        at = 10;
      }
      if (buf.length < at + len) return;
      frames.push({ fin: (buf[0] & 0x80) !== 0, rsv: (buf[0] >> 4) & 7, opcode: buf[0] & 0x0f, length: len });
      buf = buf.subarray(at + len);
    }
  });
  return frames;
}

function json(size, seed) {
  let s = "";
  let i = seed;
  while (s.length < size) s += `{"id":${i++},"type":"update","value":${(i * 7919) % 100000},"ok":true},`;
  return s.slice(0, size);
}

async function engineIo() {
  const socket = new Socket(eioUrl, { transports: ["websocket"] });
  let frames;
  let extensions;
  const received = [];
  await new Promise((resolve, reject) => {
    socket.on("error", reject);
    const ws = socket.transport.ws; // created synchronously by the constructor
    ws.on("upgrade", (res) => {
      extensions = res.headers["sec-websocket-extensions"] || "";
    });
    ws.on("open", () => {
      frames = wireTap(ws._socket);
    });
    socket.on("open", resolve);
  });
  check(extensions.startsWith("permessage-deflate"), `extension not agreed: "${extensions}"`);
  const messages = [json(10, 1), json(2000, 2), json(20000, 3), Buffer.from(json(5000, 4))];
  const echoed = new Promise((resolve) => {
    socket.on("message", (m) => {
      received.push(m);
      if (received.length === messages.length) resolve();
    });
  });
  for (const m of messages) socket.send(m);
  await echoed;
  for (let i = 0; i < messages.length; i++) {
    const sent = Buffer.isBuffer(messages[i]) ? messages[i] : Buffer.from(messages[i]);
    const got = Buffer.isBuffer(received[i]) ? received[i] : Buffer.from(received[i] instanceof ArrayBuffer
      ? new Uint8Array(received[i]) : received[i]);
    check(sent.equals(got), `message ${i} echoed wrong (${got.length} bytes for ${sent.length})`);
  }
  const data = frames.filter((f) => f.opcode === 1 || f.opcode === 2);
  const continuation = frames.filter((f) => f.opcode === 0);
  const control = frames.filter((f) => f.opcode >= 8);
  check(data.length >= messages.length, `too few data frames on the wire: ${data.length}`);
  check(data.every((f) => f.rsv === 4), `a data frame without RSV1: ${JSON.stringify(data)}`);
  check(continuation.every((f) => f.rsv === 0) && control.every((f) => f.rsv === 0), "RSV1 outside a first frame");
  const wireBytes = data.reduce((n, f) => n + f.length, 0);
  socket.close();
  return { eioExtensions: extensions, eioDataFrames: data.length, eioWireBytes: wireBytes };
}

// The polling handshake, then the upgrade to WebSocket, where the extension is agreed as on a direct WebSocket.
async function engineIoUpgrade() {
  const socket = new Socket(eioUrl);
  await new Promise((resolve, reject) => {
    socket.on("error", reject);
    socket.on("upgrade", resolve);
  });
  check(socket.transport.name === "websocket", `upgraded to ${socket.transport.name}`);
  const agreed = socket.transport.ws.extensions; // ws 8: the names of the agreed extensions
  check(agreed === "permessage-deflate", `extension after the upgrade: "${agreed}"`);
  const m = json(3000, 9);
  const echoed = new Promise((resolve) => socket.on("message", resolve));
  socket.send(m);
  check((await echoed) === m, "echo after the upgrade");
  socket.close();
  return agreed;
}

async function raw(options, label) {
  const ws = new WebSocket(rawUrl, { perMessageDeflate: options });
  let frames;
  let extensions;
  ws.on("upgrade", (res) => {
    extensions = res.headers["sec-websocket-extensions"] || "";
  });
  ws.on("open", () => {
    frames = wireTap(ws._socket);
  });
  await new Promise((resolve, reject) => {
    ws.on("open", resolve);
    ws.on("error", reject);
  });
  const messages = [json(16, 1), json(1500, 2), json(70000, 3), Buffer.from(json(131072, 5))];
  const received = [];
  const echoed = new Promise((resolve) => {
    ws.on("message", (m, isBinary) => {
      received.push({ m, isBinary });
      if (received.length === messages.length) resolve();
    });
  });
  for (const m of messages) ws.send(m, { binary: Buffer.isBuffer(m) });
  await echoed;
  for (let i = 0; i < messages.length; i++) {
    const sent = Buffer.isBuffer(messages[i]) ? messages[i] : Buffer.from(messages[i]);
    check(received[i].isBinary === Buffer.isBuffer(messages[i]), `${label}: message ${i} kind`);
    check(sent.equals(received[i].m), `${label}: message ${i} echoed wrong`);
  }
  const data = frames.filter((f) => f.opcode === 1 || f.opcode === 2);
  const snct = extensions.includes("server_no_context_takeover");
  // With the server's context reset per message, the threshold (1024) leaves the 16-byte message uncompressed.
  const expected = messages.map((m) => (!snct || Buffer.byteLength(m) >= 1024 ? 4 : 0));
  check(JSON.stringify(data.map((f) => f.rsv)) === JSON.stringify(expected),
    `${label}: RSV on the wire ${JSON.stringify(data.map((f) => f.rsv))}, expected ${JSON.stringify(expected)}`);
  ws.close();
  return extensions;
}

(async () => {
  const facts = await engineIo();
  facts.eioUpgraded = await engineIoUpgrade();
  facts.rawDefault = await raw(true, "default");
  facts.rawSmallClientWindow = await raw({ clientMaxWindowBits: 9, clientNoContextTakeover: true }, "window 9");
  facts.rawNoContext = await raw({ serverNoContextTakeover: true, clientNoContextTakeover: true }, "no context");
  facts.rawServerWindow15 = await raw({ serverMaxWindowBits: 15, clientMaxWindowBits: 8 }, "windows 15/8");
  done(null, facts);
})().catch((e) => done(e));
