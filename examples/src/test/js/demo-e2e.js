#!/usr/bin/env node
// The demo in a real browser: headless Chromium (Debian's /usr/bin/chromium, or $CHROMIUM_PATH) driven by
// playwright-core. Two pages join the chat served at <url>: A with the default transports, B with ?transport=polling
// on a phone-sized viewport (390 px wide: the form must fit, its Send button is clicked).
// A third page, C, with ?transport=sse (Server-Sent Events only, native EventSource) chats with A.
// A sends to B and B to A; A's page must show the upgrade (polling, then websocket), B's must stay on polling; both must
// show a round-trip time; B leaves and A is told. Screenshots: <screenshot> (page A) and <screenshot>-polling.png (B).
//
//   node demo-e2e.js http://127.0.0.1:3000/ ../../../target/demo-e2e.png
//
// Prints one JSON line: {"ok":true,...facts} and exits 0, or {"ok":false,"error":...} and exits 1 (2: usage).
// Every wait is on a page condition (waitForFunction / waitForSelector) with a timeout; nothing sleeps.
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");

const [url, screenshot] = process.argv.slice(2);
if (!url || !screenshot) {
  console.error("usage: node demo-e2e.js <url of the demo page> <screenshot.png>");
  process.exit(2);
}
const executablePath = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const STEP_TIMEOUT_MS = 15000; // one wait; a healthy run takes well under a second per step
const RUN_TIMEOUT_MS = 90000; // the whole run

