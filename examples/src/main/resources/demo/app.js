// The demo page: engine.io-client's browser bundle (global `eio`) talking to DemoServer.java.
// Messages are text: ping:<t> / pong:<t>, name:<name>, chat:<text> / chat:<name>:<text>, info:<text>, users:<n>.
"use strict";
(function () {
  const params = new URLSearchParams(location.search);
  const pollingOnly = params.get("transport") === "polling";
  // ?transport=sse: Server-Sent Events only, with the repository's plug-in (engine.io-sse.js, global `eioSse`) and the
  // browser's native EventSource.
  const sseOnly = params.get("transport") === "sse";
  const $ = (id) => document.getElementById(id);
  // What the page saw, for people with DevTools open and for the end-to-end test.
  const seen = (window.demo = { transports: [], rtt: null, received: 0 });

  const name = $("name");
  name.value = params.get("name") || localStorage.getItem("demo-name") || "guest-" + Math.floor(Math.random() * 1000);
  if (pollingOnly || sseOnly) {
    $("switch").textContent = "Allow WebSocket";
    $("switch").href = "?";
  }
  if (sseOnly) $("switch-sse").hidden = true;

  let socket = null;
  let pinger = null;

  function connect() {
    setState("connecting", "");
    socket = eio(sseOnly ? { transports: [eioSse.sseTransport()] } : pollingOnly ? { transports: ["polling"] } : {});
    socket.on("open", () => {
      setState("connected", "ok");
      showTransport(socket.transport.name);
      socket.send("name:" + name.value);
      ping();
      pinger = setInterval(ping, 1000);
    });
    socket.on("upgrade", (transport) => showTransport(transport.name)); // polling -> websocket
    socket.on("message", onMessage);
    socket.on("close", (reason) => {
      clearInterval(pinger);
      setState("disconnected (" + reason + "), retrying", "bad");
      setTimeout(connect, 2000);
    });
  }

  function ping() {
    socket.send("ping:" + performance.now());
  }

  function onMessage(data) {
    const colon = data.indexOf(":");
    const kind = data.slice(0, colon);
    const rest = data.slice(colon + 1);
    if (kind === "pong") {
      const rtt = performance.now() - Number(rest);
      seen.rtt = rtt;
      $("rtt").textContent = (rtt < 10 ? rtt.toFixed(1) : Math.round(rtt)) + " ms";
    } else if (kind === "chat") {
      const sep = rest.indexOf(":");
      add(rest.slice(0, sep), rest.slice(sep + 1));
    } else if (kind === "info") {
      add(null, rest);
    } else if (kind === "users") {
      $("users").textContent = rest;
    }
  }

  function add(from, text) {
    seen.received++;
    const list = $("messages");
    const li = document.createElement("li");
    if (from === null) {
      li.className = "info";
    } else {
      const b = document.createElement("b");
      b.textContent = from;
      li.append(b, " ");
      if (from === name.value) li.className = "mine";
    }
    li.append(text);
    list.append(li);
    list.scrollTop = list.scrollHeight;
  }

  function showTransport(transport) {
    seen.transports.push(transport);
    const el = $("transport");
    el.textContent = transport;
    el.className = "pill " + (transport === "websocket" ? "ok" : "warn");
  }

  function setState(text, cls) {
    const el = $("state");
    el.textContent = text;
    el.className = "pill " + cls;
  }

  $("form").addEventListener("submit", (e) => {
    e.preventDefault();
    const text = $("text");
    if (text.value && socket.readyState === "open") {
      socket.send("chat:" + text.value);
      text.value = "";
    }
  });
  name.addEventListener("change", () => {
    localStorage.setItem("demo-name", name.value);
    if (socket.readyState === "open") socket.send("name:" + name.value);
  });

  connect();
})();
