package dev.engineionio.protocol;

import java.nio.ByteBuffer;

/**
 * JSONP polling (the reference's {@code transports/polling-jsonp.js}, selected by the {@code j} query parameter,
 * both protocol versions): wrapping an encoded payload for a GET answer, and reading the {@code d} field of a POST.
 *
 * <h2>Response body</h2>
 * <pre>
 * ___eio[&lt;digits of j&gt;]("&lt;payload, JSON-string-escaped&gt;");
 * </pre>
 * Non-digits of {@code j} are dropped ({@code j=ab1c2} gives {@code ___eio[12]}). The escaping is
 * {@code JSON.stringify} of the payload string: {@code "} and {@code \} get a backslash, {@code \b \t \n \f \r} their
 * short forms, other code points below U+0020 {@code \}{@code u00xx} (lower-case hex); then, as the reference adds,
 * U+2028 and U+2029 become {@code \}{@code u2028} and {@code \}{@code u2029} (valid JSON, invalid JavaScript
 * otherwise). Everything else is copied as UTF-8. The payload must be a text payload (v4, or v3 text with binary as
 * base64): the reference would {@code JSON.stringify} a v3 binary payload Buffer, which no client can read, and
 * legacy JSONP clients always ask for {@code b64=1}. Caveat: JavaScript's {@code JSON.stringify} writes a lone
 * surrogate as {@code \}{@code udxxx}; our payload bytes already hold U+FFFD for it (see {@link Utf8}).
 *
 * <h2>POST body</h2>
 * See {@link PayloadDecoder#decodeJsonpForm}. Only the first 1000 fields are read, as Node's
 * {@code querystring.parse} (maxKeys 1000).
 *
 * <p>Stateless; any thread may use it. Never allocates. The caller owns every buffer.
 */
public final class Jsonp {
    private static final byte[] HEAD = {'_', '_', '_', 'e', 'i', 'o', '['};
    private static final byte[] HEX = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
    private static final int MAX_KEYS = 1000;

    private Jsonp() {
    }

    /**
     * The exact size of {@link #wrap}'s output.
     *
     * @param j       the {@code j} query value (only its digits are used), or {@code null}
     * @param payload the payload, {@code [position, limit)}, not moved
     * @return the size in bytes
     */
    public static int measureWrap(CharSequence j, ByteBuffer payload) {
        int n = HEAD.length + digitCount(j) + 2 + 2 + 2; // ___eio[ digits ]( " ... " );
        int limit = payload.limit();
        for (int i = payload.position(); i < limit; i++) {
            int b = payload.get(i) & 0xFF;
            if (b >= 0x20 && b != '"' && b != '\\' && b != 0xE2) {
                n++;
            } else if (b == 0xE2) {
                if (isLineOrParagraphSeparator(payload, i, limit)) {
                    n += 6;
                    i += 2;
                } else {
                    n++;
                }
            } else {
                n += b == '"' || b == '\\' || b == '\b' || b == '\t' || b == '\n' || b == '\f' || b == '\r' ? 2 : 6;
            }
        }
        return n;
    }

    /**
     * Writes {@code ___eio[<digits of j>]("<escaped payload>");} at {@code dst}'s position, advances it and returns the
     * bytes written. {@code payload} is read {@code [position, limit)} and not moved.
     *
     * @param j       the {@code j} query value (only its digits are used), or {@code null}
     * @param payload the payload, {@code [position, limit)}, not moved
     * @param dst     the destination, written from its position, which advances
     * @return the bytes written
     * @throws java.nio.BufferOverflowException if {@code dst} has less room than {@link #measureWrap}
     */
    public static int wrap(CharSequence j, ByteBuffer payload, ByteBuffer dst) {
        int need = measureWrap(j, payload);
        if (dst.remaining() < need) {
            throw new java.nio.BufferOverflowException();
        }
        int o = dst.position();
        for (byte b : HEAD) {
            dst.put(o++, b);
        }
        for (int i = 0, n = j == null ? 0 : j.length(); i < n; i++) {
            char c = j.charAt(i);
            if (c >= '0' && c <= '9') {
                dst.put(o++, (byte) c);
            }
        }
        dst.put(o++, (byte) ']');
        dst.put(o++, (byte) '(');
        dst.put(o++, (byte) '"');
        int limit = payload.limit();
        for (int i = payload.position(); i < limit; i++) {
            int b = payload.get(i) & 0xFF;
            if (b >= 0x20 && b != '"' && b != '\\' && b != 0xE2) {
                dst.put(o++, (byte) b);
                continue;
            }
            if (b == 0xE2) {
                if (isLineOrParagraphSeparator(payload, i, limit)) {
                    int last = (payload.get(i + 2) & 0xFF) == 0xA8 ? '8' : '9';
                    dst.put(o, (byte) '\\').put(o + 1, (byte) 'u').put(o + 2, (byte) '2').put(o + 3, (byte) '0')
                            .put(o + 4, (byte) '2').put(o + 5, (byte) last);
                    o += 6;
                    i += 2;
                } else {
                    dst.put(o++, (byte) b);
                }
                continue;
            }
            o = escapeControl(b, dst, o);
        }
        dst.put(o++, (byte) '"');
        dst.put(o++, (byte) ')');
        dst.put(o++, (byte) ';');
        int written = o - dst.position();
        dst.position(o);
        return written;
    }

