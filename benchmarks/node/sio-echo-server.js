#!/usr/bin/env node
// The npm socket.io 4.8 echo server for the Socket.IO load runs (LoadMain ws --socketio, idle --socketio), the twin
// of dev.engineionio.bench.load.SioEchoServer: path /socket.io/, every "echo" event back to its sender as an
// "echo" event with the same arguments; 127.0.0.1 only.
//   node benchmarks/node/sio-echo-server.js PORT [--pingInterval MS] [--pingTimeout MS]
//        [--room-broadcast SESSIONS BROADCASTS]   (every socket joins "room"; once SESSIONS are connected, and 2 s later,
//                                                  a bounded loop of BROADCASTS io.to("room").emit("tick", i))
// prints "LISTENING <port> <pid>" when ready.
"use strict";
const http = require("http");
const { Server } = require("socket.io");

const args = process.argv.slice(2);
const port = Number(args[0] || 3000);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const httpServer = http.createServer();
const io = new Server(httpServer, {
  path: "/socket.io/",
  pingInterval: opt("--pingInterval", 25000),
  pingTimeout: opt("--pingTimeout", 20000),
});
const rb = args.indexOf("--room-broadcast");
const roomSessions = rb >= 0 ? Number(args[rb + 1]) : 0;
const broadcasts = rb >= 0 ? Number(args[rb + 2]) : 0;
let connected = 0;
io.on("connection", (socket) => {
  socket.on("echo", (...a) => socket.emit("echo", ...a));
  if (roomSessions > 0) {
    socket.join("room");
    if (++connected === roomSessions) {
      setTimeout(() => {
        const t0 = process.hrtime.bigint();
        for (let i = 0; i < broadcasts; i++) io.to("room").emit("tick", i);
        const s = Number(process.hrtime.bigint() - t0) / 1e9;
        console.log("BROADCAST " + broadcasts + " x " + io.of("/").sockets.size + " sockets handed to the sessions in "
          + s.toFixed(3) + " s");
      }, 2000);
    }
  }
});
httpServer.listen(port, "127.0.0.1", () => {
  console.log("LISTENING " + httpServer.address().port + " " + process.pid);
});
for (const sig of ["SIGTERM", "SIGINT"]) process.on(sig, () => process.exit(0));
