package dev.engineionio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A test client for the SSE transport's stream: sends one GET over a raw socket, reads the response head, then parses
 * the body as the HTML standard's {@code EventSource} does ("Interpreting an event stream": lines end at CR, LF or
 * CRLF; {@code field: value} with one leading space stripped; {@code data} lines joined with LF; {@code id} without
 * NUL sets the last event id; a blank line dispatches; comments ignored) and undoes the transport's escaping.
 */
final class SseClient implements AutoCloseable {
    record Event(String lastEventId, String data) {
        /** The Engine.IO packet: the data with {@code \\}, {@code \n}, {@code \r} unescaped. */
        String packet() {
            return unescape(data);
        }
    }

    final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    int status;
    final Map<String, String> headers = new LinkedHashMap<>();
    String body;
    String lastEventId = "";
    long retry = -1;
    private boolean pendingCr;

    SseClient(int port, String target, String... extraHeaders) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(20_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        StringBuilder sb = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\nHost: localhost\r\n"
                + "Accept: text/event-stream\r\n");
        for (String h : extraHeaders) {
            sb.append(h).append("\r\n");
        }
        out.write(sb.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        String line = headLine();
        status = Integer.parseInt(line.split(" ")[1]);
        while (!(line = headLine()).isEmpty()) {
            int c = line.indexOf(':');
            headers.put(line.substring(0, c).toLowerCase(Locale.ROOT), line.substring(c + 1).trim());
        }
        String cl = headers.get("content-length");
        if (cl != null) {
            body = new String(in.readNBytes(Integer.parseInt(cl)), StandardCharsets.UTF_8);
        }
    }

    String header(String name) {
        return headers.get(name);
    }

    private String headLine() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("EOF in the head");
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    /** The next line of the stream (UTF-8), or null at EOF. */
    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (true) {
            int c;
            try {
                c = in.read();
            } catch (SocketException reset) {
                c = -1;
            }
            if (c < 0) {
                return b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8);
            }
            if (pendingCr) {
                pendingCr = false;
                if (c == '\n') {
                    continue;
                }
            }
            if (c == '\r') {
                pendingCr = true;
                return b.toString(StandardCharsets.UTF_8);
            }
            if (c == '\n') {
                return b.toString(StandardCharsets.UTF_8);
            }
            b.write(c);
        }
    }

    /** The next dispatched event, or null when the stream ends first. */
    Event next() throws IOException {
        StringBuilder data = null;
        String l;
        while ((l = line()) != null) {
            if (l.isEmpty()) {
                if (data == null) {
                    continue;
                }
                return new Event(lastEventId, data.toString());
            }
            if (l.charAt(0) == ':') {
                continue;
            }
            int c = l.indexOf(':');
            String field = c < 0 ? l : l.substring(0, c);
            String value = c < 0 ? "" : l.substring(c + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "data" -> {
                    if (data == null) {
                        data = new StringBuilder(value);
                    } else {
                        data.append('\n').append(value);
                    }
                }
                case "id" -> {
                    if (value.indexOf('\0') < 0) {
                        lastEventId = value;
                    }
                }
                case "retry" -> {
                    if (value.chars().allMatch(ch -> ch >= '0' && ch <= '9') && !value.isEmpty()) {
                        retry = Long.parseLong(value);
                    }
                }
                default -> {
                }
            }
        }
        return null;
    }

    /** The next event's packet; fails at EOF. */
    String packet() throws IOException {
        Event e = next();
        if (e == null) {
            throw new IOException("the stream ended");
        }
        return e.packet();
    }

    /** True when the stream ends (EOF or reset) before another event. */
    boolean endsWithoutEvent() throws IOException {
        return next() == null;
    }

    static String unescape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char d = s.charAt(++i);
                sb.append(d == 'n' ? '\n' : d == 'r' ? '\r' : d);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