// Flags this machine needs (no sandbox as root in a container, no GPU, no network chatter). Playwright adds
// --headless and a fresh temporary --user-data-dir (deleted at close) itself; it refuses one passed in args.
const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
// Over https the test pins its throw-away certificate by the SHA-256 of its public key (and trusts nothing else).
if (process.env.CHROMIUM_SPKI) ARGS.push("--ignore-certificate-errors-spki-list=" + process.env.CHROMIUM_SPKI);

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
  const webSockets = { A: [], B: [], C: [] }; // WebSocket connections each page opened, seen by the browser
  try {
    const browserVersion = browser.version();

    async function open(label, query, viewport) {
      const context = await browser.newContext({ viewport }); // separate cookies/storage
      const page = await context.newPage();
      page.setDefaultTimeout(STEP_TIMEOUT_MS);
      page.on("pageerror", (e) => errors.push(label + ": " + e.message));
      page.on("websocket", (ws) => webSockets[label].push(new URL(ws.url()).pathname));
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(label + " console: " + m.text());
      });
      const response = await page.goto(new URL(query, url).href);
      check(response && response.status() === 200, label + ": page answered 200", response && response.status());
      return page;
    }

    const shown = (page, id, text) =>
      page.waitForFunction(([i, t]) => document.getElementById(i).textContent === t, [id, text]);

    const received = (page, from, text) =>
      page.waitForFunction(
        ([f, t]) => [...document.querySelectorAll("#messages li:not(.info)")]
          .some((li) => li.querySelector("b").textContent === f && li.textContent === f + " " + t),
        [from, text]);

    const told = (page, text) =>
      page.waitForFunction((t) => [...document.querySelectorAll("#messages li.info")].some((li) => li.textContent === t),
        text);

    const rttShown = (page) => page.waitForFunction(() => /^\d+(\.\d)? ms$/.test(document.getElementById("rtt").textContent));

    const state = (page) => page.evaluate(() => ({
      transport: document.getElementById("transport").textContent,
      transports: window.demo.transports,
      rtt: document.getElementById("rtt").textContent,
      users: document.getElementById("users").textContent,
      messages: [...document.querySelectorAll("#messages li")].map((li) => li.textContent),
    }));

    // A: default transports, opens on polling and upgrades to WebSocket.
    const a = await open("A", "?name=Alice", { width: 760, height: 560 });
    await shown(a, "transport", "websocket");
    await told(a, "Alice joined");

    // B: WebSocket disabled on the client, on a phone-sized viewport (390 px): the whole form fits.
    const b = await open("B", "?name=Bob&transport=polling", { width: 390, height: 800 });
    const fit = await b.evaluate(() => {
      const r = (id) => document.getElementById(id).getBoundingClientRect();
      return { scrollWidth: document.documentElement.scrollWidth, send: r("send").right, text: r("text").right,
        textWidth: r("text").width };
    });
    check(fit.scrollWidth <= 390 && fit.send <= 390 && fit.text < fit.send && fit.textWidth >= 100,
      "B at 390 px: no horizontal scroll, Send button on screen, a usable message field", fit);
    await shown(b, "transport", "polling");
    await told(a, "Bob joined");
    await shown(a, "users", "2");
    await shown(b, "users", "2");

    await a.fill("#text", "Hello from Alice (websocket)");
    await a.press("#text", "Enter");
    await received(b, "Alice", "Hello from Alice (websocket)");
    await received(a, "Alice", "Hello from Alice (websocket)");

    await b.fill("#text", "Hi Alice, Bob here (polling), ça marche");
    await b.click("#send");
    await received(a, "Bob", "Hi Alice, Bob here (polling), ça marche");
    await received(b, "Bob", "Hi Alice, Bob here (polling), ça marche");

    await rttShown(a);
    await rttShown(b);

    const sa = await state(a);
    const sb = await state(b);
    check(JSON.stringify(sa.transports) === '["polling","websocket"]', "A opened on polling then upgraded", sa.transports);
    check(sa.transport === "websocket", "A shows websocket", sa.transport);
    check(JSON.stringify(sb.transports) === '["polling"]', "B never upgraded", sb.transports);
    check(sb.transport === "polling", "B shows polling", sb.transport);
    check(JSON.stringify(webSockets.A) === '["/engine.io/"]', "A opened one WebSocket, to /engine.io/", webSockets.A);
    check(webSockets.B.length === 0, "B opened no WebSocket", webSockets.B);

    fs.mkdirSync(path.dirname(path.resolve(screenshot)), { recursive: true });
    // C: Server-Sent Events only (the repository's plug-in and Chromium's native EventSource); chats with A (WebSocket).
    const c = await open("C", "?name=Carol&transport=sse");
    await shown(c, "transport", "sse");
    await told(a, "Carol joined");
    await c.fill("#text", "Carol on SSE: \u00e7a \ud83d\ude00 \\n");
    await c.press("#text", "Enter");
    await received(a, "Carol", "Carol on SSE: \u00e7a \ud83d\ude00 \\n");
    await a.fill("#text", "Alice to Carol: line\\r\\n end");
    await a.click("#send");
    await received(c, "Alice", "Alice to Carol: line\\r\\n end");
    await rttShown(c);
    const sc = await state(c);
    check(sc.transports.join() === "sse", "C stays on sse", sc.transports);
    check(webSockets.C.length === 0, "C opened no WebSocket", webSockets.C);
    const screenshotPolling = screenshot.replace(/(\.png)?$/, "-polling.png");
    const screenshotSse = screenshot.replace(/(\.png)?$/, "-sse.png");
    await c.screenshot({ path: screenshotSse });
    await a.screenshot({ path: screenshot });
    await b.screenshot({ path: screenshotPolling });

    // B leaves (its polling request is cut): A is told.
    await b.context().close();
    await told(a, "Bob left");
    await shown(a, "users", "2"); // Alice and Carol

    check(errors.length === 0, "no page errors", errors);
    console.log(JSON.stringify({
      ok: true,
      browser: browserVersion,
      a: sa,
      b: sb,
      c: sc,
      webSockets,
      screenshots: [path.resolve(screenshot), path.resolve(screenshotPolling), path.resolve(screenshotSse)],
    }));
  } finally {
    await browser.close();
  }
}

setTimeout(() => fail("demo-e2e: no result after " + RUN_TIMEOUT_MS + " ms"), RUN_TIMEOUT_MS).unref();
main().then(() => process.exit(0), fail);
