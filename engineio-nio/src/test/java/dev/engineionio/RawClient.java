package dev.engineionio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PushbackInputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A blocking raw-socket HTTP/WebSocket test client; its read timeout is a failure guard only. Public for the tests of
 * other modules (the examples use it through this module's test-jar).
 */
public final class RawClient implements AutoCloseable {

    /** A parsed HTTP response. */
    public static final class Response {
        public int status;
        public final Map<String, String> headers = new LinkedHashMap<>();
        public byte[] body;

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + text();
        }
    }

    /** A received WebSocket frame. */
    public record Frame(int opcode, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        public int closeCode() {
            return payload.length < 2 ? 1005 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }
    }

    public final Socket socket;
    private final PushbackInputStream in;
    private final OutputStream out;

    public RawClient(InetSocketAddress address) throws IOException {
        socket = new Socket();
        socket.connect(address, 20_000);
        socket.setSoTimeout(20_000);
        socket.setTcpNoDelay(true);
        in = new PushbackInputStream(socket.getInputStream(), 1);
        out = socket.getOutputStream();
    }

    public RawClient(int port) throws IOException {
        this(new InetSocketAddress("127.0.0.1", port));
    }

    public void send(String s) throws IOException {
        send(s.getBytes(StandardCharsets.UTF_8));
    }

    public void send(byte[] b) throws IOException {
        out.write(b);
        out.flush();
    }

    /** Sends a GET with the usual headers and reads the response. */
    public Response get(String target, String... headers) throws IOException {
        send(request("GET", target, null, headers));
        return read();
    }

    public Response post(String target, String body, String... headers) throws IOException {
        send(request("POST", target, body, headers));
        return read();
    }

    public static String request(String method, String target, String body, String... headers) {
        StringBuilder sb = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: localhost\r\n");
        for (String h : headers) {
            sb.append(h).append("\r\n");
        }
        if (body != null) {
            sb.append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length).append("\r\n");
        }
        sb.append("\r\n");
        if (body != null) {
            sb.append(body);
        }
        return sb.toString();
    }

    public String readLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("EOF in a line: " + b);
            }
            if (c == '\n') {
                byte[] a = b.toByteArray();
                int n = a.length > 0 && a[a.length - 1] == '\r' ? a.length - 1 : a.length;
                return new String(a, 0, n, StandardCharsets.ISO_8859_1);
            }
            b.write(c);
        }
    }

    /** Reads one response (Content-Length framing). */
    public Response read() throws IOException {
        Response r = new Response();
        String status = readLine();
        r.status = Integer.parseInt(status.split(" ")[1]);
        readHeaders(r);
        String cl = r.header("content-length");
        r.body = cl == null ? new byte[0] : in.readNBytes(Integer.parseInt(cl));
        return r;
    }

    /** Reads one response, or returns null if the server closed the connection before sending any byte of one. */
    public Response readOrEof() throws IOException {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        in.unread(first);
        return read();
    }

    /** Reads a head without body (e.g. a 101). */
    public Response readHead() throws IOException {
        Response r = new Response();
        r.status = Integer.parseInt(readLine().split(" ")[1]);
        readHeaders(r);
        r.body = new byte[0];
        return r;
    }

    private void readHeaders(Response r) throws IOException {
        String line;
        while (!(line = readLine()).isEmpty()) {
            int c = line.indexOf(':');
            r.headers.put(line.substring(0, c).toLowerCase(Locale.ROOT), line.substring(c + 1).trim());
        }
    }

    /** Sends an upgrade request and reads the 101 head. */
    public Response upgrade(String target, String... extra) throws IOException {
        String[] h = new String[extra.length + 4];
        h[0] = "Upgrade: websocket";
        h[1] = "Connection: Upgrade";
        h[2] = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==";
        h[3] = "Sec-WebSocket-Version: 13";
        System.arraycopy(extra, 0, h, 4, extra.length);
        send(request("GET", target, null, h));
        return readHead();
    }

    /** Sends one masked frame with a random mask. */
    public void sendFrame(int opcode, boolean fin, byte[] payload) throws IOException {
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        send(maskedFrame(opcode, fin, payload, mask));
    }

    /** The bytes of one client frame (RFC 6455 §5.2) masked with {@code mask}, for tests that batch several. */
    public static byte[] maskedFrame(int opcode, boolean fin, byte[] payload, byte[] mask) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write((fin ? 0x80 : 0) | opcode);
        int n = payload.length;
        if (n < 126) {
            b.write(0x80 | n);
        } else if (n < 65536) {
            b.write(0x80 | 126);
            b.write(n >>> 8);
            b.write(n);
        } else {
            b.write(0x80 | 127);
            for (int i = 7; i >= 0; i--) {
                b.write((int) ((long) n >>> (8 * i)));
            }
        }
        b.write(mask, 0, 4);
        for (int i = 0; i < n; i++) {
            b.write(payload[i] ^ mask[i & 3]);
        }
        return b.toByteArray();
    }

    public void sendText(String s) throws IOException {
        sendFrame(1, true, s.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads one server frame (unmasked). */
    public Frame readFrame() throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            throw new IOException("EOF before a frame");
        }
        int b1 = in.read();
        long n = b1 & 0x7F;
        if (n == 126) {
            n = (in.read() << 8) | in.read();
        } else if (n == 127) {
            n = 0;
            for (int i = 0; i < 8; i++) {
                n = (n << 8) | in.read();
            }
        }
        return new Frame(b0 & 0x0F, in.readNBytes((int) n));
    }

    /** Reads everything until the server closes; the bytes read. */
    public byte[] readToEof() throws IOException {
        try {
            return in.readAllBytes();
        } catch (SocketException reset) {
            return new byte[0];
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
