package dev.engineionio.interop;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Plays one {@link TranscriptCase} against a server over plain loopback sockets and reports the first difference.
 *
 * <p>Response comparison: the status line exactly; every expected header present with the expected value (names
 * compared case-insensitively); no other header except {@code Date}, {@code Connection}, {@code Keep-Alive},
 * {@code Transfer-Encoding} (framing and noise) and {@code Content-Length} when the case does not list it; the body
 * (de-chunked) exactly. A raw response is compared byte for byte and must be followed by the server closing the
 * connection. Every read has a {@value #READ_TIMEOUT_MS} ms socket timeout, so a server that never answers fails the
 * case instead of hanging it; nothing here waits for time to pass.
 *
 * <p>Thread: one runner per case, used by the test thread only.
 */
final class TranscriptRunner implements AutoCloseable {

    static final int READ_TIMEOUT_MS = 10_000;
    private static final int MAX_HEAD = 64 * 1024;
    private static final int MAX_BODY = 16 * 1024 * 1024;
    private static final Set<String> IGNORED = Set.of("date", "connection", "keep-alive", "transfer-encoding");
    private static final byte[] MASK = {0x37, (byte) 0xfa, 0x21, 0x3d};

    private final String host;
    private final int port;
    private final Map<String, Conn> conns = new LinkedHashMap<>();
    private final Map<String, String> vars = new HashMap<>();
    private final List<String> log = new ArrayList<>();

    private record Conn(Socket socket, InputStream in, OutputStream out) {
    }

    /** A parsed HTTP response. */
    record HttpResponse(String statusLine, List<String[]> headers, byte[] body, String headText) {
        String describe() {
            return headText + ByteTemplate.show(body, 0) + " (" + body.length + " body bytes)";
        }
    }

    TranscriptRunner(URI base) {
        this.host = base.getHost();
        this.port = base.getPort();
    }

    /** Runs every step; throws {@link AssertionError} with the transcript so far on the first difference. */
    void run(TranscriptCase c) throws IOException {
        int n = 0;
        for (TranscriptCase.Step step : c.steps()) {
            n++;
            try {
                execute(step);
            } catch (AssertionError | IOException e) {
                throw new AssertionError(c + "\nstep " + n + " " + step.getClass().getSimpleName() + ": "
                        + e.getMessage() + "\n--- transcript so far ---\n" + String.join("\n", log), e);
            }
        }
    }

    private void execute(TranscriptCase.Step step) throws IOException {
        if (step instanceof TranscriptCase.Request r) {
            request(r);
        } else if (step instanceof TranscriptCase.Response r) {
            response(r);
        } else if (step instanceof TranscriptCase.RawResponse r) {
            rawResponse(r);
        } else if (step instanceof TranscriptCase.WsSend w) {
            wsSend(w);
        } else if (step instanceof TranscriptCase.WsExpect w) {
            wsExpect(w);
        } else if (step instanceof TranscriptCase.Barrier) {
            barrier();
        } else if (step instanceof TranscriptCase.Closed c) {
            closed(c);
        } else {
            throw new IllegalStateException("unknown step " + step);
        }
    }

    private Conn conn(String name) throws IOException {
        Conn c = conns.get(name);
        if (c == null) {
            c = open();
            conns.put(name, c);
        }
        return c;
    }

    private Conn open() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(host, port), READ_TIMEOUT_MS);
        s.setSoTimeout(READ_TIMEOUT_MS);
        s.setTcpNoDelay(true);
        return new Conn(s, new BufferedInputStream(s.getInputStream()), s.getOutputStream());
    }

    private void request(TranscriptCase.Request r) throws IOException {
        List<String> head = new ArrayList<>();
        for (ByteTemplate line : r.headLines()) {
            head.add(new String(line.expand(vars), StandardCharsets.UTF_8));
        }
        byte[] body = r.body().expand(vars);
        boolean hasHost = head.stream().anyMatch(h -> h.toLowerCase(Locale.ROOT).startsWith("host:"));
        boolean hasLength = head.stream().anyMatch(h -> h.toLowerCase(Locale.ROOT).startsWith("content-length:"));
        if (!hasHost) {
            head.add(1, "Host: " + host + ":" + port);
        }
        if (!hasLength && (body.length > 0 || head.get(0).startsWith("POST "))) {
            head.add("Content-Length: " + body.length);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes((String.join("\r\n", head) + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        bytes.writeBytes(body);
        log.add(">>> " + r.conn() + " " + head.get(0) + (body.length > 0 ? " (+" + body.length + " body bytes)" : ""));
        Conn c = conn(r.conn());
        try {
            c.out().write(bytes.toByteArray());
            c.out().flush();
        } catch (IOException e) {
            // A server may answer (413) and stop reading before a large body is sent; the response step decides.
            log.add("    (write ended early: " + e.getMessage() + ")");
        }
    }

    private void response(TranscriptCase.Response expected) throws IOException {
        HttpResponse actual = readResponse(conn(expected.conn()).in());
        log.add("<<< " + expected.conn() + " " + actual.describe());
        String diff = expected.statusLine().match(actual.statusLine().getBytes(StandardCharsets.UTF_8), vars);
        if (diff != null) {
            throw new AssertionError("status line " + diff + "\nactual response:\n" + actual.describe());
        }
        Set<String> expectedNames = new java.util.HashSet<>();
        for (TranscriptCase.Header h : expected.headers()) {
            String name = h.name().toLowerCase(Locale.ROOT);
            expectedNames.add(name);
            List<String> values = actual.headers().stream().filter(a -> a[0].equals(name)).map(a -> a[1]).toList();
            if (values.size() != 1) {
                throw new AssertionError("header " + h.name() + ": expected once, found " + values.size()
                        + " times\nactual response:\n" + actual.describe());
            }
            String d = h.value().match(values.get(0).getBytes(StandardCharsets.UTF_8), vars);
            if (d != null) {
                throw new AssertionError("header " + h.name() + " " + d + "\nactual response:\n" + actual.describe());
            }
        }
        for (String[] a : actual.headers()) {
            if (!expectedNames.contains(a[0]) && !IGNORED.contains(a[0]) && !a[0].equals("content-length")) {
                throw new AssertionError("unexpected header " + a[0] + ": " + a[1] + "\nactual response:\n"
                        + actual.describe());
            }
        }
        String b = expected.body().match(actual.body(), vars);
        if (b != null) {
            throw new AssertionError("body " + b + "\nactual response:\n" + actual.describe());
        }
    }

    private void rawResponse(TranscriptCase.RawResponse expected) throws IOException {
        Conn c = conn(expected.conn());
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = c.in().read(buf)) >= 0; ) {
                all.write(buf, 0, n);
                if (all.size() > MAX_HEAD) {
                    break;
                }
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("connection not closed within " + READ_TIMEOUT_MS + " ms; received "
                    + ByteTemplate.show(all.toByteArray(), 0));
        } catch (IOException e) {
            log.add("    (read ended by " + e.getMessage() + ")");
        }
        byte[] bytes = all.toByteArray();
        log.add("<<<raw " + expected.conn() + " " + ByteTemplate.show(bytes, 0));
        String diff = expected.bytes().match(bytes, vars);
        if (diff != null) {
            throw new AssertionError("raw response " + diff + "\nwhole: " + ByteTemplate.show(bytes, 0));
        }
    }

    private void closed(TranscriptCase.Closed step) throws IOException {
        Conn c = conn(step.conn());
        int b;
        try {
            b = c.in().read();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("connection " + step.conn() + " still open after " + READ_TIMEOUT_MS + " ms");
        } catch (IOException e) {
            b = -1; // reset by the server: closed
        }
        log.add("closed " + step.conn() + (b < 0 ? "" : " (got byte " + b + ")"));
        if (b >= 0) {
            throw new AssertionError("expected the server to close " + step.conn() + ", got byte " + b);
        }
    }

    private void barrier() throws IOException {
        Conn c = open();
        try {
            String req = "GET /engine.io/?EIO=4&transport=barrier HTTP/1.1\r\nHost: " + host + ":" + port
                    + "\r\nConnection: close\r\n\r\n";
            c.out().write(req.getBytes(StandardCharsets.US_ASCII));
            c.out().flush();
            HttpResponse r = readResponse(c.in());
            log.add("barrier: " + r.statusLine());
        } finally {
            c.socket().close();
        }
    }

    private void wsSend(TranscriptCase.WsSend w) throws IOException {
        byte[] payload = w.payload().expand(vars);
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(0x80 | w.opcode());
        if (payload.length < 126) {
            f.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            f.write(0x80 | 126);
            f.write(payload.length >>> 8);
            f.write(payload.length);
        } else {
            f.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                f.write((int) ((long) payload.length >>> shift));
            }
        }
        f.writeBytes(MASK);
        for (int i = 0; i < payload.length; i++) {
            f.write(payload[i] ^ MASK[i & 3]);
        }
        log.add("ws>>> " + w.conn() + " opcode " + w.opcode() + " " + ByteTemplate.show(payload, 0));
        Conn c = conn(w.conn());
        c.out().write(f.toByteArray());
        c.out().flush();
    }

    private void wsExpect(TranscriptCase.WsExpect w) throws IOException {
        InputStream in = conn(w.conn()).in();
        int b0 = in.read();
        if (b0 < 0) {
            log.add("ws<<< " + w.conn() + " EOF");
            throw new AssertionError("connection closed, expected a frame with opcode " + w.opcode());
        }
        int b1 = readByte(in);
        long len = b1 & 0x7f;
        if (len == 126) {
            len = (readByte(in) << 8) | readByte(in);
        } else if (len == 127) {
            len = 0;
            for (int i = 0; i < 8; i++) {
                len = (len << 8) | readByte(in);
            }
        }
        if ((b1 & 0x80) != 0) {
            throw new AssertionError("server frame is masked");
        }
        if (len > MAX_BODY) {
            throw new AssertionError("frame too long: " + len);
        }
        byte[] payload = in.readNBytes((int) len);
        if (payload.length != len) {
            throw new EOFException("frame truncated");
        }
        log.add("ws<<< " + w.conn() + " fin+opcode 0x" + Integer.toHexString(b0) + " " + ByteTemplate.show(payload, 0));
        if (b0 != (0x80 | w.opcode())) {
            throw new AssertionError("expected FIN frame with opcode " + w.opcode() + ", got first byte 0x"
                    + Integer.toHexString(b0) + " payload " + ByteTemplate.show(payload, 0));
        }
        String diff = w.payload().match(payload, vars);
        if (diff != null) {
            throw new AssertionError("frame payload " + diff);
        }
    }

    private static int readByte(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("connection closed inside a frame");
        }
        return b;
    }

    static HttpResponse readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed after " + head.size() + " bytes of response head: "
                        + ByteTemplate.show(head.toByteArray(), 0));
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (head.size() > MAX_HEAD) {
                throw new IOException("response head over " + MAX_HEAD + " bytes");
            }
        }
        String text = head.toString(StandardCharsets.UTF_8);
        String[] lines = text.substring(0, text.length() - 4).split("\r\n");
        List<String[]> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.add(new String[] {lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                lines[i].substring(colon + 1).strip()});
        }
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        String te = header(headers, "transfer-encoding");
        String cl = header(headers, "content-length");
        byte[] body;
        if (status / 100 == 1 || status == 204 || status == 304) {
            body = new byte[0];
        } else if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
            body = dechunk(in);
        } else if (cl != null) {
            int n = Integer.parseInt(cl);
            body = in.readNBytes(n);
            if (body.length != n) {
                throw new EOFException("body truncated: " + body.length + " of " + n);
            }
        } else {
            body = in.readNBytes(MAX_BODY);
        }
        return new HttpResponse(lines[0], headers, body, text);
    }

    private static String header(List<String[]> headers, String name) {
        return headers.stream().filter(h -> h[0].equals(name)).map(h -> h[1]).findFirst().orElse(null);
    }

    private static byte[] dechunk(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            int semi = sizeLine.indexOf(';');
            int size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).strip(), 16);
            if (size == 0) {
                while (!readLine(in).isEmpty()) {
                    // trailers
                }
                return body.toByteArray();
            }
            byte[] chunk = in.readNBytes(size);
            if (chunk.length != size || body.size() + size > MAX_BODY) {
                throw new EOFException("chunk truncated or body too large");
            }
            body.writeBytes(chunk);
            readLine(in);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new EOFException("connection closed inside chunked framing");
            }
            if (b != '\r') {
                sb.append((char) b);
            }
        }
        return sb.toString();
    }

    @Override
    public void close() {
        for (Conn c : conns.values()) {
            try {
                c.socket().close();
            } catch (IOException ignored) {
                // closing a loopback socket; nothing to report
            }
        }
        conns.clear();
    }
}
