package dev.engineionio.protocol;

import java.nio.ByteBuffer;

/**
 * The SSE transport's event encoding (this server's own wire format; see the README's "SSE transport"): one Engine.IO
 * packet per Server-Sent Event,
 * <pre>
 * id: &lt;sid&gt;:&lt;seq&gt;\n
 * data: &lt;packet&gt;\n
 * \n
 * </pre>
 * where {@code <packet>} is the packet as a v4 polling payload carries it ({@code <type-digit><text>}, or
 * {@code b<base64>} for binary) with exactly three characters escaped so that the SSE parser's line splitting (CR,
 * LF, CRLF) cannot touch it: {@code \} as {@code \\}, LF as {@code \n}, CR as {@code \r}. Every other character,
 * NUL, U+2028 and astral ones included, is plain UTF-8 (a lone surrogate becomes U+FFFD, as in every other encoding
 * here). The packet starts with a type digit or {@code b}, never a space, so the parser's "strip one space after
 * {@code data:}" removes only the space written here. Decoding: {@code data.replace(/\\[\\nr]/g, ...)}, then the
 * engine.io-parser's {@code decodePacket}.
 *
 * <p>Stateless; any thread. Writers put relative to the destination's position, which advances.
 */
public final class SseEventEncoder {
    private static final byte[] ID = {'i', 'd', ':', ' '};
    private static final byte[] DATA = {'\n', 'd', 'a', 't', 'a', ':', ' '};

    private SseEventEncoder() {
    }

    /** Size of the {@code id: <idPrefix><seq>\ndata: } part. */
    static int measureHead(byte[] idPrefix, long seq) {
        return ID.length + idPrefix.length + digits(seq) + DATA.length;
    }

    private static void writeHead(byte[] idPrefix, long seq, ByteBuffer dst) {
        dst.put(ID).put(idPrefix);
        writeDecimal(seq, dst);
        dst.put(DATA);
    }

    /**
     * Size of a text packet's event.
     *
     * @param idPrefix the ASCII bytes of {@code <sid>:}
     * @param seq      the event's number
     * @param type     the packet type
     * @param text     the packet's text, or {@code null} for none
     * @return the size in bytes
     */
    public static int measureText(byte[] idPrefix, long seq, PacketType type, CharSequence text) {
        return measureHead(idPrefix, seq) + 1 + (text == null ? 0 : measureEscaped(text)) + 2;
    }

    /**
     * Writes a text packet's event.
     *
     * @param idPrefix the ASCII bytes of {@code <sid>:}
     * @param seq      the event's number
     * @param type     the packet type
     * @param text     the packet's text, or {@code null} for none
     * @param dst      at least {@link #measureText} bytes remaining
     */
    public static void writeText(byte[] idPrefix, long seq, PacketType type, CharSequence text, ByteBuffer dst) {
        writeHead(idPrefix, seq, dst);
        dst.put(type.asciiCode());
        if (text != null) {
            writeEscaped(text, dst);
        }
        dst.put((byte) '\n').put((byte) '\n');
    }

    /**
     * Size of a binary message's event ({@code b<base64>}).
     *
     * @param idPrefix the ASCII bytes of {@code <sid>:}
     * @param seq      the event's number
     * @param data     the bytes, {@code [position, limit)}
     * @return the size in bytes
     */
    public static int measureBinary(byte[] idPrefix, long seq, ByteBuffer data) {
        return measureHead(idPrefix, seq) + PacketEncoder.measureBase64Packet(ProtocolVersion.V4, data) + 2;
    }

    /**
     * Writes a binary message's event.
     *
     * @param idPrefix the ASCII bytes of {@code <sid>:}
     * @param seq      the event's number
     * @param data     the bytes, {@code [position, limit)}, not moved
     * @param dst      at least {@link #measureBinary} bytes remaining
     */
    public static void writeBinary(byte[] idPrefix, long seq, ByteBuffer data, ByteBuffer dst) {
        writeHead(idPrefix, seq, dst);
        PacketEncoder.writeBase64Packet(ProtocolVersion.V4, PacketType.MESSAGE, data, dst);
        dst.put((byte) '\n').put((byte) '\n');
    }

    /**
     * UTF-8 size of {@code s} with {@code \}, LF and CR escaped (two bytes each).
     *
     * @param s the text
     * @return the size in bytes
     */
    public static int measureEscaped(CharSequence s) {
        int n = Utf8.encodedLength(s);
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (c == '\\' || c == '\n' || c == '\r') {
                n++;
            }
        }
        return n;
    }

    /**
     * Writes {@code s} as UTF-8 with {@code \}, LF and CR escaped; lone surrogates as U+FFFD.
     *
     * @param s   the text
     * @param dst at least {@link #measureEscaped} bytes remaining
     */
    public static void writeEscaped(CharSequence s, ByteBuffer dst) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c == '\\') {
                    dst.put((byte) '\\').put((byte) '\\');
                } else if (c == '\n') {
                    dst.put((byte) '\\').put((byte) 'n');
                } else if (c == '\r') {
                    dst.put((byte) '\\').put((byte) 'r');
                } else {
                    dst.put((byte) c);
                }
            } else if (c < 0x800) {
                dst.put((byte) (0xC0 | c >> 6)).put((byte) (0x80 | c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                char d;
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(d = s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, d);
                    dst.put((byte) (0xF0 | cp >> 18)).put((byte) (0x80 | cp >> 12 & 0x3F))
                            .put((byte) (0x80 | cp >> 6 & 0x3F)).put((byte) (0x80 | cp & 0x3F));
                    i++;
                } else {
                    dst.put((byte) 0xEF).put((byte) 0xBF).put((byte) 0xBD);
                }
            } else {
                dst.put((byte) (0xE0 | c >> 12)).put((byte) (0x80 | c >> 6 & 0x3F)).put((byte) (0x80 | c & 0x3F));
            }
        }
    }

    /**
     * Parses a {@code Last-Event-ID} of this format ({@code <sid>:<seq>}, the sid of 1 to 128 characters of
     * {@code A-Z a-z 0-9 - _ . ~}, seq 1 to 18 decimal digits). Returns the index of the {@code :}, or -1 when the
     * value is not of this form.
     *
     * @param v the header's value, or {@code null}
     * @return the index of the separating colon, or -1
     */
    public static int parseLastEventId(CharSequence v) {
        if (v == null) {
            return -1;
        }
        int colon = -1;
        for (int i = v.length() - 1; i >= 0; i--) {
            if (v.charAt(i) == ':') {
                colon = i;
                break;
            }
        }
        int digits = v.length() - colon - 1;
        if (colon < 1 || colon > 128 || digits < 1 || digits > 18) {
            return -1;
        }
        for (int i = 0; i < colon; i++) {
            char c = v.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~';
            if (!ok) {
                return -1;
            }
        }
        for (int i = colon + 1; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
        }
        return colon;
    }

    static int digits(long v) {
        int d = 1;
        while (v >= 10) {
            v /= 10;
            d++;
        }
        return d;
    }

    private static void writeDecimal(long v, ByteBuffer dst) {
        int d = digits(v);
        int p = dst.position() + d;
        dst.position(p);
        for (int i = 1; i <= d; i++) {
            dst.put(p - i, (byte) ('0' + (int) (v % 10)));
            v /= 10;
        }
    }
}
