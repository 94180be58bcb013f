package dev.engineionio.websocket;

import java.nio.ByteBuffer;

/**
 * Writes server frames (RFC 6455 §5.2; unmasked, as servers must send, §5.1) into a caller's {@code ByteBuffer}.
 *
 * <h2>Small and large payloads</h2>
 * A payload of at most {@link #COPY_THRESHOLD} (1 KiB) bytes is cheapest copied right behind its header, so the frame
 * goes out in one buffer ({@link #writeFrame}, {@link #writeText}, {@link #writeBinary}). For a larger one the caller
 * writes only the header ({@link #writeHeader}) and hands the payload to the channel as a second buffer of the same
 * gathering write, saving a copy; 1 KiB is where Netty's {@code WebSocket08FrameEncoder} switches too (below it, a
 * second buffer costs more than the copy).
 *
 * <h2>Writing the payload yourself</h2>
 * The Engine.IO layer writes {@code '4'} + text straight behind a header: {@code n = 1 + utf8Length(text)};
 * {@link #writeHeader}{@code (dst, TEXT, true, n)}; {@code dst.put((byte) '4')}; {@link #encodeUtf8}{@code (dst, text)}.
 * Text is encoded from the {@code CharSequence} straight into the buffer, with no intermediate {@code byte[]};
 * an unpaired surrogate is written as {@code '?'}, as {@code String.getBytes(UTF_8)} does, and
 * {@link #utf8Length} counts it the same way.
 *
 * <h2>Buffer contract</h2>
 * Every method writes at {@code dst}'s position with relative puts and advances it; it returns the bytes written, or
 * {@code -1} without writing anything when {@code dst.remaining()} is too small ({@link #frameSize} says how much
 * is needed). Payload sources are absolute spans, left untouched. Misuse (an opcode outside 0..15, a close code that may
 * not be sent, a control payload over 125 bytes, a negative length) throws {@link IllegalArgumentException}.
 *
 * <p>Stateless: any thread may call it on buffers it owns. No allocation.
 */
public final class WebSocketFrameWriter {

    /** Payloads up to this many bytes are copied behind the header; larger ones should be gathered. */
    public static final int COPY_THRESHOLD = 1024;

    /** Largest close reason in UTF-8 bytes: 125 minus the two-byte code (RFC 6455 §5.5). */
    public static final int MAX_CLOSE_REASON = WebSocketMessageDecoder.MAX_CONTROL_PAYLOAD - 2;

    private WebSocketFrameWriter() {
    }

    /** Whether a payload of {@code payloadLength} bytes should be copied behind its header (else gathered). */
    public static boolean shouldCopy(long payloadLength) {
        return payloadLength <= COPY_THRESHOLD;
    }

    /** Size of an unmasked header for {@code payloadLength} bytes: 2, 4 or 10. */
    public static int headerSize(long payloadLength) {
        if (payloadLength < 0) {
            throw new IllegalArgumentException("negative payload length " + payloadLength);
        }
        return payloadLength < 126 ? 2 : payloadLength <= 0xFFFF ? 4 : 10;
    }

    /** Size of a whole unmasked frame: header plus payload. */
    public static long frameSize(long payloadLength) {
        return headerSize(payloadLength) + payloadLength;
    }

    /**
     * Writes a header (FIN, RSV = 0, opcode, MASK = 0, minimal length encoding).
     *
     * @return header bytes written (2, 4 or 10), or -1 if {@code dst} lacks room
     */
    public static int writeHeader(ByteBuffer dst, int opcode, boolean fin, long payloadLength) {
        return writeHeader(dst, opcode, fin, false, payloadLength);
    }

