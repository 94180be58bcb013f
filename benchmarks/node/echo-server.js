'use strict';
// Reference echo server for benchmarks/compare.sh: npm engine.io (version pinned in package-lock.json).
// Usage: node echo-server.js <port> [--pingInterval ms] [--pingTimeout ms] [--host 127.0.0.1]
// Echoes every message back on the same socket. Path /engine.io/, maxHttpBufferSize 1e6, cors *, allowEIO3.
// Prints one line "engine.io echo listening pid=<pid> port=<port> version=<v>" once it accepts connections.
const http = require('http');
const { Server } = require('engine.io');

function option(name, fallback) {
  const i = process.argv.indexOf(name);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const port = parseInt(process.argv[2] || '3000', 10);
const pingInterval = parseInt(option('--pingInterval', '25000'), 10);
const pingTimeout = parseInt(option('--pingTimeout', '20000'), 10);
const host = option('--host', '127.0.0.1');

const engine = new Server({
  path: '/engine.io/',
  pingInterval,
  pingTimeout,
  maxHttpBufferSize: 1e6,
  allowEIO3: true,
  cors: { origin: '*' },
});
engine.on('connection', (socket) => {
  socket.on('message', (data) => socket.send(data));
});

const httpServer = http.createServer();
engine.attach(httpServer, { path: '/engine.io/' });
httpServer.listen(port, host, () => {
  const version = require('./node_modules/engine.io/package.json').version;
  console.log(`engine.io echo listening pid=${process.pid} port=${httpServer.address().port} version=${version}`);
});

function stop() {
  engine.close();
  httpServer.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
