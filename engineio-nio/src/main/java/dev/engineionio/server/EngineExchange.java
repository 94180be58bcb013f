package dev.engineionio.server;

import dev.engineionio.http.HttpMethod;
import dev.engineionio.http.HttpResponseWriter;
import dev.engineionio.http.KnownHeader;
import dev.engineionio.protocol.EngineError;
import dev.engineionio.protocol.Jsonp;
import dev.engineionio.protocol.PacketEncoder;
import dev.engineionio.protocol.ProtocolVersion;
import dev.engineionio.session.PollResponder;
import dev.engineionio.session.PollingTransport;
import dev.engineionio.session.PostResponder;
import dev.engineionio.session.RequestFacts;
import dev.engineionio.session.WriteBuffer;
import java.nio.ByteBuffer;

/**
 * The Engine.IO side of one HTTP connection, reused for each of its requests: the {@link PollResponder} of a polling
 * GET, the {@link PostResponder}, body sink and packet handler of a POST, and the writer of the reference's answers.
 *
 * <h2>Headers, as engine.io 6.6.12 sends them (see the wire transcripts)</h2>
 * <ul>
 * <li>GET 200: {@code Content-Type: text/plain; charset=UTF-8} ({@code application/octet-stream} for a v3 binary
 *     payload; JSONP too is {@code text/plain}), {@code Content-Length}, {@code cache-control: no-store},
 *     {@code X-XSS-Protection: 0} for MSIE/Trident user agents, {@code Set-Cookie} on the handshake when configured,
 *     then CORS;</li>
 * <li>POST 200: {@code Content-Type: text/html}, {@code Content-Length: 2}, {@code cache-control: no-store}, body
 *     {@code ok};</li>
 * <li>errors: {@code Content-Type: application/json} and {@code {"code":N,"message":"..."}}; empty statuses (400, 413,
 *     500) carry CORS and {@code Content-Length: 0};</li>
 * <li>CORS: {@code Access-Control-Allow-Origin}, {@code Access-Control-Allow-Credentials}, {@code Vary: Origin};
 *     preflight {@code 204} with the methods and the reflected request headers.</li>
 * </ul>
 * Framing differs from Node's where it is not observable to a client: bodies are always sent with
 * {@code Content-Length} (Node uses chunked encoding for some errors), and {@code Connection} follows RFC 9112
 * persistence. Responses are encoded straight into the connection's output chunks (JSONP goes through the loop's
 * scratch buffer for its escaping). {@code httpCompression}: a GET answer of at least the threshold (1024 bytes) with
 * a packet that may be compressed is gzip- or deflate-encoded per {@code Accept-Encoding} ({@link HttpCompression}),
 * with {@code Content-Encoding} and {@code Content-Length} (Node: chunked).
 *
 * <p>Loop thread only (the connection's loop, which is also the session's).
 */
final class EngineExchange implements PollResponder, PostResponder, HttpApp.PendingListener, HttpApp.BodySink {

    private static final byte[] TEXT_PLAIN = ServerCore.ascii("text/plain; charset=UTF-8");
    private static final byte[] OCTET_STREAM = ServerCore.ascii("application/octet-stream");
    private static final byte[] TEXT_HTML = ServerCore.ascii("text/html");
    private static final byte[] APPLICATION_JSON = ServerCore.ascii("application/json");
    private static final byte[] NO_STORE = ServerCore.ascii("no-store");
    private static final byte[] ZERO = ServerCore.ascii("0");
    private static final byte[] OK = ServerCore.ascii("ok");
    private static final int HEADER_ROOM = 512;

    private final EngineIo engine;
    private final HttpConnection hc;

    // the current request
    String origin;
    private boolean msie;
    private int encoding;
    String handshakeCookie;
    private PollingTransport transport;
    private EngineSocketImpl sock;
    private boolean post;
    private boolean octet;
    private boolean jsonp;

    private EngineExchange(EngineIo engine, HttpConnection hc) {
        this.engine = engine;
        this.hc = hc;
    }