    /**
     * As {@link #writeHeader(ByteBuffer, int, boolean, long)}, with RSV1 set when {@code rsv1}: the first frame of a
     * message compressed with permessage-deflate (RFC 7692 §6).
     */
    public static int writeHeader(ByteBuffer dst, int opcode, boolean fin, boolean rsv1, long payloadLength) {
        if (opcode < 0 || opcode > 0xF) {
            throw new IllegalArgumentException("opcode " + opcode);
        }
        int size = headerSize(payloadLength);
        if (dst.remaining() < size) {
            return -1;
        }
        dst.put((byte) ((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode));
        if (size == 2) {
            dst.put((byte) payloadLength);
        } else if (size == 4) {
            dst.put((byte) 126);
            dst.put((byte) (payloadLength >>> 8));
            dst.put((byte) payloadLength);
        } else {
            dst.put((byte) 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                dst.put((byte) (payloadLength >>> shift));
            }
        }
        return size;
    }

    /**
     * Writes a whole frame, copying {@code payload[offset, offset+length)} behind the header.
     *
     * @return bytes written, or -1 if {@code dst} lacks room
     */
    public static int writeFrame(ByteBuffer dst, int opcode, boolean fin, ByteBuffer payload, int offset, int length) {
        if (WebSocketOpcodes.isControl(opcode) && (length > WebSocketMessageDecoder.MAX_CONTROL_PAYLOAD || !fin)) {
            throw new IllegalArgumentException("control frames are final and carry at most 125 bytes");
        }
        if (dst.remaining() < frameSize(length)) {
            return -1;
        }
        int header = writeHeader(dst, opcode, fin, length);
        dst.put(dst.position(), payload, offset, length);
        dst.position(dst.position() + length);
        return header + length;
    }

    /** A final binary frame carrying a copy of the span; -1 if {@code dst} lacks room. */
    public static int writeBinary(ByteBuffer dst, ByteBuffer payload, int offset, int length) {
        return writeFrame(dst, WebSocketOpcodes.BINARY, true, payload, offset, length);
    }

    /** A ping carrying a copy of the span (at most 125 bytes); -1 if {@code dst} lacks room. */
    public static int writePing(ByteBuffer dst, ByteBuffer payload, int offset, int length) {
        return writeFrame(dst, WebSocketOpcodes.PING, true, payload, offset, length);
    }

    /** A pong carrying a copy of the span (the ping's payload when answering one); -1 if {@code dst} lacks room. */
    public static int writePong(ByteBuffer dst, ByteBuffer payload, int offset, int length) {
        return writeFrame(dst, WebSocketOpcodes.PONG, true, payload, offset, length);
    }

    /** A final text frame with {@code text} encoded as UTF-8 behind the header; -1 if {@code dst} lacks room. */
    public static int writeText(ByteBuffer dst, CharSequence text) {
        int length = utf8Length(text);
        if (dst.remaining() < frameSize(length)) {
            return -1;
        }
        int header = writeHeader(dst, WebSocketOpcodes.TEXT, true, length);
        encodeUtf8(dst, text);
        return header + length;
    }

    /**
     * A Close frame with a status code and a reason (RFC 6455 §5.5.1).
     *
     * @param code a code that may be sent ({@link WebSocketCloseCodes#isValidOnWire})
     * @param reason at most {@link #MAX_CLOSE_REASON} bytes in UTF-8; may be empty
     * @return bytes written, or -1 if {@code dst} lacks room
     */
    public static int writeClose(ByteBuffer dst, int code, CharSequence reason) {
        if (!WebSocketCloseCodes.isValidOnWire(code)) {
            throw new IllegalArgumentException("close code may not be sent: " + code);
        }
        int reasonLength = utf8Length(reason);
        if (reasonLength > MAX_CLOSE_REASON) {
            throw new IllegalArgumentException("close reason longer than 123 bytes");
        }
        int length = 2 + reasonLength;
        if (dst.remaining() < 2 + length) {
            return -1;
        }
        writeHeader(dst, WebSocketOpcodes.CLOSE, true, length);
        dst.put((byte) (code >>> 8));
        dst.put((byte) code);
        encodeUtf8(dst, reason);
        return 2 + length;
    }

    /** A Close frame for failing the connection: the error's code and fixed reason. */
    public static int writeClose(ByteBuffer dst, WebSocketError error) {
        return writeClose(dst, error.closeCode(), error.reason());
    }

    /** A Close frame with no payload (the peer will report 1005); -1 if {@code dst} lacks room. */
    public static int writeEmptyClose(ByteBuffer dst) {
        return writeHeader(dst, WebSocketOpcodes.CLOSE, true, 0);
    }

    /**
     * The answer to a peer's Close (RFC 6455 §5.5.1): the same code without reason, or no payload when the peer sent
     * none ({@code receivedCode} = {@link WebSocketCloseCodes#NO_STATUS_RECEIVED}).
     */
    public static int writeCloseEcho(ByteBuffer dst, int receivedCode) {
        if (receivedCode == WebSocketCloseCodes.NO_STATUS_RECEIVED) {
            return writeEmptyClose(dst);
        }
        return writeClose(dst, receivedCode, "");
    }

    /** Bytes {@link #encodeUtf8} writes for {@code text}. */
    public static int utf8Length(CharSequence text) {
        int n = text.length();
        int i = 0;
        while (i < n && text.charAt(i) < 0x80) {
            i++; // ASCII prefix: one predictable branch per char
        }
        int bytes = n;
        for (; i < n; i++) {
            char c = text.charAt(i);
            // Branch-free: +1 from U+0080, +1 more from U+0800 (mixed scripts would mispredict a branch per char).
            bytes += ((0x7F - c) >>> 31) + ((0x7FF - c) >>> 31);
            if ((c & 0xF800) == 0xD800) {
                // A surrogate, counted as 3 bytes so far. A valid pair is 4 in all: this 3 plus the 1 its low half
                // already has in n, so skip the low half. A lone surrogate becomes a 1-byte '?'.
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    bytes -= 2;
                }
            }
        }
        return bytes;
    }

