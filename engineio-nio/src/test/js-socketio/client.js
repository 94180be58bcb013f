#!/usr/bin/env node
// Socket.IO interop scenarios with the real socket.io-client, run against our server and the reference alike.
//   node client.js <base url, e.g. http://127.0.0.1:3000> <v4|v2> <scenario>[:polling|:websocket]
//   node client.js list
// Prints one JSON line {"ok":true,...} and exits 0, or {"ok":false,"error":...} and exits 1. Hard timeout 15 s.
// The server contract is in reference-server.js.
"use strict";
const assert = require("assert");
const ioV4 = require("socket.io-client");
const ioV2 = require("sio-client-v2");
// the engine.io-client 6 that socket.io-client 4.8 uses (the top-level one belongs to socket.io-client 2)
const eio = require(require.resolve("engine.io-client", { paths: [require.resolve("socket.io-client")] }));

const [base, version, spec] = process.argv.slice(2);
const [scenario, transport] = (spec || "").split(":");

const progress = []; // what a scenario has done so far, reported when it times out
const timer = setTimeout(() => finish(new Error("timeout in scenario " + scenario + " after " +
  JSON.stringify(progress))), 15000);
const opened = [];

let finished = false;
function finish(err, facts) {
  if (finished) return;
  finished = true;
  clearTimeout(timer);
  for (const s of opened) s.close();
  setTimeout(() => report(err, facts), 50); // lets the close packets go out: no session is left to time out
}

function report(err, facts) {
  if (err) {
    console.log(JSON.stringify({ ok: false, scenario, version, error: String(err && err.stack || err) }));
    process.exit(1);
  }
  console.log(JSON.stringify(Object.assign({ ok: true, scenario, version }, facts || {})));
  process.exit(0);
}

function connect(nsp, opts = {}) {
  const o = Object.assign({ path: "/socket.io/", reconnection: false, forceNew: true, timeout: 5000 }, opts);
  if (transport) o.transports = [transport];
  let s;
  if (version === "v2") {
    if (o.auth) {
      o.query = o.auth; // protocol 4 has no auth payload: the namespace's query is the handshake's auth
      delete o.auth;
    }
    s = ioV2(base + nsp, o);
  } else {
    s = ioV4(base + nsp, o);
  }
  opened.push(s);
  return s;
}

// a queue of an Engine.IO socket's messages: several can arrive in one polling payload, emitted in one tick
function inbox(e) {
  const queue = [];
  const waiting = [];
  e.on("message", (m) => (waiting.length ? waiting.shift()(m) : queue.push(m)));
  return () => (queue.length ? Promise.resolve(queue.shift()) : new Promise((r) => waiting.push(r)));
}
const once = (s, ev) => new Promise((resolve) => s.once(ev, (...args) => resolve(args)));
const connected = (s) => new Promise((resolve, reject) => {
  s.once("connect", () => resolve());
  s.once("connect_error", (e) => reject(e));
  s.once("error", (e) => reject(e)); // v2: a refused namespace
});
const emitAck = (s, ...args) => new Promise((resolve) => s.emit(...args, (...reply) => resolve(reply)));
const delay = (ms) => new Promise((r) => setTimeout(r, ms));
const bin = (...bytes) => Buffer.from(bytes);
const toBuf = (x) => (x instanceof ArrayBuffer ? Buffer.from(x) : x);

// buffers come back as Buffer (node); compare structurally
function norm(v) {
  if (v instanceof ArrayBuffer) return { $bin: Buffer.from(v).toString("hex") };
  if (Buffer.isBuffer(v)) return { $bin: v.toString("hex") };
  if (Array.isArray(v)) return v.map(norm);
  if (v && typeof v === "object") {
    const o = {};
    for (const k of Object.keys(v)) o[k] = norm(v[k]);
    return o;
  }
  return v;
}
const same = (a, b, msg) => assert.deepStrictEqual(norm(a), norm(b), msg);

const VALUES = [
  "", "hello", "é€😀", "\u0000\u001f\"\\/\b\f\n\r\t", "\u2028\u2029</script>", 0, -1, 1.5, 1e21, 1e-7, 123456789012,
  -0.000001, true, false, null, [], {}, [1, [2, [3, [4]]]], { a: 1, b: { c: [null, "x"] } }, "a".repeat(5000),
];

