package dev.engineionio.bench.load;

import java.nio.ByteBuffer;

/**
 * Client-side reader of one HTTP/1.1 response head (RFC 9112 section 4 and 6), with spans into the caller's buffer
 * instead of strings. It finds the blank line, parses the status code, {@code Content-Length}, whether the body is
 * chunked, {@code Connection: close}, and where the {@code Sec-WebSocket-Accept} value lies. It does no I/O.
 *
 * <p>Thread: not thread-safe; one per client connection. Buffers: the caller owns the buffer; spans are absolute
 * indices valid until the caller compacts it. Limits: the head must fit in the connection's read buffer (the caller
 * fails the connection otherwise); header names are matched case-insensitively; obsolete line folding is not
 * accepted (it makes the head malformed). The servers this tool talks to send {@code Content-Length} bodies; a chunked
 * body is reported through {@link #chunked} so the caller can refuse it clearly.
 */
final class HttpResponseHead {

    static final int NEED_MORE = -1;
    static final int MALFORMED = -2;

    int status;
    long contentLength;
    boolean chunked;
    boolean connectionClose;
    int acceptStart;
    int acceptLength;

    /**
     * Parses the head starting at {@code buf.position()} and ending before {@code buf.limit()}. Returns the absolute
     * index just past the blank line, {@link #NEED_MORE} if the blank line has not arrived, or {@link #MALFORMED}.
     * The buffer's position is not moved.
     */
    int parse(ByteBuffer buf) {
        int start = buf.position();
        int limit = buf.limit();
        int end = -1;
        for (int i = start; i + 3 < limit; i++) {
            if (buf.get(i) == '\r' && buf.get(i + 1) == '\n' && buf.get(i + 2) == '\r' && buf.get(i + 3) == '\n') {
                end = i + 4;
                break;
            }
        }
        if (end < 0) {
            return NEED_MORE;
        }
        status = -1;
        contentLength = -1;
        chunked = false;
        connectionClose = false;
        acceptStart = -1;
        acceptLength = 0;
        // status line: HTTP/1.x SP 3DIGIT SP reason CRLF
        if (end - start < 14 || !startsWith(buf, start, "HTTP/1.") || buf.get(start + 8) != ' ') {
            return MALFORMED;
        }
        int code = 0;
        for (int i = start + 9; i < start + 12; i++) {
            int d = buf.get(i) - '0';
            if (d < 0 || d > 9) {
                return MALFORMED;
            }
            code = code * 10 + d;
        }
        status = code;
        int line = lineEnd(buf, start, end) + 2;
        while (line < end - 2) {
            int eol = lineEnd(buf, line, end);
            int colon = -1;
            for (int i = line; i < eol; i++) {
                if (buf.get(i) == ':') {
                    colon = i;
                    break;
                }
            }
            if (colon <= line) {
                return MALFORMED;
            }
            int vs = colon + 1;
            while (vs < eol && (buf.get(vs) == ' ' || buf.get(vs) == '\t')) {
                vs++;
            }
            int ve = eol;
            while (ve > vs && (buf.get(ve - 1) == ' ' || buf.get(ve - 1) == '\t')) {
                ve--;
            }
            int nameLength = colon - line;
            if (nameIs(buf, line, nameLength, "content-length")) {
                long n = 0;
                if (ve == vs || ve - vs > 18) {
                    return MALFORMED;
                }
                for (int i = vs; i < ve; i++) {
                    int d = buf.get(i) - '0';
                    if (d < 0 || d > 9) {
                        return MALFORMED;
                    }
                    n = n * 10 + d;
                }
                contentLength = n;
            } else if (nameIs(buf, line, nameLength, "transfer-encoding")) {
                chunked = true;
            } else if (nameIs(buf, line, nameLength, "connection")) {
                connectionClose = ve - vs == 5 && nameIs(buf, vs, 5, "close");
            } else if (nameIs(buf, line, nameLength, "sec-websocket-accept")) {
                acceptStart = vs;
                acceptLength = ve - vs;
            }
            line = eol + 2;
        }
        return end;
    }

    private static int lineEnd(ByteBuffer buf, int from, int end) {
        for (int i = from; i + 1 < end; i++) {
            if (buf.get(i) == '\r' && buf.get(i + 1) == '\n') {
                return i;
            }
        }
        return end - 2;
    }

    private static boolean startsWith(ByteBuffer buf, int at, String s) {
        for (int i = 0; i < s.length(); i++) {
            if (buf.get(at + i) != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the {@code length} bytes at {@code at} equal the lower-case ASCII {@code lower}, ignoring case. */
    static boolean nameIs(ByteBuffer buf, int at, int length, String lower) {
        if (length != lower.length()) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            int c = buf.get(at + i);
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            if (c != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
