package dev.engineionio.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Query string reader ({@code application/x-www-form-urlencoded} style, as Node's {@code querystring}: pairs split
 * on {@code &}, name and value split on the first {@code =}, {@code +} is a space, {@code %HH} an escaped byte;
 * RFC 3986 §2.1). Every escape in the whole query is checked: a {@code %} not followed by two hex digits is
 * {@link HttpError#INVALID_QUERY_ESCAPE} (400). The reference server is lenient there; we answer 400, as the
 * project's HTTP layer does for every malformed input.
 *
 * <p>{@link #parse} records the first occurrence of each {@link QueryParam} as a span of the caller's buffer when
 * it has no escape (the common case: no copy, no allocation), or decoded into this object's reusable scratch array
 * otherwise. A repeated parameter is flagged ({@link #isRepeated}); the Engine.IO layer decides what that means.
 * {@link #forEach} walks every parameter for the API, with raw spans and {@link #decode} to unescape them.
 *
 * <p>One instance per event loop (or connection), used by one thread. Spans refer to the buffer passed to
 * {@link #parse} and are valid as long as the parser's head spans are; pass the same buffer to the accessors.
 */
public final class HttpQuery {
    /** Receives each parameter of {@link #forEach} as raw (still escaped) spans of absolute indexes. */
    @FunctionalInterface
    public interface Visitor {
        /** One parameter; {@code valueLength} is 0 and {@code valueStart} -1 when there is no {@code =}. */
        void onParam(ByteBuffer buf, int nameStart, int nameLength, int valueStart, int valueLength);
    }

    private static final int COUNT = QueryParam.VALUES.length;

    private byte[] scratch;
    private int scratchUsed;
    private final int[] start = new int[COUNT];
    private final int[] length = new int[COUNT];
    private final boolean[] decoded = new boolean[COUNT];
    private final boolean[] present = new boolean[COUNT];
    private final boolean[] repeated = new boolean[COUNT];

    /** A reader whose scratch holds {@code scratchCapacity} decoded bytes (e.g. the request-line limit); grows if needed. */
    public HttpQuery(int scratchCapacity) {
        this.scratch = new byte[Math.max(16, scratchCapacity)];
    }

    /**
     * Reads the raw query ({@code len} bytes at absolute {@code start} of {@code buf}, without the {@code ?}).
     * Returns {@code null} on success or {@link HttpError#INVALID_QUERY_ESCAPE}. Forgets the previous query.
     */
    public HttpError parse(ByteBuffer buf, int start, int len) {
        for (int p = 0; p < COUNT; p++) {
            present[p] = false;
            repeated[p] = false;
        }
        scratchUsed = 0;
        if (len > scratch.length) {
            scratch = new byte[len];
        }
        int end = start + len;
        int i = start;
        while (i < end) {
            int ns = i;
            int eq = -1;
            boolean escaped = false;
            while (i < end) {
                byte b = buf.get(i);
                if (b == '&') {
                    break;
                }
                if (b == '=' && eq < 0) {
                    eq = i;
                } else if (b == '%') {
                    if (i + 2 >= end || HttpBytes.HEX[buf.get(i + 1) & 0xFF] < 0 || HttpBytes.HEX[buf.get(i + 2) & 0xFF] < 0) {
                        return HttpError.INVALID_QUERY_ESCAPE;
                    }
                    escaped = true;
                    i += 2;
                } else if (b == '+') {
                    escaped = true;
                }
                i++;
            }
            int ne = eq >= 0 ? eq : i;
            if (ne > ns) {
                record(buf, ns, ne - ns, eq >= 0 ? eq + 1 : i, eq >= 0 ? i - eq - 1 : 0, escaped);
            }
            i++;
        }
        return null;
    }

    private void record(ByteBuffer buf, int ns, int nl, int vs, int vl, boolean escaped) {
        for (QueryParam p : QueryParam.VALUES) {
            if (escaped ? decodedEquals(buf, ns, nl, p.bytes) : rawEquals(buf, ns, nl, p.bytes)) {
                int o = p.ordinal();
                if (present[o]) {
                    repeated[o] = true;
                    return;
                }
                present[o] = true;
                if (escaped && needsDecoding(buf, vs, vl)) {
                    int n = decode(buf, vs, vl, scratch, scratchUsed);
                    start[o] = scratchUsed;
                    length[o] = n;
                    decoded[o] = true;
                    scratchUsed += n;
                } else {
                    start[o] = vs;
                    length[o] = vl;
                    decoded[o] = false;
                }
                return;
            }
        }
    }

    private static boolean needsDecoding(ByteBuffer buf, int s, int l) {
        for (int j = s; j < s + l; j++) {
            byte b = buf.get(j);
            if (b == '%' || b == '+') {
                return true;
            }
        }
        return false;
    }

    private static boolean rawEquals(ByteBuffer buf, int s, int l, byte[] name) {
        if (l != name.length) {
            return false;
        }
        for (int j = 0; j < l; j++) {
            if (buf.get(s + j) != name[j]) {
                return false;
            }
        }
        return true;
    }

    private static boolean decodedEquals(ByteBuffer buf, int s, int l, byte[] name) {
        int end = s + l;
        int j = 0;
        for (int i = s; i < end; i++) {
            int b = buf.get(i);
            if (b == '%') {
                b = (HttpBytes.HEX[buf.get(i + 1) & 0xFF] << 4) | HttpBytes.HEX[buf.get(i + 2) & 0xFF];
                i += 2;
            } else if (b == '+') {
                b = ' ';
            }
            if (j >= name.length || (byte) b != name[j]) {
                return false;
            }
            j++;
        }
        return j == name.length;
    }

    /**
     * Unescapes {@code len} bytes at absolute {@code start} ({@code +} to space, {@code %HH} to a byte) into
     * {@code dst} at {@code dstOffset}, which must have room for {@code len} bytes. Returns the decoded length, or
     * -1 for a malformed escape (nothing useful is left in {@code dst} then).
     */
    public static int decode(ByteBuffer buf, int start, int len, byte[] dst, int dstOffset) {
        int end = start + len;
        int o = dstOffset;
        for (int i = start; i < end; i++) {
            byte b = buf.get(i);
            if (b == '%') {
                int hi = i + 2 < end ? HttpBytes.HEX[buf.get(i + 1) & 0xFF] : -1;
                int lo = i + 2 < end ? HttpBytes.HEX[buf.get(i + 2) & 0xFF] : -1;
                if (hi < 0 || lo < 0) {
                    return -1;
                }
                b = (byte) ((hi << 4) | lo);
                i += 2;
            } else if (b == '+') {
                b = ' ';
            }
            dst[o++] = b;
        }
        return o - dstOffset;
    }

    /** Calls {@code visitor} for every non-empty parameter of the raw query, in order. Does not check escapes. */
    public static void forEach(ByteBuffer buf, int start, int len, Visitor visitor) {
        int end = start + len;
        int i = start;
        while (i < end) {
            int ns = i;
            int eq = -1;
            while (i < end && buf.get(i) != '&') {
                if (eq < 0 && buf.get(i) == '=') {
                    eq = i;
                }
                i++;
            }
            if (i > ns) {
                if (eq >= 0) {
                    visitor.onParam(buf, ns, eq - ns, eq + 1, i - eq - 1);
                } else {
                    visitor.onParam(buf, ns, i - ns, -1, 0);
                }
            }
            i++;
        }
    }

    /** Whether the last parsed query has {@code p}. */
    public boolean has(QueryParam p) {
        return present[p.ordinal()];
    }

    /** Whether {@code p} occurs more than once (only the first is recorded). */
    public boolean isRepeated(QueryParam p) {
        return repeated[p.ordinal()];
    }

    /** Decoded length of {@code p}'s value, or -1 when absent. */
    public int length(QueryParam p) {
        int o = p.ordinal();
        return present[o] ? length[o] : -1;
    }

    /** Decoded byte {@code i} of {@code p}'s value; {@code buf} is the buffer given to {@link #parse}. */
    public byte byteAt(ByteBuffer buf, QueryParam p, int i) {
        int o = p.ordinal();
        if (!present[o] || i < 0 || i >= length[o]) {
            throw new IndexOutOfBoundsException(p + "[" + i + "]");
        }
        return decoded[o] ? scratch[start[o] + i] : buf.get(start[o] + i);
    }

    /** Whether {@code p} is present and its decoded value is exactly the bytes of {@code expected}. */
    public boolean valueEquals(ByteBuffer buf, QueryParam p, byte[] expected) {
        int o = p.ordinal();
        if (!present[o] || length[o] != expected.length) {
            return false;
        }
        int s = start[o];
        for (int j = 0; j < expected.length; j++) {
            byte b = decoded[o] ? scratch[s + j] : buf.get(s + j);
            if (b != expected[j]) {
                return false;
            }
        }
        return true;
    }

    /** {@code p}'s decoded value as UTF-8 text (malformed sequences replaced), or {@code null}. Allocates. */
    public String valueString(ByteBuffer buf, QueryParam p) {
        int o = p.ordinal();
        if (!present[o]) {
            return null;
        }
        byte[] b = new byte[length[o]];
        if (decoded[o]) {
            System.arraycopy(scratch, start[o], b, 0, b.length);
        } else {
            buf.get(start[o], b, 0, b.length);
        }
        return new String(b, StandardCharsets.UTF_8);
    }
}
