package dev.engineionio.server;

import dev.engineionio.HttpHandler;
import dev.engineionio.WebSocketHandler;
import dev.engineionio.driver.Connection;
import dev.engineionio.driver.HandlerFactory;
import dev.engineionio.http.HttpLimits;
import dev.engineionio.http.HttpRequestParser;
import dev.engineionio.http.KnownHeader;
import dev.engineionio.websocket.PerMessageDeflateCodec;
import dev.engineionio.websocket.PerMessageDeflateConfig;
import dev.engineionio.websocket.WebSocketHandshake;
import dev.engineionio.websocket.WebSocketLimits;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The server's router and shared settings (immutable after construction, shared by every loop): Engine.IO requests
 * (target prefix) go to the {@link EngineIo} application, upgrade requests on a registered path to a raw WebSocket
 * endpoint, other requests to the fallback {@link HttpHandler}; other upgrade requests are destroyed after
 * {@code destroyUpgradeTimeout} (as the reference's {@code destroyUpgrade}), or, with {@code destroyUpgrade} off, given
 * to the fallback handler as ordinary requests and closed after its answer.
 */
public final class ServerCore implements HandlerFactory {

    final HttpLimits httpLimits;
    final long requestHeaderTimeoutNs;
    final long idleTimeoutNs;
    final long wsCloseTimeoutNs;
    final WebSocketLimits rawWsLimits;
    /** permessage-deflate policy of the raw endpoints, or null (off, the default). */
    final PerMessageDeflateConfig rawDeflate;
    private final Map<String, WebSocketHandler> endpoints;
    private final HttpHandler fallback;
    private final long fallbackMaxBody;
    private final EngineIo engine;
    private final long destroyUpgradeNs;

    /**
     * @param engine the Engine.IO application, or {@code null} for none
     * @param destroyUpgradeNs delay before an unclaimed upgrade request's connection is closed; negative: at once
     */
    public ServerCore(HttpLimits httpLimits, long requestHeaderTimeoutNs, long idleTimeoutNs, long wsCloseTimeoutNs,
                      WebSocketLimits rawWsLimits, Map<String, WebSocketHandler> endpoints, HttpHandler fallback,
                      long fallbackMaxBody, EngineIo engine, long destroyUpgradeNs) {
        this(httpLimits, requestHeaderTimeoutNs, idleTimeoutNs, wsCloseTimeoutNs, rawWsLimits, endpoints, fallback,
                fallbackMaxBody, engine, destroyUpgradeNs, null);
    }

    /** @param rawDeflate the raw endpoints' permessage-deflate policy, or {@code null} for none */
    public ServerCore(HttpLimits httpLimits, long requestHeaderTimeoutNs, long idleTimeoutNs, long wsCloseTimeoutNs,
                      WebSocketLimits rawWsLimits, Map<String, WebSocketHandler> endpoints, HttpHandler fallback,
                      long fallbackMaxBody, EngineIo engine, long destroyUpgradeNs,
                      PerMessageDeflateConfig rawDeflate) {
        this.rawDeflate = rawDeflate;
        this.httpLimits = httpLimits;
        this.requestHeaderTimeoutNs = requestHeaderTimeoutNs;
        this.idleTimeoutNs = idleTimeoutNs;
        this.wsCloseTimeoutNs = wsCloseTimeoutNs;
        this.rawWsLimits = rawWsLimits;
        this.endpoints = new HashMap<>(endpoints);
        this.fallback = fallback == null ? FallbackExchange.NOT_FOUND : fallback;
        this.fallbackMaxBody = fallbackMaxBody;
        this.engine = engine;
        this.destroyUpgradeNs = destroyUpgradeNs;
    }

    @Override
    public dev.engineionio.driver.ConnectionHandler newHandler(Connection connection) {
        return new HttpConnection(this, connection);
    }

    /** Every request path places its connection ({@link HttpConnection#placedElsewhere}, or a move to its session). */
    @Override
    public boolean placesConnections() {
        return true;
    }

    /** The server shuts down: the Engine.IO sessions owned by {@code loop} are told ({@link EngineIo#onShutdown}). */
    @Override
    public void onShutdown(dev.engineionio.driver.EventLoop loop, long nowNs) {
        if (engine != null) {
            engine.onShutdown(loop);
        }
    }

    /** The shutdown's grace is over (or nothing is left open): sessions still open on {@code loop} are closed. */
    @Override
    public void onShutdownEnd(dev.engineionio.driver.EventLoop loop, long nowNs) {
        if (engine != null) {
            engine.onShutdownEnd(loop);
        }
    }

    void onRequest(HttpConnection hc, long nowNs) {
        if (engine != null && engine.matches(hc)) {
            engine.onRequest(hc, nowNs);
            return;
        }
        if (hc.placedElsewhere()) {
            return;
        }
        boolean hasBody = hc.parser().contentLength() > 0 || hc.parser().isChunked();
        new FallbackExchange(fallback, fallbackMaxBody).onRequest(hc, hasBody, nowNs);
    }

    void onUpgrade(HttpConnection hc, long nowNs) {
        if (engine != null && engine.matches(hc)) {
            engine.onUpgrade(hc, nowNs);
            return;
        }
        if (hc.placedElsewhere()) {
            return;
        }
        WebSocketHandler h = endpoints.isEmpty() ? null : endpoints.get(hc.path());
        if (h != null) {
            WebSocketHandshake hs = validateHandshake(hc, false, rawDeflate);
            if (hs == null) {
                return;
            }
            ByteBuffer dst = hc.output(256 + hs.headerLinesLength());
            hs.writeResponse(dst);
            hc.connection().commitWrite();
            RawWebSocket session = new RawWebSocket(h, hc.path(), hc.loop());
            WsConnection ws = new WsConnection(hc.connection(), rawWsLimits, session, wsCloseTimeoutNs,
                    codec(hc, hs, rawDeflate));
            hc.upgraded();
            ws.start(nowNs);
            return;
        }
        if (destroyUpgradeNs < 0) {
            // destroyUpgrade off: the reference leaves the socket to the application's other upgrade listeners. Ours is
            // the fallback HttpHandler: it gets the request as ordinary HTTP/1.1 (RFC 9110 §7.8 lets a server ignore
            // Upgrade); the connection closes after its answer, since the bytes behind an upgrade request are not HTTP.
            new FallbackExchange(fallback, fallbackMaxBody).onRequest(hc, false, nowNs);
        } else {
            hc.destroyAfter(destroyUpgradeNs);
        }
    }

    /**
     * Feeds the request head to the loop's {@link WebSocketHandshake} and checks it by RFC 6455 (raw endpoints); on a
     * bad handshake writes the 400/426 rejection, closes after it and returns null.
     */
    static WebSocketHandshake validateHandshake(HttpConnection hc) {
        return validateHandshake(hc, false, null);
    }

    /** The connection's permessage-deflate codec when the handshake agreed the extension, else null. */
    static PerMessageDeflateCodec codec(HttpConnection hc, WebSocketHandshake hs, PerMessageDeflateConfig config) {
        int agreed = hs.deflateParams();
        return agreed < 0 ? null : new PerMessageDeflateCodec(hc.state().zlib, agreed, config.threshold());
    }

    /**
     * As {@link #validateHandshake(HttpConnection)} but by npm ws's rules and with ws's rejections (the Engine.IO
     * endpoint, whose reference answers upgrades with ws): see {@link WebSocketHandshake#validateAsNodeWs}. Like ws,
     * echoes the first offered subprotocol.
     */
    static WebSocketHandshake validateHandshakeAsNodeWs(HttpConnection hc, PerMessageDeflateConfig deflate) {
        return validateHandshake(hc, true, deflate);
    }

    private static final WebSocketHandshake.SubprotocolSelector FIRST_OFFERED = offered -> true;

    private static WebSocketHandshake validateHandshake(HttpConnection hc, boolean nodeWs,
                                                        PerMessageDeflateConfig deflate) {
        WebSocketHandshake hs = hc.state().handshake;
        HttpRequestParser p = hc.parser();
        ByteBuffer b = hc.buf();
        hs.reset();
        hs.perMessageDeflate(deflate);
        hs.method(b, p.methodStart(), p.methodLength());
        hs.httpVersion(p.isHttp10() ? "HTTP/1.0" : "HTTP/1.1");
        for (int i = 0, n = p.headerCount(); i < n; i++) {
            hs.header(b, p.headerNameStart(i), p.headerNameLength(i), p.headerValueStart(i), p.headerValueLength(i));
        }
        WebSocketHandshake.Outcome o = nodeWs ? hs.validateAsNodeWs(FIRST_OFFERED) : hs.validate(null);
        if (o.isAccepted()) {
            return hs;
        }
        ByteBuffer dst = hc.output(256);
        if (nodeWs) {
            WebSocketHandshake.writeNodeWsRejection(dst, o);
        } else {
            WebSocketHandshake.writeRejection(dst, o);
        }
        hc.respond(true);
        return null;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static boolean hasHeader(HttpConnection hc, KnownHeader h) {
        return hc.parser().headerIndex(h) >= 0;
    }
}
