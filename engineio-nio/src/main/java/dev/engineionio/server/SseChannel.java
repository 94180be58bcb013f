package dev.engineionio.server;

import dev.engineionio.driver.CloseCause;
import dev.engineionio.driver.Connection;
import dev.engineionio.driver.ConnectionHandler;
import dev.engineionio.http.HttpMethod;
import dev.engineionio.http.HttpQuery;
import dev.engineionio.http.QueryParam;
import dev.engineionio.http.HttpResponseWriter;
import dev.engineionio.protocol.EngineError;
import dev.engineionio.protocol.PacketType;
import dev.engineionio.protocol.SseEventEncoder;
import dev.engineionio.session.EngineSession;
import dev.engineionio.session.WriteBuffer;
import dev.engineionio.session.RequestFacts;
import dev.engineionio.session.SseSink;
import dev.engineionio.session.SseTransport;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The SSE transport's glue for one session: the {@link SseSink} of its {@link SseTransport}. It numbers the events
 * ({@code id: <sid>:<seq>}), keeps the {@link SseReplayBuffer}, writes the stream's response head, and holds the
 * current stream connection, whose handler ({@link Stream}) it installs in place of the {@link HttpConnection} (as a
 * WebSocket handler is after a {@code 101}).
 *
 * <p>Requests (see the README's "SSE transport"):
 * <ul>
 * <li>handshake {@code GET ?EIO=4&transport=sse}: {@code 200 text/event-stream} and the open packet as event 1;</li>
 * <li>resume {@code GET ?EIO=4&transport=sse} with {@code Last-Event-ID: <sid>:<seq>} (what {@code EventSource} sends
 *     when it reconnects to the handshake URL): the events after {@code seq}, then live ones. A stream that is still
 *     attached is presumed dead (a cut the server has not seen yet) and is closed. A {@code seq} never sent:
 *     {@code 400 {"code":3}}; one no longer in the replay buffer: the same, and the session closes
 *     ({@code transport error}, {@code sse resume past the replay buffer});</li>
 * <li>{@code GET ...&transport=sse&sid=<sid>} without {@code Last-Event-ID}: {@code 400 {"code":3}}, the session is
 *     untouched;</li>
 * <li>{@code POST ...&transport=sse&sid=<sid>[&ack=<seq>]}: a polling payload, answered as a polling POST
 *     ({@link SseExchange}); {@code ack}, the last event the client has seen, releases the replay buffer up to it.</li>
 * </ul>
 *
 * <p>Loop thread only (the session's).
 */
final class SseChannel implements SseSink {
    /** The {@code retry:} the stream starts with: how long {@code EventSource} waits before it reconnects. */
    static final int RETRY_MS = 1000;
    private static final byte[] RETRY = ("retry: " + RETRY_MS + "\n\n").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT_STREAM = ServerCore.ascii("text/event-stream");
    private static final byte[] NO_CACHE = ServerCore.ascii("no-cache");
    private static final byte[] X_ACCEL_BUFFERING = ServerCore.ascii("X-Accel-Buffering");
    private static final byte[] NO = ServerCore.ascii("no");
    private static final String LAST_EVENT_ID = "last-event-id";

    private final EngineIo engine;
    private final EngineSocketImpl sock;
    private final byte[] idPrefix;
    private final SseReplayBuffer replay;
    private SseTransport transport;
    private Stream stream;

    SseChannel(EngineIo engine, EngineSocketImpl sock, String sid) {
        this.engine = engine;
        this.sock = sock;
        this.idPrefix = (sid + ":").getBytes(StandardCharsets.US_ASCII);
        this.replay = new SseReplayBuffer(engine.config.sseReplayBufferBytes());
    }

    void attach(SseTransport t) {
        this.transport = t;
    }

    /** The replay buffer (tests, memory accounting). */
    SseReplayBuffer replayBuffer() {
        return replay;
    }

    // ------------------------------------------------------------------------------------------ requests

    /**
     * Before verification: a stream GET without {@code sid} that carries a {@code Last-Event-ID} is a resume; its sid
     * becomes the request's. Returns false when the request was answered ({@code 400 {"code":3}}: the header is not
     * ours, or names another sid than the query).
     */
    static boolean resolveResume(HttpConnection hc, EngineExchange ex, RequestFacts f) {
        if (hc.parser().method() != HttpMethod.GET || !"sse".equals(f.transport)) {
            return true;
        }
        String lei = hc.header(LAST_EVENT_ID);
        if (lei == null) {
            return true;
        }
        int colon = SseEventEncoder.parseLastEventId(lei);
        if (colon < 0 || (f.hasSid() && !f.sid.contentEquals(lei.subSequence(0, colon)))) {
            ex.respondError(hc, EngineError.BAD_REQUEST, EngineError.BAD_REQUEST.message());
            return false;
        }
        f.sid = lei.substring(0, colon);
        return true;
    }

    /** A handshake: the response head and the {@code retry:} line; the stream is attached for the open packet. */
    void openHandshakeStream(HttpConnection hc, EngineExchange ex, String cookie, long nowNs) {
        Connection c = startStream(hc, ex, cookie, 0);
        transport.onStreamAttached(c.isWritable(), nowNs);
    }

    /** A request for this session (already verified, on its loop). */
    void onRequest(HttpConnection hc, EngineExchange ex, EngineSession s, long nowNs) {
        if (hc.parser().method() == HttpMethod.GET) {
            String lei = hc.header(LAST_EVENT_ID);
            int colon = SseEventEncoder.parseLastEventId(lei);
            if (colon < 0) {
                ex.respondError(hc, EngineError.BAD_REQUEST, EngineError.BAD_REQUEST.message());
                return;
            }
            long lastSeq = Long.parseLong(lei, colon + 1, lei.length(), 10);
            if (!replay.canResumeAfter(lastSeq)) {
                ex.respondError(hc, EngineError.BAD_REQUEST, EngineError.BAD_REQUEST.message());
                if (lastSeq < replay.nextSeq()) {
                    transport.onResumeFailed(nowNs);
                }
                return;
            }
            Stream old = stream;
            if (old != null) {
                stream = null;
                old.connection.close(); // presumed dead: its client is reconnecting
            }
            int n = replay.replayLength(lastSeq);
            Connection c = startStream(hc, ex, null, n);
            if (n > 0) {
                ByteBuffer dst = c.writeBuffer(n);
                replay.replay(lastSeq, dst);
                c.commitWrite();
            }
            transport.onStreamAttached(c.isWritable(), nowNs);
            return;
        }
        long ack = ack(hc);
        if (ack > 0) {
            replay.releaseThrough(ack);
        }
        SseExchange.of(hc, engine).post(hc, ex.origin, transport, sock, nowNs);
    }

    /** The POST's {@code ack} (1 to 18 digits), or -1 when absent or not a number; no allocation. */
    private static long ack(HttpConnection hc) {
        HttpQuery q = hc.state().query;
        if (!q.has(QueryParam.ACK)) {
            return -1;
        }
        int n = q.length(QueryParam.ACK);
        if (n < 1 || n > 18) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            byte b = q.byteAt(hc.buf(), QueryParam.ACK, i);
            if (b < '0' || b > '9') {
                return -1;
            }
            v = v * 10 + (b - '0');
        }
        return v;
    }

    private Connection startStream(HttpConnection hc, EngineExchange ex, String cookie, int extra) {
        Connection c = hc.connection();
        int room = 512 + (ex.origin == null ? 0 : ex.origin.length()) + (cookie == null ? 0 : cookie.length());
        ByteBuffer dst = hc.output(room + RETRY.length);
        HttpResponseWriter w = hc.writer().begin(dst, 200)
                .header(HttpResponseWriter.CONTENT_TYPE, EVENT_STREAM)
                .header(HttpResponseWriter.CACHE_CONTROL, NO_CACHE)
                .header(X_ACCEL_BUFFERING, NO);
        if (cookie != null) {
            w.header(HttpResponseWriter.SET_COOKIE, cookie);
        }
        if (engine.cors != null) {
            engine.cors.write(w, ex.origin);
        }
        w.connection(false, hc.http10()).endHeaders();
        if (w.finish() < 0) {
            throw new IllegalStateException("response head over " + room + " bytes");
        }
        dst.put(RETRY);
        c.commitWrite();
        hc.upgraded();
        Stream st = new Stream(c);
        stream = st;
        c.setHandler(st);
        return c;
    }

    // ------------------------------------------------------------------------------------------ SseSink

    @Override
    public boolean send(WriteBuffer batch) {
        Stream st = stream;
        Connection c = st == null ? null : st.connection;
        int n = batch.count();
        long seq0 = replay.nextSeq();
        int total = 0;
        for (int i = 0; i < n; i++) {
            total += batch.isBinary(i) ? SseEventEncoder.measureBinary(idPrefix, seq0 + i, batch.binary(i))
                    : SseEventEncoder.measureText(idPrefix, seq0 + i, batch.type(i), batch.text(i));
        }
        // the whole batch into one output buffer, one commit; each event is also copied into the replay buffer
        ByteBuffer dst = c != null ? c.writeBuffer(total) : LoopState.of(sock.loop).scratch(total);
        for (int i = 0; i < n; i++) {
            long seq = replay.nextSeq();
            int p = dst.position();
            if (batch.isBinary(i)) {
                SseEventEncoder.writeBinary(idPrefix, seq, batch.binary(i), dst);
            } else {
                SseEventEncoder.writeText(idPrefix, seq, batch.type(i), batch.text(i), dst);
            }
            replay.append(dst, p, dst.position() - p);
        }
        if (c != null) {
            c.commitWrite();
        }
        return c != null && c.isWritable();
    }

    @Override
    public void end() {
        Stream st = stream;
        if (st != null) {
            stream = null;
            st.connection.closeAfterFlush();
        }
    }

    private void lost(Stream st, long nowNs) {
        if (stream != st) {
            return; // replaced by a resume, or ended by us
        }
        stream = null;
        transport.onStreamLost(nowNs);
    }

    private void writable(Stream st, long nowNs) {
        if (stream == st) {
            transport.onStreamWritable(nowNs);
        }
    }

    /** The handler of one stream connection: input is ignored, loss and backpressure go to the channel. */
    final class Stream implements ConnectionHandler {
        final Connection connection;

        Stream(Connection connection) {
            this.connection = connection;
        }

        @Override
        public void onRead(Connection c, ByteBuffer src, long nowNs) {
            src.position(src.limit()); // an event stream has no input; whatever comes is dropped
        }

        @Override
        public void onEof(Connection c, long nowNs) {
            c.close();
        }

        @Override
        public void onWritable(Connection c, long nowNs) {
            writable(this, nowNs);
        }

        @Override
        public void onTimeout(Connection c, long nowNs) {
        }

        @Override
        public void onClose(Connection c, CloseCause cause) {
            lost(this, c.loop().nowNs());
        }
    }
}
