package dev.engineionio.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Character classes of RFC 9110/9112 as lookup tables, and allocation-free helpers over spans of a caller's buffer
 * (absolute index and length, as returned by {@link HttpRequestParser}). Helpers never change the buffer's position.
 *
 * <p>Stateless; any thread may use it.
 */
public final class HttpBytes {
    private HttpBytes() {
    }

    /** tchar (RFC 9110 §5.6.2): {@code "!#$%&'*+-.^_`|~" DIGIT ALPHA}. */
    static final boolean[] TCHAR = new boolean[256];
    /** field-vchar / SP / HTAB (RFC 9110 §5.5), obs-text included: everything but CTLs (HTAB allowed) and DEL. */
    static final boolean[] FIELD_VALUE = new boolean[256];
    /**
     * Request-target bytes: the RFC 3986 path/query characters (unreserved, pct-encoded, sub-delims, ":@/?"), plus
     * {@code {}|^`} and {@code []} which browsers leave unescaped in queries (WHATWG URL). Rejected: CTLs, SP, DEL,
     * non-ASCII, {@code "#<>\}.
     */
    static final boolean[] TARGET = new boolean[256];
    /** uri-host [":" port] bytes (RFC 3986 reg-name, IP-literal, port). */
    static final boolean[] HOST = new boolean[256];
    /** Hex digit values, -1 for non-hex. */
    static final byte[] HEX = new byte[256];

    static {
        for (int c = '0'; c <= '9'; c++) {
            TCHAR[c] = true;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            TCHAR[c] = true;
            TCHAR[c - 32] = true;
        }
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) {
            TCHAR[c] = true;
        }
        FIELD_VALUE['\t'] = true;
        for (int c = 0x20; c < 256; c++) {
            FIELD_VALUE[c] = c != 0x7F;
        }
        for (int c = 0x21; c < 0x7F; c++) {
            TARGET[c] = true;
        }
        for (char c : "\"#<>\\".toCharArray()) {
            TARGET[c] = false;
        }
        for (int c = 0; c < 256; c++) {
            boolean alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            HOST[c] = alnum;
        }
        for (char c : "-._~!$&'()*+,;=%:[]".toCharArray()) {
            HOST[c] = true;
        }
        java.util.Arrays.fill(HEX, (byte) -1);
        for (int c = '0'; c <= '9'; c++) {
            HEX[c] = (byte) (c - '0');
        }
        for (int c = 'a'; c <= 'f'; c++) {
            HEX[c] = (byte) (c - 'a' + 10);
            HEX[c - 32] = (byte) (c - 'a' + 10);
        }
    }

    /**
     * Whether the {@code len} bytes at absolute {@code start} equal {@code lowerAscii} ignoring ASCII case.
     * {@code lowerAscii} must be lower-case ASCII.
     */
    public static boolean equalsIgnoreCase(ByteBuffer buf, int start, int len, byte[] lowerAscii) {
        if (len != lowerAscii.length) {
            return false;
        }
        for (int j = 0; j < len; j++) {
            if (toLower(buf.get(start + j)) != lowerAscii[j]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the comma-separated list (RFC 9110 §5.6.1) in the span contains the token {@code lowerToken},
     * ignoring ASCII case and OWS around elements. E.g. {@code Connection: keep-alive, Upgrade} contains
     * {@code upgrade}.
     */
    public static boolean containsToken(ByteBuffer buf, int start, int len, byte[] lowerToken) {
        int end = start + len;
        int i = start;
        while (i < end) {
            while (i < end && isOwsOrComma(buf.get(i))) {
                i++;
            }
            int s = i;
            while (i < end && buf.get(i) != ',') {
                i++;
            }
            int e = i;
            while (e > s && isOws(buf.get(e - 1))) {
                e--;
            }
            if (e > s && equalsIgnoreCase(buf, s, e - s, lowerToken)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The span decoded as ISO-8859-1 into a new String (one byte, one char: obs-text survives). Allocates: for
     * handshakes only.
     */
    public static String latin1(ByteBuffer buf, int start, int len) {
        byte[] b = new byte[len];
        buf.get(start, b, 0, len);
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    static int toLower(int b) {
        return b >= 'A' && b <= 'Z' ? b | 0x20 : b;
    }

    static boolean isOws(byte b) {
        return b == ' ' || b == '\t';
    }

    private static boolean isOwsOrComma(byte b) {
        return b == ' ' || b == '\t' || b == ',';
    }
}