const scenarios = {
  async "connect-auth"() {
    const auth = { token: "abc", n: 1, nested: { x: [1, 2] } };
    const s = connect("/", { auth });
    const got = once(s, "auth");
    await connected(s);
    const [a] = await got;
    // protocol 4: "/" is joined without a CONNECT packet, so no auth; the options went into the handshake's query
    if (version === "v2") same(a, {});
    else same(a, auth);
    const [h] = await emitAck(s, "handshake");
    assert.strictEqual(h.idLength, 20);
    assert.strictEqual(h.issuedIsNumber, true);
    assert.strictEqual(h.secure, false);
    assert.ok(h.url.startsWith("/socket.io/?"), h.url);
    assert.ok(h.url.includes("EIO=" + (version === "v2" ? "3" : "4") + "&transport="), h.url);
    assert.strictEqual(h.query.EIO, version === "v2" ? "3" : "4");
    if (version === "v2") assert.strictEqual(h.query.token, "abc");
    assert.ok(h.address.includes("127.0.0.1"), h.address);
    if (version === "v4") assert.strictEqual(s.id.length, 20);
    return { id: s.id };
  },
  async "connect-no-auth"() {
    const s = connect("/");
    const got = once(s, "auth");
    await connected(s);
    same((await got)[0], {});
  },
  async "connect-refused"() {
    const s = connect("/custom", { auth: { token: "bad" } });
    const err = await new Promise((resolve) => {
      s.once("connect_error", resolve);
      s.once("error", resolve);
      s.once("connect", () => resolve(new Error("connected")));
    });
    if (version === "v2") {
      same(err, { code: 42, why: "bad token" }); // protocol 4: err.data || err.message
    } else {
      assert.strictEqual(err.message, "not authorized");
      same(err.data, { code: 42, why: "bad token" });
    }
    return { message: err.message };
  },
  async "invalid-namespace"() {
    const s = connect("/nope");
    const err = await new Promise((resolve) => {
      s.once("connect_error", resolve);
      s.once("error", resolve);
      s.once("connect", () => resolve(new Error("connected")));
    });
    assert.strictEqual(err.message, "Invalid namespace");
  },
  async "namespaces"() {
    const a = connect("/custom", { auth: { who: "custom" } });
    const gotA = once(a, "auth");
    await connected(a);
    same((await gotA)[0], { who: "custom" }); // protocol 4: the namespace's query ("0/custom?who=custom,")
    const d = connect("/dyn-42");
    await connected(d);
    const [echo] = await emitAck(d, "echo", "from dyn");
    same(echo, "from dyn");
  },
  async "events"() {
    const s = connect("/");
    await connected(s);
    for (const v of VALUES) {
      const back = once(s, "echo-back");
      s.emit("echo", v, "second");
      same(await back, [v, "second"], JSON.stringify(v));
    }
    const back = once(s, "echo-back");
    s.emit("echo");
    same(await back, []);
    return { values: VALUES.length };
  },
  async "acks"() {
    const s = connect("/");
    await connected(s);
    for (const v of VALUES) {
      const reply = await emitAck(s, "echo", v, { k: v });
      same(reply, [v, { k: v }]);
    }
    if (version === "v4") {
      const r = await s.timeout(3000).emitWithAck("echo", "x");
      same(r, "x");
      // a listener that never acknowledges: the client's own timeout fires
      const err = await s.timeout(200).emitWithAck("no-such-event").then(() => null, (e) => e);
      assert.ok(err && err.message === "operation has timed out", String(err));
    }
  },
  async "server-acks"() {
    const s = connect("/");
    await connected(s);
    s.on("question", (answer, ...rest) => {
      const cb = rest.pop();
      if (answer) cb({ got: rest });
    });
    const [ok] = await emitAck(s, "ask", true, "a", { b: [1] });
    same(ok, { ok: true, answer: [{ got: ["a", { b: [1] }] }] });
    const [late] = await emitAck(s, "ask", false, "no answer");
    same(late, { ok: false, error: "operation has timed out" });
  },
  async "binary"() {
    const s = connect("/");
    await connected(s);
    const cases = [
      [bin(1, 2, 3)],
      [bin()],
      [Buffer.from(Array.from({ length: 256 }, (_, i) => i))],
      ["text", bin(0xff), { nested: [bin(7), { deep: bin(8, 9) }] }, bin(10)],
      [{ _placeholder: false, num: 0 }, bin(1)],
    ];
    for (const c of cases) {
      const back = once(s, "echo-back");
      s.emit("echo", ...c);
      same((await back).map(toBuf), c);
      const reply = await emitAck(s, "echo", ...c);
      same(reply, c);
    }
    // binary in the server's acknowledgement request and the client's reply
    s.on("question", (answer, ...rest) => rest.pop()({ got: rest, extra: bin(42) }));
    const [ok] = await emitAck(s, "ask", true, bin(5, 6));
    same(ok, { ok: true, answer: [{ got: [bin(5, 6)], extra: bin(42) }] });
    return { cases: cases.length };
  },
  async "rooms"() {
    const a = connect("/"), b = connect("/"), c = connect("/");
    await Promise.all([connected(a), connected(b), connected(c)]);
    same((await emitAck(b, "join", "r1"))[0], ["r1"]);
    same((await emitAck(c, "join", "r1"))[0], ["r1"]);
    same((await emitAck(c, "join", "r2"))[0], ["r1", "r2"]);
    const got = { a: [], b: [], c: [] };
    for (const [k, s] of Object.entries({ a, b, c })) s.on("room-msg", (m) => got[k].push(m));
    await emitAck(a, "to-room-except", "r1", "r2", "m1"); // b only
    b.emit("to-room", "r1", "m2"); // c only (the sender is excluded)
    c.emit("broadcast", "m3"); // a and b
    await emitAck(a, "to-room-except", "r2", "none", "m4"); // c
    same((await emitAck(c, "leave", "r2"))[0], ["r1"]);
    await emitAck(a, "to-room-except", "r2", "none", "m5"); // nobody
    await delay(100);
    await emitAck(a, "echo"); await emitAck(b, "echo"); await emitAck(c, "echo");
    for (const k of Object.keys(got)) got[k].sort(); // no order between different senders
    same(got, { a: ["m3"], b: ["m1", "m3"], c: ["m2", "m4"] });
  },
  async "disconnect-reasons"() {
    // the server records each disconnect with the socket's tag (auth.tag; protocol 4: the query's tag)
    const tag = "t" + process.pid + "-" + Date.now();
    const a = connect("/", { auth: { tag } });
    await connected(a);
    a.close();
    const b = connect("/", { auth: { tag } });
    await connected(b);
    const reason = once(b, "disconnect");
    b.emit("disconnect-me", false);
    same((await reason)[0], "io server disconnect");
    const c = connect("/custom", { auth: { tag } });
    await connected(c);
    const creason = once(c, "disconnect");
    c.emit("disconnect-me", true);
    same((await creason)[0], "io server disconnect");
    const p = connect("/dyn-1", { auth: { tag: "probe" } });
    await connected(p);
    const expected = version === "v2"
      // protocol 4: every client is also in "/", and disconnect(true) on "/custom" disconnects its "/" first
      ? ["/ client namespace disconnect", "/ server namespace disconnect", "/ server namespace disconnect",
        "/custom server namespace disconnect"]
      : ["/ client namespace disconnect", "/ server namespace disconnect", "/custom server namespace disconnect"];
    let r = [];
    for (let i = 0; i < 50 && r.length < expected.length; i++) {
      r = r.concat((await emitAck(p, "last-reasons", tag))[0]);
      if (r.length < expected.length) await delay(20);
    }
    same(r, expected);
    return { reasons: r };
  },
  async "connect-timeout"() {
    // an Engine.IO session that never connects a namespace is closed after connectTimeout (1000 ms)
    if (version === "v2") return { skipped: "protocol 4 joins / without asking" };
    const e = new eio.Socket(base, { path: "/socket.io/", transports: transport ? [transport] : undefined });
    opened.push(e);
    await once(e, "open");
    const [reason] = await once(e, "close");
    assert.strictEqual(reason, "transport close");
    return { reason };
  },
  async "parse-error"() {
    // packets the reference's decoder refuses close the Engine.IO session; a socket sees "transport close"
    if (version === "v2") return { skipped: "same decoder" };
    // closes: invalid payload, unknown type, bad attachment counts, a reserved event name, CONNECT with an array,
    // CONNECT_ERROR from a client, an EVENT without a name, DISCONNECT for a namespace not joined, a second CONNECT
    const bad = ["2{}", "9", "5-", "5x-[]", "511-[]", "2[\"connect\"]", "0[]", "41{}", "2[]", "2[{}]", "1/nope,", "0",
      "2[\"x\"", "51-[\"x\"]", "3", "2"];
    const seen = progress;
    for (const msg of bad) {
      const e = new eio.Socket(base, { path: "/socket.io/", transports: transport ? [transport] : undefined });
      opened.push(e);
      const next = inbox(e);
      await once(e, "open");
      e.send("0");
      const m = await next();
      assert.ok(m.startsWith("0{\"sid\":"), m);
      assert.strictEqual(await next(), "2[\"auth\",{}]");
      const closed = once(e, "close");
      e.send(msg);
      if (msg === "3" || msg === "2") {
        // decoded but harmless: an ACK with no id and no data, an EVENT without data; the session lives
        e.send("2[\"echo\",1]");
        assert.strictEqual(await next(), "2[\"echo-back\",1]");
        e.close();
      } else if (msg === "51-[\"x\"]") {
        // a text while the attachment is awaited: "got plaintext data when reconstructing a packet"
        e.send("2[\"echo\",1]");
        assert.strictEqual((await closed)[0], "transport close", msg);
      } else {
        const [reason] = await closed;
        assert.strictEqual(reason, "transport close", msg);
      }
      seen.push(msg);
    }
    return { seen };
  },
  async recovery() {
    // (the server's twin port with connectionStateRecovery) a cut client that comes back in time gets its id, rooms,
    // data and the packets broadcast to its rooms meanwhile, but not the volatile one nor those for other rooms
    if (version === "v2") return { skipped: "protocol 4 has no connection-state recovery" };
    const a = connect("/");
    const b = connect("/");
    const got = [];
    a.on("room-msg", (m) => got.push(m));
    await Promise.all([connected(a), connected(b)]);
    assert.strictEqual(a.recovered, false);
    const id = a.id;
    same((await emitAck(a, "join", "r1"))[0], ["r1"]);
    await emitAck(a, "set-data", { x: 1, y: ["z"] });
    await emitAck(b, "to-room-except", "r1", "none", "before");
    progress.push("joined");
    const cut = once(a, "disconnect");
    a.io.engine.close(); // the transport goes away under the socket: a recoverable "transport close" on the server
    progress.push("cut " + (await cut)[0]);
    await delay(200); // lets the server see the cut before the broadcasts (guard only: either order must pass)
    await emitAck(b, "to-room-except", "r1", "none", "missed-room");
    await emitAck(b, "volatile-room", "r1", "missed-volatile");
    await emitAck(b, "to-room-except", "r9", "none", "other-room");
    b.emit("broadcast", "missed-all");
    await emitAck(b, "echo");
    progress.push("broadcast");
    a.connect();
    await connected(a);
    assert.strictEqual(a.recovered, true, "not recovered");
    assert.strictEqual(a.id, id);
    const [data, recoveredOnServer] = await emitAck(a, "get-data");
    same(data, { x: 1, y: ["z"] });
    assert.strictEqual(recoveredOnServer, true);
    same((await emitAck(a, "join", "r2"))[0], ["r1", "r2"]);
    same(got, ["before", "missed-room", "missed-all"]);
    // a second, fresh client is not recovered
    const c = connect("/");
    await connected(c);
    assert.strictEqual(c.recovered, false);
    return { got };
  },
  async "many-clients"() {
    const n = 200;
    const all = [];
    for (let w = 0; w < n; w += 20) {
      const wave = [];
      for (let i = w; i < w + 20; i++) {
        const s = connect("/", { auth: { i } });
        s.on("disconnect", (reason) => finish(new Error("client " + i + " disconnected: " + reason)));
        wave.push(connected(s).then(() => emitAck(s, "echo", i)).then((r) => same(r, [i])));
        all.push(s);
      }
      await Promise.all(wave);
    }
    const ids = new Set(all.map((s) => s.id));
    for (const s of all) s.off("disconnect");
    assert.strictEqual(ids.size, n);
    return { clients: n };
  },
};

if (base === "list") {
  console.log(Object.keys(scenarios).join("\n"));
  process.exit(0);
}
if (!scenarios[scenario] || !["v4", "v2"].includes(version)) {
  console.error("usage: node client.js <base url> <v4|v2> <scenario>[:polling|:websocket]");
  process.exit(2);
}
scenarios[scenario]().then((facts) => finish(null, facts), (e) => finish(e));