    static EngineExchange of(HttpConnection hc, EngineIo engine) {
        EngineExchange ex = (EngineExchange) hc.engineExchange;
        if (ex == null) {
            ex = new EngineExchange(engine, hc);
            hc.engineExchange = ex;
        }
        return ex;
    }

    /** Copies what answers given later need from the current head (origin, user agent). */
    void capture(HttpConnection hc, RequestFacts f) {
        origin = f.origin;
        handshakeCookie = null;
        transport = null;
        sock = null;
        post = false;
        msie = userAgentIsMsie(hc);
        encoding = engine.config.httpCompressionThreshold() < 0 || hc.parser().method() != HttpMethod.GET
                ? HttpCompression.NONE : HttpCompression.negotiate(hc.header(KnownHeader.ACCEPT_ENCODING));
    }

    private static final byte[] MSIE = ServerCore.ascii(";MSIE");
    private static final byte[] TRIDENT = ServerCore.ascii("Trident/");

    /** The reference's {@code ;MSIE} / {@code Trident/} test, on the header bytes (no String). */
    private static boolean userAgentIsMsie(HttpConnection hc) {
        int i = hc.parser().headerIndex(KnownHeader.USER_AGENT);
        if (i < 0) {
            return false;
        }
        ByteBuffer b = hc.buf();
        int start = hc.parser().headerValueStart(i);
        int end = start + hc.parser().headerValueLength(i);
        return contains(b, start, end, MSIE) || contains(b, start, end, TRIDENT);
    }