    /**
     * Encodes {@code text} as UTF-8 at {@code dst}'s position, advancing it. The caller has checked that
     * {@link #utf8Length} bytes fit.
     *
     * @return bytes written
     */
    public static int encodeUtf8(ByteBuffer dst, CharSequence text) {
        int start = dst.position();
        int p;
        if (dst.hasArray()) {
            int base = dst.arrayOffset();
            p = encodeIntoArray(dst.array(), base + start, text) - base;
        } else {
            p = encodeIntoBuffer(dst, start, text);
        }
        dst.position(p);
        return p - start;
    }

    /** Heap path: plain array stores, and an ASCII run copied by the JDK when the text is a {@code String}. */
    @SuppressWarnings("deprecation")
    private static int encodeIntoArray(byte[] a, int p, CharSequence text) {
        int n = text.length();
        int i = 0;
        if (text instanceof String) {
            // Find the ASCII prefix, then let String copy it (an array copy for a Latin-1 string).
            String s = (String) text;
            while (i < n && s.charAt(i) < 0x80) {
                i++;
            }
            s.getBytes(0, i, a, p); // low byte of each char: exact for ASCII
            p += i;
        }
        for (; i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                a[p++] = (byte) c;
            } else if (c < 0x800) {
                a[p++] = (byte) (0xC0 | (c >> 6));
                a[p++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                char low;
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(low = text.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, low);
                    i++;
                    a[p++] = (byte) (0xF0 | (cp >> 18));
                    a[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                    a[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                    a[p++] = (byte) (0x80 | (cp & 0x3F));
                } else {
                    a[p++] = (byte) '?';
                }
            } else {
                a[p++] = (byte) (0xE0 | (c >> 12));
                a[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                a[p++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        return p;
    }

    private static int encodeIntoBuffer(ByteBuffer dst, int p, CharSequence text) {
        int n = text.length();
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                dst.put(p++, (byte) c);
            } else if (c < 0x800) {
                dst.put(p++, (byte) (0xC0 | (c >> 6)));
                dst.put(p++, (byte) (0x80 | (c & 0x3F)));
            } else if (Character.isSurrogate(c)) {
                char low;
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(low = text.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, low);
                    i++;
                    dst.put(p++, (byte) (0xF0 | (cp >> 18)));
                    dst.put(p++, (byte) (0x80 | ((cp >> 12) & 0x3F)));
                    dst.put(p++, (byte) (0x80 | ((cp >> 6) & 0x3F)));
                    dst.put(p++, (byte) (0x80 | (cp & 0x3F)));
                } else {
                    dst.put(p++, (byte) '?');
                }
            } else {
                dst.put(p++, (byte) (0xE0 | (c >> 12)));
                dst.put(p++, (byte) (0x80 | ((c >> 6) & 0x3F)));
                dst.put(p++, (byte) (0x80 | (c & 0x3F)));
            }
        }
        return p;
    }
}
