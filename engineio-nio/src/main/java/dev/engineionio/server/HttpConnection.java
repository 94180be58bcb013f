package dev.engineionio.server;

import dev.engineionio.driver.CloseCause;
import dev.engineionio.driver.Connection;
import dev.engineionio.driver.ConnectionHandler;
import dev.engineionio.driver.EventLoop;
import dev.engineionio.http.HttpBytes;
import dev.engineionio.http.HttpError;
import dev.engineionio.http.HttpRequestParser;
import dev.engineionio.http.HttpResponseWriter;
import dev.engineionio.http.KnownHeader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The driver handler of one HTTP/1.1 connection (RFC 9112): parses requests with an {@link HttpRequestParser} and
 * hands each head to the {@link HttpApp} through this object, which is also the per-connection exchange (reused for
 * every request of the connection).
 *
 * <h2>Requests and answers</h2>
 * Keep-alive per RFC 9112 §9.3; pipelined requests are answered in order: parsing stops while an answer is pending
 * (the bytes behind stay unconsumed in the connection, bounded by the driver's {@code maxRetainedBytes}) and resumes
 * when it is written. {@code Expect: 100-continue} is answered {@code 100 Continue} when the application asks for the
 * body. A parser error is answered with its canned response and the connection closed.
 *
 * <p>The application may, instead of answering, send the request elsewhere: {@link #migrate} moves the connection to
 * another loop, where the head is parsed and dispatched again; {@link #park} makes it wait, bytes unconsumed and
 * reading suspended, until {@link #unpark} dispatches it again (the Engine.IO request order: see {@link EngineIo}).
 * Either way the request keeps its place in its session's order ({@link #ticketFor}).
 *
 * <h2>Timeouts (the connection's single deadline)</h2>
 * <table>
 * <caption>HTTP timeouts</caption>
 * <tr><th>name</th><th>default</th><th>runs while</th><th>on expiry</th></tr>
 * <tr><td>{@code requestHeaderTimeout}</td><td>10 s</td><td>from the accept until the first request head is
 *     complete (a silent connection included); for a later request, from its first byte (slowloris)</td>
 *     <td>{@code 408} and close once any byte of the head arrived; a connection that sent nothing at all is closed
 *     without an answer (as nginx does: a browser's speculative preconnection that was never used must not get a
 *     response it did not ask for; Node's {@code http}, under the reference, writes {@code 408} there too)</td></tr>
 * <tr><td>{@code bodyTimeout}</td><td>= idle timeout</td><td>a body is being read</td><td>close</td></tr>
 * <tr><td>{@code idleTimeout}</td><td>60 s</td><td>between requests of a keep-alive connection</td><td>close</td></tr>
 * </table>
 * No HTTP timer runs while a request is held by the application (an Engine.IO long-poll lasts up to
 * {@code pingInterval}): the session's heartbeat bounds it.
 *
 * <h2>At the connection cap</h2>
 * The connection is {@link Connection#markServed() marked served} when its first request head is complete; until then
 * the driver may close it ({@link CloseCause#EVICTED}) to make room for a new connection at its connection cap. A
 * connection that carries a request, a held poll, a session or a WebSocket is therefore never evicted.
 *
 * <h2>Body</h2>
 * {@link #readBody} delivers the whole body once: as a span of the read buffer when it arrived in one read (zero
 * copy), else accumulated in a heap buffer of this connection, grown by doubling up to the limit and dropped after
 * delivery. Over the limit (Content-Length known at the head, or counted as chunks arrive) the application answers
 * (413) and the connection is closed after the answer, the rest of the body being read and dropped by the driver's
 * lingering close.
 *
 * <p>Threads: every method on the connection's loop. Buffers: the head spans are valid during the {@link HttpApp}
 * call only.
 */
final class HttpConnection implements ConnectionHandler {

    private static final byte[] TIMEOUT_408 =
            HttpResponseWriter.canned(408, w -> w.connection(false, false).contentLength(0).endHeaders());

    final ServerCore core;
    private final Connection connection;
    private final HttpRequestParser parser;
    private final Runnable resumeTask = this::resume;

    /** The Engine.IO exchange of this connection, made on its first Engine.IO request. */
    Object engineExchange;
    /** The SSE upstream exchange of this connection, made on its first SSE POST ({@code SseExchange}). */
    Object sseExchange;

    // the request being handled
    private ByteBuffer src;
    private int headStart;
    private boolean inRead;
    private boolean inBody;
    private boolean headTimerArmed;
    /** An answer is owed for the current request. */
    private boolean responding;
    private boolean keepAlive;
    private boolean http10;
    private boolean closeAfterResponse;
    private EventLoop migrateTo;
    /** The application asked to wait for the request's turn ({@link #park}); set during the dispatch call. */
    private boolean parkRequested;
    /** The request is parked: its bytes stay unconsumed and reading is suspended until {@link #unpark}. */
    private boolean parked;
    /** The Engine.IO session whose request order the current request holds a place in ({@link #ticket}), or null. */
    private EngineSocketImpl ticketOwner;
    private int ticket;
    private boolean upgraded;
    private boolean destroying;
    /** The parser stopped at an upgrade we ignore (e.g. h2c): reset it once the request is answered. */
    private boolean resetParser;
    private HttpApp.PendingListener pending;
    // body
    private HttpApp.BodySink bodySink;
    private long bodyLimit;
    private ByteBuffer bodyAcc;
    private long bodyLen;
    private boolean bodyDone;

    HttpConnection(ServerCore core, Connection connection) {
        this.core = core;
        this.connection = connection;
        this.parser = new HttpRequestParser(core.httpLimits);
    }

    // ------------------------------------------------------------------------------------------ exchange API

    Connection connection() {
        return connection;
    }

    EventLoop loop() {
        return connection.loop();
    }

    LoopState state() {
        return LoopState.of(connection.loop());
    }

    HttpRequestParser parser() {
        return parser;
    }

    /** The buffer holding the current head's spans (valid during the {@link HttpApp} call). */
    ByteBuffer buf() {
        return src;
    }

    boolean keepAlive() {
        return keepAlive && !closeAfterResponse;
    }

    boolean http10() {
        return http10;
    }

    /** The value of a known header as Latin-1 text, or null (allocates). */
    String header(KnownHeader h) {
        int i = parser.headerIndex(h);
        if (i < 0) {
            return null;
        }
        return latin1(src, parser.headerValueStart(i), parser.headerValueLength(i));
    }

    /** The first header named {@code lowerName} (case-insensitive) as Latin-1 text, or null (allocates). */
    String header(String name) {
        for (int i = 0, n = parser.headerCount(); i < n; i++) {
            if (parser.headerNameLength(i) == name.length() && equalsIgnoreCase(src, parser.headerNameStart(i), name)) {
                return latin1(src, parser.headerValueStart(i), parser.headerValueLength(i));
            }
        }
        return null;
    }

    static boolean equalsIgnoreCase(ByteBuffer b, int start, String s) {
        for (int j = 0; j < s.length(); j++) {
            int c = b.get(start + j) & 0xFF;
            int d = s.charAt(j);
            if (c != d && Character.toLowerCase(c) != Character.toLowerCase(d)) {
                return false;
            }
        }
        return true;
    }

    static String latin1(ByteBuffer b, int start, int len) {
        byte[] a = new byte[len];
        b.get(start, a, 0, len);
        return new String(a, StandardCharsets.ISO_8859_1);
    }

    /**
     * The request path, decoded as UTF-8 without percent-decoding (allocates). For an absolute-form target
     * ({@code http://host/p?q}) the path after the authority, {@code /} when that is empty (RFC 9112 §3.2.2).
     */
    String path() {
        if (parser.pathLength() == 0) {
            return "/";
        }
        byte[] a = new byte[parser.pathLength()];
        src.get(parser.pathStart(), a, 0, a.length);
        return new String(a, StandardCharsets.UTF_8);
    }

    /** The raw query without {@code ?}, or the empty string (allocates). */
    String rawQuery() {
        if (parser.queryLength() <= 0) {
            return "";
        }
        byte[] a = new byte[parser.queryLength()];
        src.get(parser.queryStart(), a, 0, a.length);
        return new String(a, StandardCharsets.UTF_8);
    }

    /**
     * Whether the target in origin form ({@code path?query}; of an absolute-form target, the part after the
     * authority) starts with {@code prefix} (ASCII, case-sensitive).
     */
    boolean targetStartsWith(byte[] prefix) {
        if (parser.originFormLength() < prefix.length) {
            return false;
        }
        int s = parser.originFormStart();
        for (int j = 0; j < prefix.length; j++) {
            if (src.get(s + j) != prefix[j]) {
                return false;
            }
        }
        return true;
    }

    /** Whether the path is exactly {@code path} (ASCII). */
    boolean pathEquals(byte[] path) {
        if (parser.pathLength() != path.length) {
            return false;
        }
        int s = parser.pathStart();
        for (int j = 0; j < path.length; j++) {
            if (src.get(s + j) != path[j]) {
                return false;
            }
        }
        return true;
    }

    /** A buffer with at least {@code minBytes} free for the answer; then {@link #respond}. */
    ByteBuffer output(int minBytes) {
        return connection.writeBuffer(minBytes);
    }

    /**
     * The answer was put into {@link #output}: commit it and go on with the next request (or close when the request
     * or {@code close} says so). {@code close} also asks the writer to have sent {@code Connection: close}.
     */
    void respond(boolean close) {
        connection.commitWrite();
        if (!responding) {
            return;
        }
        responding = false;
        pending = null;
        if (close || !keepAlive || closeAfterResponse) {
            connection.closeAfterFlush();
            return;
        }
        if (!inBody) {
            connection.setDeadline(connection.loop().nowNs() + core.idleTimeoutNs);
            if (!inRead && connection.retainedBytes() > 0) {
                // Pipelined requests wait: resume on the next pass (never re-enter a caller's stack).
                connection.loop().execute(resumeTask);
            }
        }
    }

    /** Writes a whole response made with the loop's writer; grows the buffer when it does not fit. */
    HttpResponseWriter writer() {
        return state().writer;
    }

    /** Holds the request: the answer comes later on this loop; {@code listener} hears of a lost connection. */
    void hold(HttpApp.PendingListener listener) {
        this.pending = listener;
    }

    /** Whether an answer is owed. */
    boolean isResponding() {
        return responding;
    }

    /**
     * Asks for the body (only after a {@code HEAD} event): delivered whole to {@code sink}, or {@code onBodyTooLarge}
     * past {@code limit} bytes. Writes {@code 100 Continue} when the client expects it.
     */
    void readBody(long limit, HttpApp.BodySink sink, HttpApp.PendingListener lost) {
        this.bodySink = sink;
        this.bodyLimit = limit;
        this.pending = lost;
        this.bodyLen = 0;
        this.bodyDone = false;
        if (!parser.isChunked() && parser.contentLength() > limit) {
            bodySink = null;
            closeAfterResponse = true;
            sink.onBodyTooLarge(this, connection.loop().nowNs());
            return;
        }
        if (parser.expectsContinue()) {
            ByteBuffer dst = connection.writeBuffer(32);
            HttpResponseWriter.writeContinue(dst);
            connection.commitWrite();
        }
    }

    /** Moves the connection to {@code target}, where the same request is parsed and dispatched again. */
    void migrate(EventLoop target) {
        this.migrateTo = target;
    }

    /**
     * A request about to be acted on without a session to follow: if this connection's home is another loop (its
     * first request, read on the accepting loop, see {@link dev.engineionio.driver.Connection#placement}), moves it
     * there, where the request is parsed and dispatched again, and returns true.
     */
    boolean placedElsewhere() {
        EventLoop home = connection.placement();
        if (home == connection.loop()) {
            return false;
        }
        migrate(home);
        return true;
    }

    /**
     * The current request's place in {@code owner}'s request order: the one it already holds (taken on the loop that
     * read it, before it moved or parked), else a new one. Held until {@link #dropTicket}.
     */
    int ticketFor(EngineSocketImpl owner) {
        if (ticketOwner != owner) {
            ticketOwner = owner;
            ticket = owner.takeTicket();
        }
        return ticket;
    }

    /** The current request was acted on (or holds no place any more). */
    void dropTicket() {
        ticketOwner = null;
    }

    /**
     * The current request waits for its turn: its bytes are kept unconsumed, reading stops, and {@link #unpark} (run
     * by the owner of its session, on this loop) parses and dispatches it again.
     */
    void park() {
        this.parkRequested = true;
    }

    /** The parked request's turn came (or its session closed): parse and dispatch it again; loop thread. */
    void unpark() {
        if (!parked) {
            return;
        }
        parked = false;
        if (connection.isOpen() && !connection.isClosing()) {
            connection.setReadEnabled(true);
            connection.redeliver();
        }
    }

    /** The connection now speaks another protocol (its new handler was installed). */
    void upgraded() {
        this.upgraded = true;
        this.responding = false;
    }

    /** Closes the connection after {@code delayNs} unless the peer closes first (destroyUpgrade). */
    void destroyAfter(long delayNs) {
        destroying = true;
        responding = false;
        connection.setDeadline(connection.loop().nowNs() + delayNs);
    }

    // ------------------------------------------------------------------------------------------ driver events

    @Override
    public void onOpen(Connection c, long nowNs) {
        // The first request head must be complete within requestHeaderTimeout of the accept, silent or not.
        headTimerArmed = true;
        c.setDeadline(nowNs + core.requestHeaderTimeoutNs);
    }

    @Override
    public void onRead(Connection c, ByteBuffer src, long nowNs) {
        inRead = true;
        try {
            process(src, nowNs);
        } finally {
            inRead = false;
            this.src = null;
        }
    }

    private void resume() {
        if (!responding && !upgraded && connection.isOpen() && !connection.isClosing()) {
            connection.redeliver();
        }
    }

    private void process(ByteBuffer src, long nowNs) {
        while (!upgraded && !destroying && !parked && connection.isOpen() && !connection.isClosing()) {
            if (responding && !inBody) {
                return; // answer in order: the next request waits, unconsumed
            }
            if (resetParser) {
                resetParser = false;
                parser.reset();
            }
            if (!inBody) {
                headStart = src.position();
            }
            int ev = parser.parse(src);
            switch (ev) {
                case HttpRequestParser.NEED_MORE:
                    if (!inBody && !headTimerArmed && !parser.isIdle()) {
                        headTimerArmed = true;
                        connection.setDeadline(nowNs + core.requestHeaderTimeoutNs);
                    }
                    return;
                case HttpRequestParser.REQUEST:
                case HttpRequestParser.HEAD:
                    startRequest(src, ev == HttpRequestParser.HEAD, nowNs);
                    if (requeued(src, nowNs)) {
                        return;
                    }
                    break;
                case HttpRequestParser.BODY:
                    onBodySpan(src, parser.bodyStart(), parser.bodyLength(), nowNs);
                    break;
                case HttpRequestParser.END:
                    inBody = false;
                    onBodyEnd(nowNs);
                    if (!responding && connection.isOpen() && !connection.isClosing()) {
                        connection.setDeadline(nowNs + core.idleTimeoutNs);
                    }
                    break;
                case HttpRequestParser.UPGRADE:
                    if (!isWebSocketUpgrade(src)) {
                        // Another protocol (e.g. the JDK client's h2c): ignored (RFC 9110 §7.8), answered as HTTP/1.1.
                        startRequest(src, false, nowNs);
                        resetParser = true;
                        if (requeued(src, nowNs)) {
                            resetParser = false;
                            return;
                        }
                        break;
                    }
                    headTimerArmed = false;
                    connection.markServed();
                    keepAlive = false;
                    http10 = parser.isHttp10();
                    responding = true;
                    connection.clearDeadline();
                    this.src = src;
                    core.onUpgrade(this, nowNs);
                    this.src = null;
                    requeued(src, nowNs);
                    return;
                default: // ERROR
                    HttpError e = parser.error();
                    ByteBuffer dst = connection.writeBuffer(1024);
                    HttpResponseWriter.writeError(dst, e);
                    connection.commitWrite();
                    connection.closeAfterFlush();
                    return;
            }
        }
    }

    /**
     * After a dispatch: if the application moved the request to another loop ({@link #migrate}) or made it wait for
     * its turn ({@link #park}), the head is un-read (parser reset, position back at its first byte) so that it is
     * parsed and dispatched again there or then, and true is returned. A parked connection stops reading; the idle
     * timeout stays armed as a backstop (its session's close wakes it first).
     */
    private boolean requeued(ByteBuffer src, long nowNs) {
        if (migrateTo == null && !parkRequested) {
            return false;
        }
        parser.reset();
        inBody = false;
        responding = false;
        src.position(headStart);
        if (migrateTo != null) {
            EventLoop target = migrateTo;
            migrateTo = null;
            connection.transferTo(target);
        } else {
            parkRequested = false;
            parked = true;
            connection.setReadEnabled(false);
            connection.setDeadline(nowNs + core.idleTimeoutNs);
        }
        return true;
    }

    private static final byte[] WEBSOCKET = {'w', 'e', 'b', 's', 'o', 'c', 'k', 'e', 't'};

    private boolean isWebSocketUpgrade(ByteBuffer src) {
        int i = parser.headerIndex(KnownHeader.UPGRADE);
        return i >= 0 && HttpBytes.containsToken(src, parser.headerValueStart(i), parser.headerValueLength(i), WEBSOCKET);
    }

    private void startRequest(ByteBuffer src, boolean hasBody, long nowNs) {
        headTimerArmed = false;
        connection.markServed();
        keepAlive = parser.isKeepAlive();
        http10 = parser.isHttp10();
        closeAfterResponse = false;
        responding = true;
        inBody = hasBody;
        bodySink = null;
        pending = null;
        if (hasBody) {
            connection.setDeadline(nowNs + core.idleTimeoutNs); // body timeout
        } else {
            connection.clearDeadline();
        }
        this.src = src;
        core.onRequest(this, nowNs);
        this.src = null;
        if (hasBody && bodySink == null && responding && migrateTo == null && !parkRequested && pending == null) {
            throw new IllegalStateException("application neither answered nor held nor read the body");
        }
    }

    private void onBodySpan(ByteBuffer src, int start, int len, long nowNs) {
        HttpApp.BodySink sink = bodySink;
        if (sink == null || bodyDone) {
            return; // discarded
        }
        if (bodyLen + len > bodyLimit) {
            bodySink = null;
            bodyAcc = null;
            closeAfterResponse = true;
            pending = null;
            sink.onBodyTooLarge(this, nowNs);
            return;
        }
        boolean complete = !parser.isChunked() && bodyLen + len == parser.contentLength();
        if (complete && bodyLen == 0) {
            bodyDone = true;
            deliverBody(sink, src, start, len, nowNs);
            return;
        }
        if (bodyAcc == null) {
            long want = parser.isChunked() ? Math.max(1024, len) : parser.contentLength();
            bodyAcc = ByteBuffer.allocate((int) Math.min(Math.max(want, len), bodyLimit));
        } else if (bodyAcc.remaining() < len) {
            long cap = Math.min(Math.max((long) bodyAcc.capacity() * 2, bodyLen + len), bodyLimit);
            ByteBuffer b = ByteBuffer.allocate((int) cap);
            bodyAcc.flip();
            b.put(bodyAcc);
            bodyAcc = b;
        }
        bodyAcc.put(bodyAcc.position(), src, start, len);
        bodyAcc.position(bodyAcc.position() + len);
        bodyLen += len;
        if (complete) {
            bodyDone = true;
            ByteBuffer acc = bodyAcc;
            bodyAcc = null;
            deliverBody(sink, acc, 0, (int) bodyLen, nowNs);
        }
    }

    private void onBodyEnd(long nowNs) {
        HttpApp.BodySink sink = bodySink;
        if (sink == null || bodyDone) {
            bodySink = null;
            return;
        }
        bodyDone = true;
        ByteBuffer acc = bodyAcc;
        bodyAcc = null;
        if (acc == null) {
            deliverBody(sink, ByteBuffer.allocate(0), 0, 0, nowNs);
        } else {
            deliverBody(sink, acc, 0, (int) bodyLen, nowNs);
        }
    }

    private void deliverBody(HttpApp.BodySink sink, ByteBuffer b, int start, int len, long nowNs) {
        bodySink = null;
        pending = null;
        sink.onBody(this, b, start, len, nowNs);
    }

    @Override
    public void onTimeout(Connection c, long nowNs) {
        if (destroying || responding || inBody || parser.isIdle()) {
            c.close();
            return;
        }
        ByteBuffer dst = c.writeBuffer(TIMEOUT_408.length);
        dst.put(TIMEOUT_408);
        c.commitWrite();
        c.closeAfterFlush();
    }

    @Override
    public void onEof(Connection c, long nowNs) {
        if (responding && pending != null) {
            // A held request whose client went away: treat as lost now.
            c.close();
            return;
        }
        c.closeAfterFlush();
    }

    @Override
    public void onShutdown(Connection c, long nowNs) {
        if (!responding) {
            c.closeAfterFlush();
            return;
        }
        // A held request is answered by the Engine.IO shutdown (sessions closed first) or cut at the grace's end; no
        // request after it (Connection: close).
        closeAfterResponse = true;
    }

    @Override
    public void onClose(Connection c, CloseCause cause) {
        EngineSocketImpl owner = ticketOwner;
        if (owner != null) {
            ticketOwner = null;
            parked = false;
            // Closed before its turn (parked, or on its way to the owner loop, or before it could leave the loop that
            // read it): its turn is skipped, on the owner loop (if that loop has terminated, nothing waits for it).
            int t = ticket;
            if (owner.loop == c.loop()) {
                owner.abandon(this, t);
            } else {
                owner.loop.offer(() -> owner.abandon(this, t));
            }
        }
        HttpApp.PendingListener l = pending;
        pending = null;
        bodySink = null;
        bodyAcc = null;
        if (l != null && responding) {
            responding = false;
            l.onConnectionLost(this, c.loop().nowNs());
        }
    }
}