    private static int digitCount(CharSequence j) {
        int n = 0;
        for (int i = 0, len = j == null ? 0 : j.length(); i < len; i++) {
            char c = j.charAt(i);
            if (c >= '0' && c <= '9') {
                n++;
            }
        }
        return n;
    }

    private static boolean isLineOrParagraphSeparator(ByteBuffer p, int i, int limit) {
        // U+2028 = E2 80 A8, U+2029 = E2 80 A9
        return i + 2 < limit && (p.get(i + 1) & 0xFF) == 0x80 && ((p.get(i + 2) & 0xFF) == 0xA8 || (p.get(i + 2) & 0xFF) == 0xA9);
    }

    private static int escapeControl(int b, ByteBuffer dst, int o) {
        byte c;
        switch (b) {
            case '"': c = '"'; break;
            case '\\': c = '\\'; break;
            case '\b': c = 'b'; break;
            case '\t': c = 't'; break;
            case '\n': c = 'n'; break;
            case '\f': c = 'f'; break;
            case '\r': c = 'r'; break;
            default:
                dst.put(o, (byte) '\\').put(o + 1, (byte) 'u').put(o + 2, (byte) '0').put(o + 3, (byte) '0')
                        .put(o + 4, HEX[b >> 4]).put(o + 5, HEX[b & 15]);
                return o + 6;
        }
        dst.put(o, (byte) '\\').put(o + 1, c);
        return o + 2;
    }

    /**
     * Copies the value of the form field {@code d} of {@code body[from, limit)} into the decoder's form scratch,
     * percent-decoded and with the reference's newline rules applied; returns its length, or -1 if there is no
     * {@code d} field or more than one (the reference then gets an array and ignores the body).
     */
    static int extractD(ByteBuffer body, int from, int limit, PayloadDecoder owner) {
        int valueStart = -1;
        int valueEnd = -1;
        int keys = 0;
        int p = from;
        while (p < limit && keys < MAX_KEYS) {
            int end = p;
            while (end < limit && body.get(end) != '&') {
                end++;
            }
            if (end > p) {
                keys++;
                int eq = p;
                while (eq < end && body.get(eq) != '=') {
                    eq++;
                }
                if (isKeyD(body, p, eq)) {
                    if (valueStart >= 0) {
                        return -1;
                    }
                    valueStart = Math.min(eq + 1, end);
                    valueEnd = end;
                }
            }
            p = end + 1;
        }
        if (valueStart < 0) {
            return -1;
        }
        byte[] out = owner.formScratch(valueEnd - valueStart);
        int n = percentDecode(body, valueStart, valueEnd, out);
        n = newlineRules(out, n);
        return n;
    }

    /** True if the key {@code body[s, e)} decodes to {@code "d"}: {@code d} or {@code %64}. */
    private static boolean isKeyD(ByteBuffer body, int s, int e) {
        if (e - s == 1) {
            return body.get(s) == 'd';
        }
        return e - s == 3 && body.get(s) == '%' && body.get(s + 1) == '6' && body.get(s + 2) == '4';
    }

    private static int hexValue(int c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        c |= 0x20;
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }

    /** {@code +} becomes a space, {@code %XX} its byte; a {@code %} not followed by two hex digits is kept. */
    private static int percentDecode(ByteBuffer body, int s, int e, byte[] out) {
        int o = 0;
        for (int i = s; i < e; i++) {
            byte b = body.get(i);
            if (b == '+') {
                out[o++] = ' ';
            } else if (b == '%' && i + 2 < e) {
                int h = hexValue(body.get(i + 1));
                int l = hexValue(body.get(i + 2));
                if (h >= 0 && l >= 0) {
                    out[o++] = (byte) (h << 4 | l);
                    i += 2;
                } else {
                    out[o++] = b;
                }
            } else {
                out[o++] = b;
            }
        }
        return o;
    }

    /**
     * The reference's two replacements, in place: {@code /(\\)?\\n/g} (a two-character {@code \n} becomes a newline
     * unless a backslash precedes it), then {@code /\\\\n/g} ({@code \\n} becomes {@code \n}).
     */
    static int newlineRules(byte[] b, int n) {
        int o = 0;
        int i = 0;
        while (i < n) {
            if (b[i] == '\\') {
                if (i + 2 < n && b[i + 1] == '\\' && b[i + 2] == 'n') {
                    b[o++] = '\\';
                    b[o++] = '\\';
                    b[o++] = 'n';
                    i += 3;
                    continue;
                }
                if (i + 1 < n && b[i + 1] == 'n') {
                    b[o++] = '\n';
                    i += 2;
                    continue;
                }
            }
            b[o++] = b[i++];
        }
        n = o;
        o = 0;
        i = 0;
        while (i < n) {
            if (b[i] == '\\' && i + 2 < n && b[i + 1] == '\\' && b[i + 2] == 'n') {
                b[o++] = '\\';
                b[o++] = 'n';
                i += 3;
                continue;
            }
            b[o++] = b[i++];
        }
        return o;
    }
}
