package dev.engineionio.server;

import dev.engineionio.HttpRequest;
import dev.engineionio.http.HttpRequestParser;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** An immutable copy of a request head (and body), for the public API; any thread may read it. */
final class RequestSnapshot implements HttpRequest {
    private final String method;
    private final String path;
    private final String query;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private final SocketAddress remote;

    /** A snapshot of the current head of {@code hc} (during the dispatch call), without body. */
    RequestSnapshot(HttpConnection hc) {
        this(HttpConnection.latin1(hc.buf(), hc.parser().methodStart(), hc.parser().methodLength()), hc.path(),
                hc.rawQuery(), headersOf(hc), new byte[0], hc.connection().remoteAddress());
    }

    static Map<String, List<String>> headersOf(HttpConnection hc) {
        HttpRequestParser p = hc.parser();
        ByteBuffer b = hc.buf();
        Map<String, List<String>> h = new LinkedHashMap<>();
        for (int i = 0, n = p.headerCount(); i < n; i++) {
            String name = HttpConnection.latin1(b, p.headerNameStart(i), p.headerNameLength(i)).toLowerCase(Locale.ROOT);
            h.computeIfAbsent(name, k -> new ArrayList<>(1))
                    .add(HttpConnection.latin1(b, p.headerValueStart(i), p.headerValueLength(i)));
        }
        return h;
    }

    RequestSnapshot(String method, String path, String query, Map<String, List<String>> headers, byte[] body,
        SocketAddress remote) {
        this.method = method;
        this.path = path;
        this.query = query;
        this.headers = Collections.unmodifiableMap(headers);
        this.body = body;
        this.remote = remote;
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String query() {
        return query;
    }

    @Override
    public String header(String name) {
        List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
        return v == null ? null : v.get(0);
    }

    @Override
    public Map<String, List<String>> headers() {
        return headers;
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote instanceof InetSocketAddress ? (InetSocketAddress) remote : null;
    }
}
