#!/usr/bin/env node
// socket.io-client 4.8's browser bundle (dist/socket.io.min.js) in headless Chromium (Debian's /usr/bin/chromium, or
// $CHROMIUM_PATH) driven by playwright-core, against the Socket.IO server serving <url> (SocketIoBrowserTest): two
// pages connect with an auth payload; A emits with an acknowledgement (JSON and binary both ways) and gets a binary
// event; both join a room; B's message to the room reaches A (not B); A's page ends on WebSocket after the upgrade.
//
//   node sio-browser-e2e.js http://127.0.0.1:3000/
//
// Prints one JSON line: {"ok":true,...facts} and exits 0, or {"ok":false,"error":...} and exits 1 (2: usage).
// Every wait is on a page condition or a promise with a timeout; nothing sleeps.
"use strict";
const fs = require("fs");

const [url] = process.argv.slice(2);
if (!url) {
  console.error("usage: node sio-browser-e2e.js <url of the page>");
  process.exit(2);
}
const executablePath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const STEP_TIMEOUT_MS = 15000;
const RUN_TIMEOUT_MS = 90000;
const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync"];

function fail(error) {
  console.log(JSON.stringify({ ok: false, error: String(error && error.stack ? error.stack : error) }));
  process.exit(1);
}

function check(cond, what, got) {
  if (!cond) throw new Error(what + " (got " + JSON.stringify(got) + ")");
}

async function main() {
  if (!fs.existsSync(executablePath)) {
    throw new Error("no Chromium at " + executablePath + ": install it (Debian/Ubuntu: apt-get install -y chromium)"
      + " or set CHROMIUM_PATH");
  }
  const { chromium } = require("playwright-core");
  const browser = await chromium.launch({ executablePath, headless: true, args: ARGS, timeout: 30000 });
  const errors = [];
  try {
    async function open(label) {
      const context = await browser.newContext();
      const page = await context.newPage();
      page.setDefaultTimeout(STEP_TIMEOUT_MS);
      page.on("pageerror", (e) => errors.push(label + ": " + e.message));
      await page.goto(url);
      await page.waitForFunction(() => typeof window.io === "function");
      // connect in the page; every page-side wait has its own timeout
      const id = await page.evaluate(async (name) => {
        window.got = [];
        window.welcome = null;
        const s = window.io({ auth: { name } });
        window.s = s;
        s.on("said", (m) => window.got.push(m));
        s.on("welcome", (bin, text) => { window.welcome = [Array.from(new Uint8Array(bin)), text]; });
        await new Promise((resolve, reject) => {
          s.on("connect", resolve);
          s.on("connect_error", reject);
          setTimeout(() => reject(new Error("no connect")), 10000);
        });
        return s.id;
      }, label);
      return { page, id };
    }
    const a = await open("A");
    const b = await open("B");
    check(typeof a.id === "string" && a.id.length === 20 && a.id !== b.id, "two 20-character socket ids", [a.id, b.id]);

    const json = await a.page.evaluate(() => window.s.timeout(10000).emitWithAck("echo", "héllo", { n: [1, 2] }));
    check(JSON.stringify(json) === JSON.stringify({ args: ["héllo", { n: [1, 2] }], name: "A" }),
      "the JSON ack", json);
    const bin = await a.page.evaluate(async () => {
      const reply = await window.s.timeout(10000).emitWithAck("echo-binary", new Uint8Array([0, 255, 7]).buffer,
        { nested: [new Uint8Array([9]).buffer] });
      return { isBuffer: reply instanceof ArrayBuffer, bytes: Array.from(new Uint8Array(reply)) };
    });
    check(bin.isBuffer && JSON.stringify(bin.bytes) === "[0,255,7,9]", "the binary ack (bytes joined by the server)",
      bin);
    await a.page.waitForFunction(() => window.welcome !== null);
    const welcome = await a.page.evaluate(() => window.welcome);
    check(JSON.stringify(welcome) === JSON.stringify([[1, 2, 3], "A"]), "the binary welcome event", welcome);

    for (const p of [a, b]) {
      const rooms = await p.page.evaluate(() => window.s.timeout(10000).emitWithAck("join", "room1"));
      check(JSON.stringify(rooms) === "[\"room1\"]", "joined room1", rooms);
    }
    await b.page.evaluate(() => window.s.emit("say", "room1", "hello from B"));
    await a.page.waitForFunction(() => window.got.includes("hello from B"));
    // B's own message is not sent back to B (socket.to excludes the sender): an ack round trip after it proves B
    // got everything the server sent before
    await b.page.evaluate(() => window.s.timeout(10000).emitWithAck("echo"));
    const bGot = await b.page.evaluate(() => window.got);
    check(bGot.length === 0, "the sender does not get its room message", bGot);

    await a.page.waitForFunction(() => window.s.io.engine.transport.name === "websocket");
    check(errors.length === 0, "no page errors", errors);
    return { ok: true, browser: browser.version(), ids: [a.id, b.id], transport: "websocket" };
  } finally {
    await browser.close();
  }
}

const guard = setTimeout(() => fail(new Error("no result within " + RUN_TIMEOUT_MS + " ms")), RUN_TIMEOUT_MS);
main().then((facts) => {
  clearTimeout(guard);
  console.log(JSON.stringify(facts));
  process.exit(0);
}, (e) => {
  clearTimeout(guard);
  fail(e);
});
