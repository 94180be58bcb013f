#!/usr/bin/env node
// The reference echo server: npm engine.io 6.6.12 configured as the engine.io-protocol conformance suite
// configures it (path /engine.io/, pingInterval 300, pingTimeout 200, maxHttpBufferSize 1e6, cors origin "*"),
// plus allowEIO3. Every message is sent back unchanged (a Buffer stays binary, a string stays text).
//
// Usage: node reference-echo-server.js <port|0> [--no-eio3] [--cookie] [--forbid <reason>]
//   port 0        pick a free port; in every case the first stdout line is "LISTENING <port>".
//   --no-eio3     allowEIO3 false: EIO=3, missing or garbage EIO gets code 5 (the conformance-suite setting).
//   --cookie      cookie: true (Set-Cookie: io=<sid>; Path=/; HttpOnly; SameSite=Lax on the polling handshake).
//   --forbid <r>  allowRequest refuses every handshake with reason <r> (code 4, HTTP 403).
//   --exit-on-stdin-close  (harness only) exit when stdin closes, so a crashed parent test never leaves it behind.
// It binds 127.0.0.1 only and exits on SIGTERM/SIGINT. Requests outside /engine.io/ get 404 "not engine.io" (as in the wire transcripts).
"use strict";
const http = require("http");
const engine = require("engine.io");

function usage(msg) {
  process.stderr.write(`${msg}\nusage: node reference-echo-server.js <port|0> [--no-eio3] [--cookie] [--forbid <reason>] [--exit-on-stdin-close]\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
if (args.length < 1 || !/^\d+$/.test(args[0])) usage("missing port");
const port = Number(args[0]);
const opts = {
  path: "/engine.io/",
  pingInterval: 300,
  pingTimeout: 200,
  maxHttpBufferSize: 1e6,
  cors: { origin: "*" },
  allowEIO3: true,
};
let watchStdin = false;
for (let i = 1; i < args.length; i++) {
  switch (args[i]) {
    case "--no-eio3": opts.allowEIO3 = false; break;
    case "--cookie": opts.cookie = true; break;
    case "--forbid": {
      const reason = args[++i];
      if (reason === undefined) usage("--forbid needs a reason");
      opts.allowRequest = (req, fn) => fn(reason, false);
      break;
    }
    case "--exit-on-stdin-close": watchStdin = true; break;
    default: usage(`unknown flag ${args[i]}`);
  }
}

const httpServer = http.createServer((req, res) => {
  res.writeHead(404);
  res.end("not engine.io");
});
const server = engine.attach(httpServer, opts);
server.on("connection", (socket) => {
  socket.on("message", (data) => socket.send(data));
});

httpServer.listen(port, "127.0.0.1", () => {
  process.stdout.write(`LISTENING ${httpServer.address().port}\n`);
});

function shutdown() {
  server.close();
  httpServer.close();
  process.exit(0);
}
process.on("SIGTERM", shutdown);
process.on("SIGINT", shutdown);
if (watchStdin) {
  process.stdin.on("end", shutdown);
  process.stdin.on("error", shutdown);
  process.stdin.resume();
}
