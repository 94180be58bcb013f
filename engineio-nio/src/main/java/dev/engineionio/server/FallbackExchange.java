package dev.engineionio.server;

import dev.engineionio.HttpHandler;
import dev.engineionio.HttpRequest;
import dev.engineionio.HttpResponse;
import dev.engineionio.http.HttpRequestParser;
import dev.engineionio.http.HttpResponseWriter;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs the user's fallback {@link HttpHandler}: copies the request into an immutable {@link HttpRequest} (the cold
 * path: allocation is fine here), reads the body up to {@code maxRequestBodySize} ({@code 413} over it), and writes
 * the {@link HttpResponse}. Loop thread.
 */
final class FallbackExchange implements HttpApp.BodySink {

    private static final System.Logger LOG = System.getLogger(FallbackExchange.class.getName());
    private static final byte[] EMPTY = new byte[0];

    private final HttpHandler handler;
    private final long maxBodySize;
    private String method;
    private String path;
    private String query;
    private Map<String, List<String>> headers;

    FallbackExchange(HttpHandler handler, long maxBodySize) {
        this.handler = handler;
        this.maxBodySize = maxBodySize;
    }

    /** Default handler: {@code 404 Not Found}. */
    static final HttpHandler NOT_FOUND = (req, res) -> res.status(404).header("Content-Type", "text/plain; charset=UTF-8")
            .send("Not Found");

    void onRequest(HttpConnection hc, boolean hasBody, long nowNs) {
        HttpRequestParser p = hc.parser();
        ByteBuffer b = hc.buf();
        method = HttpConnection.latin1(b, p.methodStart(), p.methodLength());
        path = hc.path();
        query = hc.rawQuery();
        Map<String, List<String>> h = RequestSnapshot.headersOf(hc);
        headers = h;
        if (hasBody) {
            hc.readBody(maxBodySize, this, null);
        } else {
            run(hc, EMPTY);
        }
    }

    @Override
    public void onBody(HttpConnection hc, ByteBuffer buf, int offset, int length, long nowNs) {
        byte[] body = new byte[length];
        buf.get(offset, body, 0, length);
        run(hc, body);
    }

    @Override
    public void onBodyTooLarge(HttpConnection hc, long nowNs) {
        byte[] b = "Payload Too Large".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        write(hc, 413, List.of("Content-Type", "text/plain; charset=UTF-8"), "HEAD".equals(method) ? null : b, b.length,
                true);
    }

    private void run(HttpConnection hc, byte[] body) {
        RequestSnapshot req = new RequestSnapshot(method, path, query, headers, body, hc.connection().remoteAddress());
        Res res = new Res();
        try {
            handler.handle(req, res);
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.WARNING, "HttpHandler threw", t);
            if (!res.sent) {
                res.status = 500;
                res.headers.clear();
                res.body = EMPTY;
                res.sent = true;
            }
        }
        if (!res.sent) {
            LOG.log(System.Logger.Level.WARNING, "HttpHandler returned without sending: 500");
            res.status = 500;
            res.body = EMPTY;
        }
        try {
            write(hc, res.status, res.headers, "HEAD".equals(method) ? null : res.body, res.body.length, false);
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "HttpHandler gave an invalid header: 500", e);
            write(hc, 500, List.of(), EMPTY, 0, false);
        }
    }

    /** Writes the answer; {@code body} null (a HEAD request) sends the length without the body. */
    private static void write(HttpConnection hc, int status, List<String> headers, byte[] body, int length,
                              boolean close) {
        int size = 256 + length;
        for (String s : headers) {
            size += s.length() + 4;
        }
        while (true) {
            ByteBuffer dst = hc.output(size);
            HttpResponseWriter w = hc.writer().begin(dst, status);
            for (int i = 0; i < headers.size(); i += 2) {
                w.header(headers.get(i), headers.get(i + 1));
            }
            w.contentLength(length).connection(hc.keepAlive() && !close, hc.http10()).endHeaders();
            if (body != null) {
                w.body(body);
            }
            if (w.finish() >= 0) {
                break;
            }
            size *= 2;
        }
        hc.respond(close);
    }

    private static final class Res implements HttpResponse {
        int status = 200;
        final List<String> headers = new ArrayList<>();
        byte[] body = EMPTY;
        boolean sent;

        @Override
        public HttpResponse status(int status) {
            if (status < 200 || status > 599 || status == 204 || status == 304) {
                throw new IllegalArgumentException("status " + status + " (200-599, not 204/304)");
            }
            this.status = status;
            return this;
        }

        @Override
        public HttpResponse header(String name, String value) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("content-length") || lower.equals("connection") || lower.equals("transfer-encoding")) {
                throw new IllegalArgumentException(name + " is written by the server");
            }
            headers.add(name);
            headers.add(value);
            return this;
        }

        @Override
        public void send(byte[] body) {
            if (sent) {
                throw new IllegalStateException("response already sent");
            }
            sent = true;
            this.body = body;
        }
    }
}
