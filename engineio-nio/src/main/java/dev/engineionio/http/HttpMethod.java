package dev.engineionio.http;

import java.nio.ByteBuffer;

/**
 * Request methods recognised without allocation (RFC 9110 §9; PATCH from RFC 5789). Methods are case-sensitive.
 * Any other valid token is {@link #OTHER}: the raw span is still available from the parser.
 *
 * <p>Immutable; any thread may use it.
 */
public enum HttpMethod {
    GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE, PATCH,
    /** A syntactically valid method that is none of the above. */
    OTHER;

    /** The method spelled by {@code len} bytes at absolute index {@code start} of {@code buf}; never null. */
    static HttpMethod lookup(ByteBuffer buf, int start, int len) {
        switch (len) {
            case 3:
                if (is(buf, start, 'G', 'E', 'T')) {
                    return GET;
                }
                if (is(buf, start, 'P', 'U', 'T')) {
                    return PUT;
                }
                return OTHER;
            case 4:
                if (buf.get(start) == 'P' && is(buf, start + 1, 'O', 'S', 'T')) {
                    return POST;
                }
                if (buf.get(start) == 'H' && is(buf, start + 1, 'E', 'A', 'D')) {
                    return HEAD;
                }
                return OTHER;
            case 5:
                if (buf.get(start) == 'P' && buf.get(start + 1) == 'A' && is(buf, start + 2, 'T', 'C', 'H')) {
                    return PATCH;
                }
                if (buf.get(start) == 'T' && buf.get(start + 1) == 'R' && is(buf, start + 2, 'A', 'C', 'E')) {
                    return TRACE;
                }
                return OTHER;
            case 6:
                return equals(buf, start, "DELETE") ? DELETE : OTHER;
            case 7:
                if (equals(buf, start, "OPTIONS")) {
                    return OPTIONS;
                }
                return equals(buf, start, "CONNECT") ? CONNECT : OTHER;
            default:
                return OTHER;
        }
    }

    private static boolean is(ByteBuffer buf, int i, char a, char b, char c) {
        return buf.get(i) == a && buf.get(i + 1) == b && buf.get(i + 2) == c;
    }

    private static boolean equals(ByteBuffer buf, int start, String s) {
        for (int j = 0; j < s.length(); j++) {
            if (buf.get(start + j) != s.charAt(j)) {
                return false;
            }
        }
        return true;
    }
}