    private static boolean contains(ByteBuffer b, int start, int end, byte[] needle) {
        outer:
        for (int p = start; p + needle.length <= end; p++) {
            for (int j = 0; j < needle.length; j++) {
                if (b.get(p + j) != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    void forGet(PollingTransport t, EngineSocketImpl s) {
        transport = t;
        sock = s;
        post = false;
    }

    void forPost(PollingTransport t, EngineSocketImpl s, boolean octetStream, boolean isJsonp) {
        transport = t;
        sock = s;
        post = true;
        octet = octetStream;
        jsonp = isJsonp;
    }

    // ------------------------------------------------------------------------------------------ PollResponder

    @Override
    public void respond(WriteBuffer batch) {
        if (!hc.isResponding() || !hc.connection().isOpen()) {
            return; // the request's connection is gone: drop silently
        }
        PollingTransport t = transport;
        ProtocolVersion pv = t.protocol() == 4 ? ProtocolVersion.V4 : ProtocolVersion.V3;
        boolean isJsonp = t.isJsonp();
        boolean supportsBinary = t.supportsBinary() && !isJsonp;
        boolean binaryPayload = PacketEncoder.isBinaryPayload(pv, supportsBinary, batch);
        int payloadLength = PacketEncoder.measurePayload(pv, supportsBinary, batch);
        ByteBuffer payload = null;
        int bodyLength = payloadLength;
        if (isJsonp) {
            payload = hc.state().scratch(payloadLength);
            PacketEncoder.writePayload(pv, false, batch, payload);
            payload.flip();
            bodyLength = Jsonp.measureWrap(t.jsonpIndex(), payload);
        }
        int room = HEADER_ROOM + extraHeaderRoom();
        if (encoding != HttpCompression.NONE && batch.anyCompress()
                && bodyLength >= engine.config.httpCompressionThreshold()) {
            respondCompressed(batch, pv, supportsBinary, binaryPayload, payload, payloadLength, room);
            return;
        }
        ByteBuffer dst = hc.output(room + bodyLength);
        HttpResponseWriter w = hc.writer().begin(dst, 200)
                .header(HttpResponseWriter.CONTENT_TYPE, binaryPayload ? OCTET_STREAM : TEXT_PLAIN)
                .contentLength(bodyLength)
                .header(HttpResponseWriter.CACHE_CONTROL, NO_STORE);
        if (msie) {
            w.header(HttpResponseWriter.X_XSS_PROTECTION, ZERO);
        }
        if (handshakeCookie != null) {
            w.header(HttpResponseWriter.SET_COOKIE, handshakeCookie);
            handshakeCookie = null;
        }
        cors(w);
        w.connection(hc.keepAlive(), hc.http10()).endHeaders();
        if (w.finish() < 0) {
            throw new IllegalStateException("response head over " + room + " bytes");
        }
        if (isJsonp) {
            Jsonp.wrap(t.jsonpIndex(), payload, dst);
        } else {
            PacketEncoder.writePayload(pv, supportsBinary, batch, dst);
        }
        hc.respond(false);
    }

    private static final byte[] GZIP = ServerCore.ascii("gzip");
    private static final byte[] DEFLATE = ServerCore.ascii("deflate");
    private static final byte[] CONTENT_ENCODING = ServerCore.ascii("Content-Encoding");

    /** The reference's compressed answer: the body (payload, or JSONP-wrapped) gzip- or deflate-encoded. */
    private void respondCompressed(WriteBuffer batch, ProtocolVersion pv, boolean supportsBinary, boolean binaryPayload,
                                   ByteBuffer jsonpPayload, int payloadLength, int room) {
        LoopState st = hc.state();
        ByteBuffer body;
        if (jsonpPayload != null) {
            ByteBuffer wrapped = ByteBuffer.allocate(Jsonp.measureWrap(transport.jsonpIndex(), jsonpPayload));
            Jsonp.wrap(transport.jsonpIndex(), jsonpPayload, wrapped);
            wrapped.flip();
            body = wrapped;
        } else {
            body = st.scratch(payloadLength);
            PacketEncoder.writePayload(pv, supportsBinary, batch, body);
            body.flip();
        }
        HttpCompression c = st.compression();
        int n = c.compress(encoding, body);
        ByteBuffer dst = hc.output(room + n);
        HttpResponseWriter w = hc.writer().begin(dst, 200)
                .header(HttpResponseWriter.CONTENT_TYPE, binaryPayload ? OCTET_STREAM : TEXT_PLAIN)
                .header(CONTENT_ENCODING, encoding == HttpCompression.GZIP ? GZIP : DEFLATE)
                .contentLength(n)
                .header(HttpResponseWriter.CACHE_CONTROL, NO_STORE);
        if (msie) {
            w.header(HttpResponseWriter.X_XSS_PROTECTION, ZERO);
        }
        if (handshakeCookie != null) {
            w.header(HttpResponseWriter.SET_COOKIE, handshakeCookie);
            handshakeCookie = null;
        }
        cors(w);
        w.connection(hc.keepAlive(), hc.http10()).endHeaders();
        finish(w);
        dst.put(c.output(), 0, n);
        hc.respond(false);
    }

    private int extraHeaderRoom() {
        return (origin == null ? 0 : origin.length()) + (handshakeCookie == null ? 0 : handshakeCookie.length());
    }

    @Override
    public void respondStatus(int status) {
        if (!hc.isResponding() || !hc.connection().isOpen()) {
            return;
        }
        respondStatusNow(hc, status);
    }

    // ------------------------------------------------------------------------------------------ PostResponder

    @Override
    public void respondOk() {
        if (!hc.isResponding() || !hc.connection().isOpen()) {
            return;
        }
        ByteBuffer dst = hc.output(HEADER_ROOM + extraHeaderRoom());
        HttpResponseWriter w = hc.writer().begin(dst, 200)
                .header(HttpResponseWriter.CONTENT_TYPE, TEXT_HTML)
                .contentLength(2)
                .header(HttpResponseWriter.CACHE_CONTROL, NO_STORE);
        if (msie) {
            w.header(HttpResponseWriter.X_XSS_PROTECTION, ZERO);
        }
        cors(w);
        w.connection(hc.keepAlive(), hc.http10()).endHeaders().body(OK);
        finish(w);
        hc.respond(false);
    }

    @Override
    public void abort() {
        hc.connection().close();
    }

    // ------------------------------------------------------------------------------------------ body and packets

    @Override
    public void onBody(HttpConnection hc, ByteBuffer buf, int offset, int length, long nowNs) {
        ProtocolVersion pv = transport.protocol() == 4 ? ProtocolVersion.V4 : ProtocolVersion.V3;
        hc.state().engine(engine).postBody.read(transport, this, pv, jsonp, octet, buf, offset, length, nowNs);
    }

    @Override
    public void onBodyTooLarge(HttpConnection hc, long nowNs) {
        transport.onPostBodyTooLarge(this, nowNs);
    }

    @Override
    public void onConnectionLost(HttpConnection hc, long nowNs) {
        if (transport == null) {
            return;
        }
        if (post) {
            transport.onPostConnectionClosed(this, nowNs);
        } else {
            transport.onPollConnectionClosed(this, nowNs);
        }
    }

    // ------------------------------------------------------------------------------------------ direct answers

    void respondStatusNow(HttpConnection hc, int status) {
        ByteBuffer dst = hc.output(HEADER_ROOM + extraHeaderRoom());
        HttpResponseWriter w = hc.writer().begin(dst, status);
        cors(w);
        w.contentLength(0).connection(hc.keepAlive(), hc.http10()).endHeaders();
        finish(w);
        hc.respond(false);
    }

    /**
     * The reference's {@code abortRequest}: {@code error}'s HTTP status and the JSON body
     * {@code {"code":N,"message":"..."}} with {@code message} (the standard one, or an {@code allowRequest} refusal
     * reason), written by the codec straight into the output.
     */
    void respondError(HttpConnection hc, EngineError error, CharSequence message) {
        int length = PacketEncoder.measureErrorBody(error.code(), message);
        ByteBuffer dst = hc.output(HEADER_ROOM + extraHeaderRoom() + length);
        HttpResponseWriter w = hc.writer().begin(dst, error.httpStatus())
                .header(HttpResponseWriter.CONTENT_TYPE, APPLICATION_JSON);
        cors(w);
        w.contentLength(length).connection(hc.keepAlive(), hc.http10()).endHeaders();
        finish(w);
        if (hc.parser().method() != HttpMethod.HEAD) {
            PacketEncoder.writeErrorBody(error.code(), message, dst); // HEAD: the length, no body (RFC 9110 §9.3.2)
        }
        hc.respond(false);
    }

    /** The CORS preflight answer ({@code 204}), as the {@code cors} middleware gives it. */
    void preflight(HttpConnection hc) {
        EngineIo.Cors c = engine.cors;
        String requested = hc.header(KnownHeader.ACCESS_CONTROL_REQUEST_HEADERS);
        String allowHeaders = c.allowedHeaders != null ? c.allowedHeaders : requested;
        int extra = extraHeaderRoom() + (allowHeaders == null ? 0 : allowHeaders.length()) + c.methods.length;
        ByteBuffer dst = hc.output(HEADER_ROOM + extra);
        HttpResponseWriter w = hc.writer().begin(dst, 204).contentLength(0);
        String allowed = c.allowedOrigin(origin);
        if (allowed != null) {
            w.header(HttpResponseWriter.ACCESS_CONTROL_ALLOW_ORIGIN, allowed);
        }
        if (c.credentials) {
            w.header(HttpResponseWriter.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
        }
        w.header(HttpResponseWriter.ACCESS_CONTROL_ALLOW_METHODS, c.methods);
        if (allowHeaders != null && !allowHeaders.isEmpty()) {
            w.header(HttpResponseWriter.ACCESS_CONTROL_ALLOW_HEADERS, allowHeaders);
        }
        if (c.maxAge >= 0) {
            w.header("Access-Control-Max-Age", Long.toString(c.maxAge));
        }
        String vary = c.any ? null : "Origin";
        if (c.allowedHeaders == null) {
            vary = vary == null ? "Access-Control-Request-Headers" : vary + ", Access-Control-Request-Headers";
        }
        if (vary != null) {
            w.header(HttpResponseWriter.VARY, vary);
        }
        w.connection(hc.keepAlive(), hc.http10()).endHeaders();
        finish(w);
        hc.respond(false);
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
