/*!
 * engine.io-sse: a Server-Sent Events transport for engine.io-client 6.6, for servers that speak the SSE transport of
 * engineio-nio (the wire format is in the repository's README, "SSE transport"). No dependency: it works with the
 * official bundles (dist/engine.io.min.js, dist/engine.io.esm.min.js) and with the npm package in Node.
 *
 *   const SSE = eioSse.sseTransport();                         // browser: the native EventSource
 *   const SSE = require("./engine.io-sse").sseTransport({ EventSource: require("eventsource").EventSource });
 *   const socket = new Socket("http://localhost:3000", { transports: [SSE, WebSocket] });   // or eio(url, {...})
 *
 * Down: one EventSource on GET ?EIO=4&transport=sse, one packet per event, data unescaped (\\ \n \r), then decoded as
 * engine.io-parser decodes a packet; when the stream is cut, EventSource reconnects by itself with Last-Event-ID and
 * the server replays what was missed. Up: fetch POST ?EIO=4&transport=sse&sid=...&ack=<last event seen> with the
 * polling payload format (the ack lets the server drop what the client has from its replay buffer).
 * Upgrade: pause() waits for the server's noop 6 (the stream's last event once 3probe was sent) and for the POST in
 * flight, then closes the EventSource.
 */
(function (root, factory) {
  if (typeof module === "object" && module.exports) {
    module.exports = factory();
  } else {
    root.eioSse = factory();
  }
})(typeof globalThis !== "undefined" ? globalThis : this, function () {
  "use strict";

  var PACKET_TYPES = ["open", "close", "ping", "pong", "message", "upgrade", "noop"];
  var CODES = { open: "0", close: "1", ping: "2", pong: "3", message: "4", upgrade: "5", noop: "6" };
  var SEPARATOR = String.fromCharCode(30);

  /** The event data back to the packet text: \\ \n \r unescaped, nothing else touched. */
  function unescapeData(s) {
    if (s.indexOf("\\") < 0) return s;
    return s.replace(/\\([\\nr])/g, function (m, c) {
      return c === "n" ? "\n" : c === "r" ? "\r" : "\\";
    });
  }

  function hasBuffer() {
    return typeof Buffer !== "undefined" && typeof Buffer.from === "function";
  }

  function base64ToBinary(b64, binaryType) {
    if (binaryType === "nodebuffer" && hasBuffer()) return Buffer.from(b64, "base64");
    var bytes;
    if (typeof atob === "function") {
      var bin = atob(b64);
      bytes = new Uint8Array(bin.length);
      for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    } else {
      bytes = new Uint8Array(Buffer.from(b64, "base64"));
    }
    if (binaryType === "blob" && typeof Blob !== "undefined") return new Blob([bytes]);
    return bytes.buffer;
  }

  function binaryToBase64(data) {
    var bytes;
    if (data instanceof ArrayBuffer) bytes = new Uint8Array(data);
    else bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (hasBuffer()) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
    var bin = "";
    for (var i = 0; i < bytes.length; i += 0x8000) {
      bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(bin);
  }

  /** engine.io-parser's decodePacket for one packet text ("b<base64>" is a binary message). */
  function decodePacket(text, binaryType) {
    var c = text.charAt(0);
    if (c === "b") return { type: "message", data: base64ToBinary(text.substring(1), binaryType) };
    var type = PACKET_TYPES[+c];
    if (!type || c < "0" || c > "6") return { type: "error", data: "parser error" };
    return text.length > 1 ? { type: type, data: text.substring(1) } : { type: type };
  }

  function isBinary(d) {
    return (typeof ArrayBuffer !== "undefined" && (d instanceof ArrayBuffer || ArrayBuffer.isView(d)));
  }

  /** One packet as the polling payload carries it (Blobs are read first: see encodePayload). */
  function encodePacket(p) {
    if (isBinary(p.data)) return "b" + binaryToBase64(p.data);
    return CODES[p.type] + (p.data === undefined || p.data === null ? "" : String(p.data));
  }

  function encodePayload(packets, callback) {
    var blobs = packets.filter(function (p) {
      return typeof Blob !== "undefined" && p.data instanceof Blob;
    });
    if (blobs.length === 0) return callback(packets.map(encodePacket).join(SEPARATOR));
    Promise.all(packets.map(function (p) {
      if (typeof Blob !== "undefined" && p.data instanceof Blob) {
        return p.data.arrayBuffer().then(function (ab) {
          return { type: p.type, data: ab };
        });
      }
      return p;
    })).then(function (ps) {
      callback(ps.map(encodePacket).join(SEPARATOR));
    });
  }

  function encodeQuery(q) {
    var parts = [];
    for (var k in q) {
      if (Object.prototype.hasOwnProperty.call(q, k) && q[k] !== undefined) {
        parts.push(encodeURIComponent(k) + "=" + encodeURIComponent(q[k]));
      }
    }
    return parts.length ? "?" + parts.join("&") : "";
  }

  /**
   * Makes the SSE transport class.
   *
   * @param {object} [options]
   * @param {Function} [options.EventSource] the EventSource implementation (default: globalThis.EventSource)
   * @param {Function} [options.fetch] the fetch implementation for the POSTs (default: globalThis.fetch)
   * @returns {Function} a transport class for engine.io-client's `transports` option
   */
  function sseTransport(options) {
    options = options || {};

    function SSE(opts) {
      this.opts = opts;
      this.query = opts.query;
      this.socket = opts.socket;
      this.supportsBinary = false;
      this.writable = false;
      this.readyState = undefined;
      this._listeners = Object.create(null);
      this._es = null;
      this._noopSeen = false;
      this._onPause = null;
      this._lastSeq = null;
    }

    Object.defineProperty(SSE.prototype, "name", {
      get: function () {
        return "sse";
      },
    });

    // ------------------------------------------------------------------ a minimal emitter (component-emitter's API)

    SSE.prototype.on = function (event, fn) {
      (this._listeners[event] = this._listeners[event] || []).push(fn);
      return this;
    };
    SSE.prototype.addEventListener = SSE.prototype.on;
    SSE.prototype.once = function (event, fn) {
      var self = this;
      function once() {
        self.off(event, once);
        fn.apply(self, arguments);
      }
      once.fn = fn;
      return this.on(event, once);
    };
    SSE.prototype.off = function (event, fn) {
      if (event === undefined) {
        this._listeners = Object.create(null);
        return this;
      }
      var l = this._listeners[event];
      if (!l) return this;
      if (fn === undefined) {
        delete this._listeners[event];
        return this;
      }
      for (var i = 0; i < l.length; i++) {
        if (l[i] === fn || l[i].fn === fn) {
          l.splice(i, 1);
          break;
        }
      }
      return this;
    };
    SSE.prototype.removeListener = SSE.prototype.off;
    SSE.prototype.removeEventListener = SSE.prototype.off;
    SSE.prototype.removeAllListeners = function (event) {
      return this.off(event);
    };
    SSE.prototype.emitReserved = function (event) {
      var args = Array.prototype.slice.call(arguments, 1);
      var l = (this._listeners[event] || []).slice();
      for (var i = 0; i < l.length; i++) l[i].apply(this, args);
      return this;
    };
    SSE.prototype.emit = SSE.prototype.emitReserved;

    // ------------------------------------------------------------------ engine.io-client's Transport interface

    SSE.prototype.open = function () {
      this.readyState = "opening";
      this._openStream();
      return this;
    };

    SSE.prototype.close = function () {
      if (this.readyState === "opening" || this.readyState === "open") {
        if (this.readyState === "open") this._post([{ type: "close" }], function () {});
        this._closeStream();
        this._onClose();
      }
      return this;
    };

    SSE.prototype.send = function (packets) {
      if (this.readyState === "open") this.write(packets);
    };

    /** Waits for the server's noop (the stream's last event during an upgrade) and the POST in flight. */
    SSE.prototype.pause = function (onPause) {
      this.readyState = "pausing";
      this._onPause = onPause;
      this._checkPause();
    };

    SSE.prototype.write = function (packets) {
      var self = this;
      this.writable = false;
      this._post(packets, function () {
        self.writable = true;
        self.emitReserved("drain");
        self._checkPause();
      });
    };

    // ------------------------------------------------------------------ internals

    SSE.prototype._uri = function () {
      var o = this.opts;
      var host = o.hostname.indexOf(":") === -1 ? o.hostname : "[" + o.hostname + "]";
      var port = o.port && ((o.secure && Number(o.port) !== 443) || (!o.secure && Number(o.port) !== 80))
        ? ":" + o.port : "";
      return (o.secure ? "https" : "http") + "://" + host + port + o.path + encodeQuery(this.query || {});
    };

    SSE.prototype._openStream = function () {
      var ES = options.EventSource || (typeof EventSource !== "undefined" ? EventSource : undefined);
      if (!ES) {
        this._error("sse error", "no EventSource implementation");
        return;
      }
      var self = this;
      var es;
      try {
        es = new ES(this._uri(), { withCredentials: !!this.opts.withCredentials });
      } catch (e) {
        this._error("sse error", e);
        return;
      }
      this._es = es;
      es.onmessage = function (ev) {
        if (self._es !== es) return;
        var id = ev.lastEventId || "";
        var colon = id.lastIndexOf(":");
        if (colon > 0) self._lastSeq = id.substring(colon + 1);
        self._onEvent(ev.data);
      };
      es.onerror = function (ev) {
        if (self._es !== es) return;
        // CONNECTING: the stream was cut and EventSource reconnects with Last-Event-ID; the server resumes it.
        if (es.readyState === 2) {
          self._es = null;
          self._error("sse error", ev && (ev.message || ev.code), ev);
        }
      };
    };

    SSE.prototype._closeStream = function () {
      var es = this._es;
      this._es = null;
      if (es) es.close();
    };

    SSE.prototype._onEvent = function (data) {
      var packet = decodePacket(unescapeData(data), this.socket.binaryType);
      if (this.readyState === "opening" && packet.type === "open") {
        this.readyState = "open";
        this.writable = true;
        this.emitReserved("open");
      }
      if (packet.type === "close") {
        this._closeStream();
        this._onClose({ description: "transport closed by the server" });
        return;
      }
      this._noopSeen = packet.type === "noop";
      this.emitReserved("packet", packet);
      this._checkPause();
    };

    SSE.prototype._checkPause = function () {
      if (this.readyState !== "pausing" || !this._noopSeen || !this.writable || !this._onPause) return;
      var cb = this._onPause;
      this._onPause = null;
      this.readyState = "paused";
      this._closeStream();
      cb();
    };

    SSE.prototype._post = function (packets, done) {
      var self = this;
      var f = options.fetch || (typeof fetch !== "undefined" ? fetch : undefined);
      encodePayload(packets, function (payload) {
        var headers = Object.assign({ "content-type": "text/plain;charset=UTF-8" }, self.opts.extraHeaders || {});
        // ack: the last event seen; the server drops it and those before from its replay buffer
        var uri = self._lastSeq ? self._uri() + (self._uri().indexOf("?") < 0 ? "?" : "&") + "ack=" + self._lastSeq
          : self._uri();
        f(uri, {
          method: "POST",
          body: payload,
          headers: headers,
          credentials: self.opts.withCredentials ? "include" : "same-origin",
        }).then(function (res) {
          if (!res.ok) return self._error("sse post error", res.status, res);
          return res.text().then(done);
        }, function (err) {
          self._error("sse post error", err);
        });
      });
    };

    SSE.prototype._error = function (reason, description, context) {
      var err = new Error(reason);
      err.type = "TransportError";
      err.description = description;
      err.context = context;
      this.emitReserved("error", err);
    };

    SSE.prototype._onClose = function (details) {
      this.readyState = "closed";
      this.writable = false;
      this.emitReserved("close", details);
    };

    return SSE;
  }

  return { sseTransport: sseTransport, unescapeData: unescapeData, decodePacket: decodePacket };
});
