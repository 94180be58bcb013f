#!/usr/bin/env node
// The reference echo server: npm engine.io 6.6.12 configured as the engine.io-protocol conformance suite
// configures it (path /engine.io/, maxHttpBufferSize 1e6, cors origin "*"), plus allowEIO3, but with engine.io's
// default heartbeat (pingInterval 25000, pingTimeout 20000) unless --pingInterval/--pingTimeout say otherwise: only
// the heartbeat cases run a fast heartbeat, so that a loaded machine slowing any other case past a ping interval does
// not put a ping into its answers or end its session. Every message is sent back unchanged (a Buffer stays binary, a
// string stays text).
//
// Usage: node reference-echo-server.js <port|0> [--no-eio3] [--cookie] [--forbid <reason>] [--pingInterval <ms>]
//        [--pingTimeout <ms>]
//   port 0        pick a free port; in every case the first stdout line is "LISTENING <port>".
//   --no-eio3     allowEIO3 false: EIO=3, missing or garbage EIO gets code 5 (the conformance-suite setting).
//   --cookie      cookie: true (Set-Cookie: io=<sid>; Path=/; HttpOnly; SameSite=Lax on the polling handshake).
//   --forbid <r>  allowRequest refuses every handshake with reason <r> (code 4, HTTP 403).
//   --pingInterval <ms>, --pingTimeout <ms>  the heartbeat (the heartbeat cases use 300 and 200, or 5000 where a
//                 pong must arrive in time: the engine.io-protocol suite's 300/200 with a forgiving deadline).
//   --exit-on-stdin-close  (harness only) exit when stdin closes, so a crashed parent test never leaves it behind.
// It binds 127.0.0.1 only and exits on SIGTERM/SIGINT. Requests outside /engine.io/ get 404 "not engine.io" (as in the wire transcripts).
"use strict";
const http = require("http");
const engine = require("engine.io");

function usage(msg) {
  process.stderr.write(`${msg}\nusage: node reference-echo-server.js <port|0> [--no-eio3] [--cookie] [--forbid <reason>] [--pingInterval <ms>] [--pingTimeout <ms>] [--exit-on-stdin-close]\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
if (args.length < 1 || !/^\d+$/.test(args[0])) usage("missing port");
const port = Number(args[0]);
const opts = {
  path: "/engine.io/",
  pingInterval: 25000,
  pingTimeout: 20000,
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
    case "--pingInterval":
    case "--pingTimeout": {
      const ms = args[++i];
      if (!/^\d+$/.test(ms || "")) usage(`${args[i - 1]} needs a number of milliseconds`);
      opts[args[i - 1].slice(2)] = Number(ms);
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
