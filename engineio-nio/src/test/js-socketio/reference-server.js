#!/usr/bin/env node
// The reference socket.io 4.8 server with the interop contract; SocketIoTestServer (Java, src/test/java) is its twin:
// both must behave the same for every scenario of client.js.
//   node reference-server.js <port> [--exit-on-stdin-close]    (0: any free port) prints "LISTENING <port>" when ready; 127.0.0.1 only.
// Contract: path /socket.io/, pingInterval 1000, pingTimeout 5000 (lenient: 200 clients of one loaded node process
// must not time out), maxHttpBufferSize 1e6, connectTimeout 1000,
// allowEIO3, CORS any origin.
//   middleware on "/" and "/custom": auth.token === "bad" -> Error("not authorized") with data {code: 42, why: "bad token"}
//   on connection ("/", "/custom", /^\/dyn-\d+$/): emit("auth", socket.handshake.auth) then:
//     "echo" (...args[, ack])        -> emit("echo-back", ...args); ack(...args) when asked
//     "join" (room, ack)             -> join; ack(rooms of the socket, sorted)
//     "leave" (room, ack)            -> leave; ack(rooms, sorted)
//     "to-room" (room, msg)          -> socket.to(room).emit("room-msg", msg)
//     "to-room-except" (room, except, msg, ack) -> nsp.to(room).except(except).emit("room-msg", msg); ack()
//     "broadcast" (msg)              -> socket.broadcast.emit("room-msg", msg)
//     "ask" (answer, ...args, ack)   -> socket.timeout(answer ? 2000 : 300).emitWithAck("question", answer, ...args)
//                                        -> ack({ok: true, answer: [..]}) or ack({ok: false, error: err.message})
//     "disconnect-me" (close)        -> socket.disconnect(close)
//     "last-reasons" (tag, ack)      -> ack(the disconnect reasons recorded for sockets whose auth.tag (protocol 4:
//                                        query tag) is tag, oldest first, as "<nsp> <reason>"; then forgets them)
//     "handshake" (ack)              -> ack({query: handshake.query, url, address, issuedIsNumber, idLength})
//     "set-data" (value, ack)        -> socket.data = value; ack()
//     "get-data" (ack)               -> ack(socket.data, socket.recovered)
//     "volatile-room" (room, msg, ack) -> nsp.volatile.to(room).emit("room-msg", msg); ack()
// A second server on a second port (printed next: "RECOVERY <port>") has the same contract plus
// connectionStateRecovery {maxDisconnectionDuration: 120000, skipMiddlewares: true}.
"use strict";
const { Server } = require("socket.io");
const http = require("http");

const port = Number(process.argv[2] || 0);
const httpServer = http.createServer();
const options = {
  path: "/socket.io/",
  pingInterval: 1000,
  pingTimeout: 5000,
  maxHttpBufferSize: 1e6,
  connectTimeout: 1000,
  allowEIO3: true,
  cors: { origin: "*" },
};
const io = new Server(httpServer, options);
const recoveryHttpServer = http.createServer();
const recoveryIo = new Server(recoveryHttpServer, Object.assign({}, options, {
  connectionStateRecovery: { maxDisconnectionDuration: 120000, skipMiddlewares: true },
}));
const reasons = [];

function guard(socket, next) {
  if (socket.handshake.auth && socket.handshake.auth.token === "bad") {
    const err = new Error("not authorized");
    err.data = { code: 42, why: "bad token" };
    return next(err);
  }
  next();
}

function setup(socket) {
  const nsp = socket.nsp;
  socket.emit("auth", socket.handshake.auth);
  const tag = socket.handshake.auth.tag || socket.handshake.query.tag;
  socket.on("disconnect", (reason) => reasons.push({ tag, text: nsp.name + " " + reason }));
  socket.on("echo", (...args) => {
    const ack = typeof args[args.length - 1] === "function" ? args.pop() : null;
    socket.emit("echo-back", ...args);
    if (ack) ack(...args);
  });
  socket.on("join", (room, ack) => {
    socket.join(room);
    ack([...socket.rooms].filter((r) => r !== socket.id).sort());
  });
  socket.on("leave", (room, ack) => {
    socket.leave(room);
    ack([...socket.rooms].filter((r) => r !== socket.id).sort());
  });
  socket.on("to-room", (room, msg) => socket.to(room).emit("room-msg", msg));
  socket.on("to-room-except", (room, except, msg, ack) => {
    nsp.to(room).except(except).emit("room-msg", msg);
    ack();
  });
  socket.on("broadcast", (msg) => socket.broadcast.emit("room-msg", msg));
  socket.on("ask", async (answer, ...rest) => {
    const ack = rest.pop();
    try {
      const reply = await socket.timeout(answer ? 2000 : 300).emitWithAck("question", answer, ...rest);
      ack({ ok: true, answer: [reply] });
    } catch (e) {
      ack({ ok: false, error: e.message });
    }
  });
  socket.on("disconnect-me", (close) => socket.disconnect(close));
  socket.on("last-reasons", (tag, ack) => {
    const mine = reasons.filter((r) => r.tag === tag);
    reasons.splice(0, reasons.length, ...reasons.filter((r) => r.tag !== tag));
    ack(mine.map((r) => r.text));
  });
  socket.on("set-data", (value, ack) => {
    socket.data = value;
    ack();
  });
  socket.on("get-data", (ack) => ack(socket.data, socket.recovered));
  socket.on("volatile-room", (room, msg, ack) => {
    nsp.volatile.to(room).emit("room-msg", msg);
    ack();
  });
  socket.on("handshake", (ack) => {
    const h = socket.handshake;
    ack({ query: h.query, url: h.url, address: h.address, issuedIsNumber: typeof h.issued === "number",
      idLength: socket.id.length, secure: h.secure, xdomain: h.xdomain });
  });
}

for (const server of [io, recoveryIo]) {
  for (const nsp of [server.of("/"), server.of("/custom"), server.of(/^\/dyn-\d+$/)]) {
    nsp.use(guard);
    nsp.on("connection", setup);
  }
}

httpServer.listen(port, "127.0.0.1", () => {
  recoveryHttpServer.listen(0, "127.0.0.1", () => {
    console.log("LISTENING " + httpServer.address().port);
    console.log("RECOVERY " + recoveryHttpServer.address().port);
  });
});
for (const sig of ["SIGTERM", "SIGINT"]) process.on(sig, () => process.exit(0));
if (process.argv.includes("--exit-on-stdin-close")) {
  // the Java harness holds our stdin: its end (the test JVM exited) stops this server
  process.stdin.on("end", () => process.exit(0));
  process.stdin.resume();
}
