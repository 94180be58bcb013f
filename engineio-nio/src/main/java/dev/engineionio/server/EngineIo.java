package dev.engineionio.server;

import dev.engineionio.EngineSocket;
import dev.engineionio.HttpRequest;
import dev.engineionio.http.HttpError;
import dev.engineionio.http.HttpMethod;
import dev.engineionio.http.HttpQuery;
import dev.engineionio.http.HttpRequestParser;
import dev.engineionio.http.HttpResponseWriter;
import dev.engineionio.http.KnownHeader;
import dev.engineionio.http.QueryParam;
import dev.engineionio.protocol.PayloadDecoder;
import dev.engineionio.session.Base64IdGenerator;
import dev.engineionio.session.ConnectionErrorListener;
import dev.engineionio.session.EngineConfig;
import dev.engineionio.session.EngineSession;
import dev.engineionio.session.WriteBuffer;
import dev.engineionio.session.PollingTransport;
import dev.engineionio.session.RequestFacts;
import dev.engineionio.session.RequestVerdict;
import dev.engineionio.session.RequestVerifier;
import dev.engineionio.session.SessionIdGenerator;
import dev.engineionio.session.SessionRegistry;
import dev.engineionio.session.SseTransport;
import dev.engineionio.session.TransportKind;
import dev.engineionio.session.WebSocketTransport;
import dev.engineionio.websocket.WebSocketFrameWriter;
import dev.engineionio.websocket.PerMessageDeflateConfig;
import dev.engineionio.websocket.WebSocketHandshake;
import dev.engineionio.websocket.WebSocketLimits;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The Engine.IO application behind {@link HttpConnection}: every request whose target starts with the configured path
 * goes through the {@link RequestVerifier} (the reference's order of checks), then to a handshake, to its session, or
 * to a rejection ({@code {"code":N,"message":...}} with the verdict's status; the raw bytes of {@code abortUpgrade}
 * for an upgrade). A request for a session owned by another loop first moves its connection to that loop
 * ({@link HttpConnection#migrate}), so a session is only ever touched by its own loop.
 *
 * <h2>Request order</h2>
 * One session's requests (those with its {@code sid}: polling GETs and POSTs, the WebSocket upgrade) are acted on in
 * the order in which the server read them. Precisely: each request takes a ticket, a place in its session's order (one
 * atomic add on the session, {@link RequestOrder}), on the loop that read its head, in the same read event, right after
 * the head's last byte was read and its {@code sid} looked up in the registry; the owner loop acts on the session's
 * requests in ticket order. A request read on another loop keeps its ticket while its connection moves to the owner
 * loop; a request whose turn has not come (an earlier ticket is still on its way from another loop) is parked on its
 * connection (bytes kept, reading suspended) and resumed when its turn comes (as a command of the loop, after the event
 * that gave it its turn). A connection that closes while holding a ticket gives up its turn; when the session closes,
 * every parked request resumes and gets the answer for a closed session. So a GET read before a POST, on whatever loop,
 * is held before the POST's packets are handled, and a later request never overtakes one that is moving.
 *
 * <p>What "read" can and cannot tell: the server does not see when bytes reached the machine, only when a loop read
 * them. On one loop, the keys of a selector pass are handled in the order the selector reports them (on Linux,
 * epoll's ready list: the order in which the sockets became readable since the previous pass), so two requests read
 * in one pass keep their arrival order as far as the kernel tells it; the server does not reorder them (by method or
 * otherwise). Across loops, each loop reads when it runs: a request that arrived first on a loop that was busy (or
 * was still receiving the connection from the acceptor) can be read, and so ordered, after one that arrived later on
 * another loop. A pipelined request takes its ticket when its connection reaches it (after the answer before it).
 * The cost on the data path is the atomic add and a compare; nothing waits unless an earlier ticket is in flight.
 *
 * <p>Shared by every loop (immutable apart from the thread-safe registry and socket map). Per-loop codec state lives
 * in {@link LoopState}. Responses carry the reference's headers: see {@link EngineExchange}.
 */
public final class EngineIo {

    private static final System.Logger LOG = System.getLogger(EngineIo.class.getName());
    private static final byte[] JSON = ServerCore.ascii("application/json");
    private static final byte[] CONTENT_TYPE_ABORT_UPGRADE = ServerCore.ascii("Content-type");

    final EngineConfig config;
    final SessionRegistry registry = new SessionRegistry();
    final RequestVerifier verifier;
    /** With {@code allowEIO3}: the verifier for an EIO that is neither "3" nor "4" (as with allowEIO3 off). */
    private final RequestVerifier strictVerifier;
    private final SessionIdGenerator ids;
    private final byte[] pathBytes;
    final Consumer<EngineSocket> onConnection;
    private final Function<HttpRequest, String> allowRequest;
    final boolean trustForwardedFor;
    final WebSocketLimits wsLimits;
    final long wsCloseTimeoutNs;
    final Cors cors;
    /** The reference's {@code perMessageDeflate} for the WebSocket transport, or null (off, its default). */
    final PerMessageDeflateConfig perMessageDeflate;

    /**
     * @param allowRequest the handshake hook: {@code null} to allow, a message (may be empty) to refuse; may be null
     * @param errors       the {@code connection_error} listener, or null
     * @param ids          the session id generator, or null for the reference's base64id
     */
    public EngineIo(EngineConfig config, Consumer<EngineSocket> onConnection, Function<HttpRequest, String> allowRequest,
                    ConnectionErrorListener errors, boolean trustForwardedFor, long wsCloseTimeoutNs,
                    SessionIdGenerator ids) {
        this(config, onConnection, allowRequest, errors, trustForwardedFor, wsCloseTimeoutNs, ids, null);
    }

    /** @param perMessageDeflate the WebSocket transport's permessage-deflate policy, or null for none */
    public EngineIo(EngineConfig config, Consumer<EngineSocket> onConnection, Function<HttpRequest, String> allowRequest,
                    ConnectionErrorListener errors, boolean trustForwardedFor, long wsCloseTimeoutNs,
                    SessionIdGenerator ids, PerMessageDeflateConfig perMessageDeflate) {
        this.perMessageDeflate = perMessageDeflate;
        this.config = config;
        this.onConnection = onConnection;
        this.allowRequest = allowRequest;
        ConnectionErrorListener el = errors == null ? (f, v) -> { } : errors;
        this.verifier = new RequestVerifier(config, registry, el);
        this.strictVerifier = config.allowEIO3() ? new RequestVerifier(strict(config), registry, el) : verifier;
        this.ids = ids == null ? new Base64IdGenerator() : ids;
        this.pathBytes = ServerCore.ascii(config.path());
        this.trustForwardedFor = trustForwardedFor;
        int max = (int) Math.min(config.maxHttpBufferSize(), WebSocketLimits.MAX_LIMIT);
        this.wsLimits = new WebSocketLimits(max, max, 1 << 20);
        this.wsCloseTimeoutNs = wsCloseTimeoutNs;
        this.cors = config.cors() == null ? null : new Cors(config.cors());
    }

    private static EngineConfig strict(EngineConfig c) {
        EngineConfig.Builder b = EngineConfig.builder()
                .pingInterval(c.pingInterval()).pingTimeout(c.pingTimeout()).upgradeTimeout(c.upgradeTimeout())
                .maxHttpBufferSize(c.maxHttpBufferSize()).transports(c.transports()).allowUpgrades(c.allowUpgrades())
                .allowEIO3(false).allowRequest(c.allowRequest()).initialPacket(c.initialPacket()).path(c.path())
                .addTrailingSlash(false).cookie(c.cookie()).cors(c.cors())
                .destroyUpgrade(c.destroyUpgrade()).destroyUpgradeTimeout(c.destroyUpgradeTimeout())
                .pollingCloseTimeout(c.pollingCloseTimeout()).upgradeNoopInterval(c.upgradeNoopInterval())
                .sseReplayBufferBytes(c.sseReplayBufferBytes());
        return b.build();
    }

    /** The sessions (open or closing). */
    public SessionRegistry registry() {
        return registry;
    }

    /**
     * An immutable snapshot of the open sessions by id (see {@link dev.engineionio.EngineServer#clients()}); any
     * thread.
     */
    public java.util.Map<String, EngineSocket> clients() {
        java.util.Map<String, EngineSocket> m = new java.util.HashMap<>();
        for (EngineSession s : registry.sessions()) {
            m.put(s.id(), socketOf(s));
        }
        return java.util.Map.copyOf(m);
    }

    /**
     * The socket of a session: its listener. The registry is the one map of sessions by id (a second map of sockets
     * cost every session another map entry); any thread.
     */
    static EngineSocketImpl socketOf(EngineSession s) {
        return (EngineSocketImpl) s.listener();
    }

    /**
     * The server shuts down: every session {@code loop} owns is closed, as the reference's {@code server.close()}
     * ({@code socket.close(true)} on each: a held poll is answered with the close packet, a polling session with no
     * poll held closes at once, since no connection is left to carry its packets), except that a WebSocket or SSE
     * session first sends what it still has queued, then its close ({@code socket.close()}); loop thread.
     */
    public void onShutdown(dev.engineionio.driver.EventLoop loop) {
        for (EngineSession s : registry.sessions()) {
            EngineSocketImpl socket = socketOf(s);
            if (socket.loop == loop) {
                socket.closeForShutdown(false);
            }
        }
    }

    /** The shutdown's grace is over on {@code loop}: sessions it owns still open are closed at once; loop thread. */
    public void onShutdownEnd(dev.engineionio.driver.EventLoop loop) {
        for (EngineSession s : registry.sessions()) {
            EngineSocketImpl socket = socketOf(s);
            if (socket.loop == loop) {
                socket.closeForShutdown(true);
            }
        }
    }

    boolean matches(HttpConnection hc) {
        return hc.targetStartsWith(pathBytes);
    }

    /** Per-loop Engine.IO state. */
    static final class EngineLoop {
        final PayloadDecoder decoder;
        /** Reads the POST bodies of polling and SSE sessions (with {@link #decoder}). */
        final PostBodyReader postBody;
        /** The text of the WebSocket message being delivered to view listeners ({@code EngineSocket.onText}). */
        final TextView text = new TextView();
        /** The write buffers of this loop's sessions (a session holds one only while packets wait). */
        final WriteBuffer.Pool batches = new WriteBuffer.Pool(256);
        /** {@link #view}'s source, and a view of it reused for binary packets (a duplicate per packet was 64 B). */
        private ByteBuffer viewOf;
        private ByteBuffer view;

        /**
         * A view of {@code buf}'s bytes {@code [offset, offset + length)}, valid until the next call on this loop (the
         * session hands it to its listener for that call only); {@code buf}'s own position and limit are untouched.
         */
        ByteBuffer view(ByteBuffer buf, int offset, int length) {
            ByteBuffer v = view;
            if (viewOf != buf) {
                v = buf.duplicate();
                view = v;
                viewOf = buf;
            }
            v.limit(buf.capacity()).position(offset);
            v.limit(offset + length);
            return v;
        }

        EngineLoop(EngineIo engine) {
            this.decoder = new PayloadDecoder((int) Math.min(engine.config.maxHttpBufferSize(), Integer.MAX_VALUE - 8),
                    false, false);
            this.postBody = new PostBodyReader(decoder);
        }
    }

    // ------------------------------------------------------------------------------------------ requests

    void onRequest(HttpConnection hc, long nowNs) {
        dispatch(hc, false, nowNs);
    }

    void onUpgrade(HttpConnection hc, long nowNs) {
        dispatch(hc, true, nowNs);
    }

    private void dispatch(HttpConnection hc, boolean upgrade, long nowNs) {
        LoopState st = hc.state();
        RequestFacts f = st.facts.reset();
        HttpRequestParser p = hc.parser();
        ByteBuffer b = hc.buf();
        HttpQuery q = st.query;
        if (q.parse(b, p.queryStart(), Math.max(0, p.queryLength())) != null) {
            answerHttpError(hc, HttpError.INVALID_QUERY_ESCAPE);
            return;
        }
        f.upgrade = upgrade;
        f.method = p.method() != null ? p.method().name() : HttpConnection.latin1(b, p.methodStart(), p.methodLength());
        f.eio = q.valueString(b, QueryParam.EIO);
        f.transport = q.valueString(b, QueryParam.TRANSPORT);
        f.sid = q.valueString(b, QueryParam.SID);
        f.j = q.valueString(b, QueryParam.J);
        f.b64 = q.valueString(b, QueryParam.B64);
        f.origin = hc.header(KnownHeader.ORIGIN);
        EngineExchange ex = EngineExchange.of(hc, this);
        ex.capture(hc, f);
        if (!upgrade && config.isTransportEnabled(TransportKind.SSE) && !SseChannel.resolveResume(hc, ex, f)) {
            return; // a Last-Event-ID that is not ours: answered
        }

        if (f.hasSid()) {
            EngineSession s = registry.get(f.sid);
            if (s == null) {
                hc.dropTicket(); // unknown (or closed and gone since this request took its place): no order to keep
            } else {
                // The request's place in its session's order is taken here, on the loop that read it (see
                // "Request order" above); it keeps it while it moves to the owner loop or waits for its turn there.
                EngineSocketImpl owner = socketOf(s);
                int ticket = hc.ticketFor(owner);
                if (owner.loop != hc.loop()) {
                    hc.migrate(owner.loop); // parsed and dispatched again there, with the same ticket
                    return;
                }
                if (!owner.isTurn(ticket)) {
                    hc.park();
                    owner.park(hc, ticket);
                    return;
                }
                hc.dropTicket();
                owner.beginTurn(ticket);
                hc.connection().settle(); // its home is its session's loop, where it is now
            }
        }
        if (hc.placedElsewhere()) {
            return; // a first request with no session to follow: acted on at its connection's home loop
        }
        if (!upgrade && cors != null && p.method() == HttpMethod.OPTIONS) {
            ex.preflight(hc);
            return;
        }
        RequestVerdict v = st.verdict;
        // Deviation: with allowEIO3 only EIO=3 exactly selects protocol 3; a missing or other EIO is answered as with
        // allowEIO3 off (code 5), as the engine.io protocol test suite requires. The reference takes it as 3.
        RequestVerifier rv = "3".equals(f.eio) || "4".equals(f.eio) ? verifier : strictVerifier;
        RequestVerdict.Outcome o = rv.verify(f, v);
        if (o == RequestVerdict.Outcome.ASK_ALLOW_REQUEST) {
            String refusal = null;
            boolean ok;
            try {
                refusal = allowRequest == null ? null : allowRequest.apply(new RequestSnapshot(hc));
                ok = refusal == null;
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "allowRequest threw; refusing", e);
                ok = false;
            }
            o = rv.afterAllowRequest(f, ok, refusal, v);
        }
        switch (o) {
            case HANDSHAKE:
                handshake(hc, ex, f, v, upgrade, nowNs);
                break;
            case EXISTING_SESSION:
                existing(hc, ex, f, v, upgrade, nowNs);
                break;
            case REJECT:
                reject(hc, ex, v, upgrade);
                break;
            case CLOSE_WEBSOCKET: {
                WebSocketHandshake hs = ServerCore.validateHandshakeAsNodeWs(hc, perMessageDeflate);
                if (hs == null) {
                    return;
                }
                write101(hc, ex, hs);
                ByteBuffer dst = hc.output(2);
                WebSocketFrameWriter.writeEmptyClose(dst);
                hc.respond(true);
                break;
            }
            case POLLING_METHOD_NOT_ALLOWED:
                ex.respondStatusNow(hc, 500);
                break;
            default: // UNANSWERED
                hc.connection().close();
                break;
        }
    }

    private void handshake(HttpConnection hc, EngineExchange ex, RequestFacts f, RequestVerdict v, boolean upgrade,
                           long nowNs) {
        WebSocketHandshake hs = null;
        if (upgrade) {
            hs = ServerCore.validateHandshakeAsNodeWs(hc, perMessageDeflate);
            if (hs == null) {
                return;
            }
        }
        String id;
        try {
            id = ids.generateId();
            if (!isSafeId(id) || registry.contains(id)) {
                throw new IllegalStateException("unusable session id from the generator: " + (id == null ? null
                        : id.length() > 40 ? id.substring(0, 40) + "..." : id) + (id != null && registry.contains(id)
                        ? " (in use)" : ""));
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "session id generation failed", e);
            verifier.rejectIdGeneration(f, v);
            reject(hc, ex, v, upgrade);
            return;
        }
        EngineSocketImpl sock = new EngineSocketImpl(this, hc, f, id);
        if (v.transportKind() == TransportKind.SSE) {
            SseChannel ch = new SseChannel(this, sock, id);
            SseTransport t = new SseTransport(ch);
            ch.attach(t);
            EngineSession s = new EngineSession(id, config, sock, registry, t, hc.state().engine(this).batches);
            sock.attach(s);
            ch.openHandshakeStream(hc, ex, config.cookie() == null ? null : config.cookie().serialize(id), nowNs);
            s.open(nowNs);
        } else if (v.transportKind() == TransportKind.POLLING) {
            PollingTransport t = new PollingTransport(v.protocol(), f.supportsBinary(),
                    f.isJsonp() ? PollingTransport.jsonpIndex(f.j) : null);
            EngineSession s = new EngineSession(id, config, sock, registry, t, hc.state().engine(this).batches);
            sock.attach(s);
            ex.handshakeCookie = config.cookie() == null ? null : config.cookie().serialize(id);
            ex.forGet(t, sock);
            hc.hold(ex);
            s.open(nowNs);
            if (s.state() != EngineSession.State.CLOSED && s.transport() == t) {
                t.onPollRequest(ex, nowNs);
            }
            if (hc.isResponding() && s.state() == EngineSession.State.CLOSED) {
                ex.respondStatusNow(hc, 400);
            }
        } else {
            write101(hc, ex, hs);
            EngineWsBridge bridge = new EngineWsBridge(this, sock, v.protocol(), f.supportsBinary());
            WsConnection ws = new WsConnection(hc.connection(), wsLimits, bridge, wsCloseTimeoutNs,
                    ServerCore.codec(hc, hs, perMessageDeflate));
            WebSocketTransport t = new WebSocketTransport(v.protocol(), f.supportsBinary(), bridge);
            bridge.attach(ws, t);
            EngineSession s = new EngineSession(id, config, sock, registry, t, hc.state().engine(this).batches);
            sock.attach(s);
            hc.upgraded();
            ws.start(nowNs);
            s.open(nowNs);
        }
    }

    private void existing(HttpConnection hc, EngineExchange ex, RequestFacts f, RequestVerdict v, boolean upgrade,
                          long nowNs) {
        EngineSession s = v.session();
        EngineSocketImpl sock = socketOf(s);
        if (s.state() == EngineSession.State.CLOSED) {
            // Registered but already leaving (closed on this pass): as unknown.
            ex.respondStatusNow(hc, 400);
            return;
        }
        if (upgrade) {
            WebSocketHandshake hs = ServerCore.validateHandshakeAsNodeWs(hc, perMessageDeflate);
            if (hs == null) {
                return;
            }
            write101(hc, ex, hs);
            EngineWsBridge bridge = new EngineWsBridge(this, sock, s.protocol(), f.supportsBinary());
            WsConnection ws = new WsConnection(hc.connection(), wsLimits, bridge, wsCloseTimeoutNs,
                    ServerCore.codec(hc, hs, perMessageDeflate));
            WebSocketTransport t = new WebSocketTransport(s.protocol(), f.supportsBinary(), bridge);
            bridge.attach(ws, t);
            hc.upgraded();
            ws.start(nowNs);
            s.onWebSocketUpgradeRequest(t, nowNs);
            return;
        }
        if (s.transport() instanceof SseTransport) {
            ((SseChannel) ((SseTransport) s.transport()).sink()).onRequest(hc, ex, s, nowNs);
            return;
        }
        PollingTransport t = (PollingTransport) s.transport();
        if (hc.parser().method() == HttpMethod.GET) {
            ex.forGet(t, sock);
            hc.hold(ex);
            t.onPollRequest(ex, nowNs);
        } else {
            String ct = hc.header(KnownHeader.CONTENT_TYPE);
            boolean octet = "application/octet-stream".equals(ct);
            ex.forPost(t, sock, octet, f.isJsonp());
            boolean hasBody = hc.parser().contentLength() > 0 || hc.parser().isChunked();
            if (t.onPostRequest(ex, octet, nowNs)) {
                if (hasBody) {
                    hc.readBody(config.maxHttpBufferSize(), ex, ex);
                } else {
                    ex.onBody(hc, ByteBuffer.allocate(0), 0, 0, nowNs);
                }
            }
        }
    }

    private void reject(HttpConnection hc, EngineExchange ex, RequestVerdict v, boolean upgrade) {
        if (upgrade) {
            if (v.afterWebSocketHandshake()) {
                WebSocketHandshake hs = ServerCore.validateHandshakeAsNodeWs(hc, perMessageDeflate);
                if (hs == null) {
                    return;
                }
                write101(hc, ex, hs);
            }
            // the reference's abortUpgrade, its spelling "Content-type" included
            byte[] body = v.errorMessage().getBytes(StandardCharsets.UTF_8);
            ByteBuffer dst = hc.output(128 + body.length);
            if (hc.writer().begin(dst, 400).connection(false, false).header(CONTENT_TYPE_ABORT_UPGRADE,
                    HttpResponseWriter.TEXT_HTML).contentLength(body.length).endHeaders().body(body).finish() < 0) {
                throw new IllegalStateException("upgrade error answer too large");
            }
            hc.respond(true);
            return;
        }
        ex.respondError(hc, v.errorCode(), v.errorMessage());
    }

    private void write101(HttpConnection hc, EngineExchange ex, WebSocketHandshake hs) {
        ByteBuffer dst = hc.output(512 + hs.headerLinesLength() + (ex.origin == null ? 0 : ex.origin.length()));
        WebSocketHandshake.writeStatusLine(dst);
        hs.writeHeaderLines(dst);
        if (cors != null) {
            cors.writeRaw(dst, ex.origin);
        }
        dst.put((byte) '\r').put((byte) '\n');
        hc.connection().commitWrite();
    }

    private static void answerHttpError(HttpConnection hc, HttpError e) {
        ByteBuffer dst = hc.output(1024);
        HttpResponseWriter.writeError(dst, e);
        hc.respond(true);
    }

    /** CORS as the npm {@code cors} 2.8.5 middleware answers it (see the reference inventory §11). */
    static final class Cors {
        final boolean any;
        final List<String> origins;
        final boolean credentials;
        final byte[] methods;
        final String allowedHeaders;
        final long maxAge;

        Cors(EngineConfig.CorsOptions o) {
            this.any = o.allowedOrigins().contains("*");
            this.origins = o.allowedOrigins();
            this.credentials = o.credentials();
            this.methods = ServerCore.ascii(o.methods());
            this.allowedHeaders = o.allowedHeaders();
            this.maxAge = o.maxAgeSeconds();
        }

        String allowedOrigin(String origin) {
            if (any) {
                return "*";
            }
            return origin != null && origins.contains(origin) ? origin : null;
        }

        /** The headers of a simple (non-preflight) answer. */
        void write(HttpResponseWriter w, String origin) {
            String allowed = allowedOrigin(origin);
            if (allowed != null) {
                w.header(HttpResponseWriter.ACCESS_CONTROL_ALLOW_ORIGIN, allowed);
            }
            if (credentials) {
                w.header(HttpResponseWriter.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
            }
            if (!any) {
                w.header(HttpResponseWriter.VARY, "Origin");
            }
        }

        /** The same as raw header lines into {@code dst} (for the 101 answer). */
        void writeRaw(ByteBuffer dst, String origin) {
            String allowed = allowedOrigin(origin);
            if (allowed != null) {
                line(dst, "Access-Control-Allow-Origin", allowed);
            }
            if (!any) {
                line(dst, "Vary", "Origin");
            }
            if (credentials) {
                line(dst, "Access-Control-Allow-Credentials", "true");
            }
        }

        private static void line(ByteBuffer dst, String name, String value) {
            for (int i = 0; i < name.length(); i++) {
                dst.put((byte) name.charAt(i));
            }
            dst.put((byte) ':').put((byte) ' ');
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                dst.put((byte) (c < 0x20 || c == 0x7F || c > 0xFF ? '?' : c));
            }
            dst.put((byte) '\r').put((byte) '\n');
        }
    }

    /** 1 to 128 characters of {@code A-Z a-z 0-9 - _ . ~}: safe in a URL, a cookie and JSON without escaping. */
    static boolean isSafeId(String id) {
        if (id == null || id.isEmpty() || id.length() > 128) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
