package dev.engineionio.server;

import dev.engineionio.http.HttpResponseWriter;
import dev.engineionio.http.KnownHeader;
import dev.engineionio.protocol.ProtocolVersion;
import dev.engineionio.session.PostResponder;
import dev.engineionio.session.SseTransport;
import java.nio.ByteBuffer;

/**
 * The upstream side of the SSE transport on one HTTP connection, reused for each of its POSTs: a v4 polling payload
 * in, delivered packet by packet to the {@link SseTransport}, answered exactly as a polling POST ({@code 200}
 * {@code text/html} {@code ok}, {@code 400} on overlap or {@code application/octet-stream}, {@code 413} over
 * {@code maxHttpBufferSize}, CORS as configured).
 *
 * <p>Loop thread only (the connection's loop, which is the session's).
 */
final class SseExchange implements PostResponder, HttpApp.PendingListener, HttpApp.BodySink {
    private static final byte[] TEXT_HTML = ServerCore.ascii("text/html");
    private static final byte[] NO_STORE = ServerCore.ascii("no-store");
    private static final byte[] OK = ServerCore.ascii("ok");
    private static final int HEADER_ROOM = 512;

    private final EngineIo engine;
    private final HttpConnection hc;
    private String origin;
    private SseTransport transport;
    private EngineSocketImpl sock;

    private SseExchange(EngineIo engine, HttpConnection hc) {
        this.engine = engine;
        this.hc = hc;
    }

    static SseExchange of(HttpConnection hc, EngineIo engine) {
        SseExchange ex = (SseExchange) hc.sseExchange;
        if (ex == null) {
            ex = new SseExchange(engine, hc);
            hc.sseExchange = ex;
        }
        return ex;
    }

    void post(HttpConnection hc, String origin, SseTransport t, EngineSocketImpl s, long nowNs) {
        this.origin = origin;
        this.transport = t;
        this.sock = s;
        boolean octet = "application/octet-stream".equals(hc.header(KnownHeader.CONTENT_TYPE));
        boolean hasBody = hc.parser().contentLength() > 0 || hc.parser().isChunked();
        if (t.onPostRequest(this, octet, nowNs)) {
            if (hasBody) {
                hc.readBody(engine.config.maxHttpBufferSize(), this, this);
            } else {
                onBody(hc, ByteBuffer.allocate(0), 0, 0, nowNs);
            }
        }
    }

    @Override
    public void onBody(HttpConnection hc, ByteBuffer buf, int offset, int length, long nowNs) {
        hc.state().engine(engine).postBody.read(transport, this, ProtocolVersion.V4, false, false, buf, offset, length, nowNs);
    }

    @Override
    public void onBodyTooLarge(HttpConnection hc, long nowNs) {
        transport.onPostBodyTooLarge(this, nowNs);
    }

    @Override
    public void onConnectionLost(HttpConnection hc, long nowNs) {
        if (transport != null) {
            transport.onPostConnectionClosed(this, nowNs);
        }
    }

    @Override
    public void respondOk() {
        if (!hc.isResponding() || !hc.connection().isOpen()) {
            return;
        }
        ByteBuffer dst = hc.output(HEADER_ROOM + (origin == null ? 0 : origin.length()));
        HttpResponseWriter w = hc.writer().begin(dst, 200)
                .header(HttpResponseWriter.CONTENT_TYPE, TEXT_HTML)
                .contentLength(2)
                .header(HttpResponseWriter.CACHE_CONTROL, NO_STORE);
        cors(w);
        w.connection(hc.keepAlive(), hc.http10()).endHeaders().body(OK);
        finish(w);
        hc.respond(false);
    }

    @Override
    public void respondStatus(int status) {
        if (!hc.isResponding() || !hc.connection().isOpen()) {
            return;
        }
        ByteBuffer dst = hc.output(HEADER_ROOM + (origin == null ? 0 : origin.length()));
        HttpResponseWriter w = hc.writer().begin(dst, status);
        cors(w);
        w.contentLength(0).connection(hc.keepAlive(), hc.http10()).endHeaders();
        finish(w);
        hc.respond(false);
    }

    @Override
    public void abort() {
        hc.connection().close();
    }

    private void cors(HttpResponseWriter w) {
        if (engine.cors != null) {
            engine.cors.write(w, origin);
        }
    }

    private static void finish(HttpResponseWriter w) {
        if (w.finish() < 0) {
            throw new IllegalStateException("response head too large");
        }
    }
}
