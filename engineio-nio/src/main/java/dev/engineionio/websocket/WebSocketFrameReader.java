package dev.engineionio.websocket;

import java.nio.ByteBuffer;

/**
 * Splits a byte stream into WebSocket frames (RFC 6455 §5.2) and unmasks payloads in place; it checks no rule (that
 * is {@link WebSocketMessageDecoder}'s job), in the manner of the JDK's {@code jdk.internal.net.http.websocket.Frame.Reader}.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-------+-+-------------+-------------------------------+
 *  |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
 *  |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
 *  |N|V|V|V|       |S|             |   (if payload len==126/127)   |
 *  | |1|2|3|       |K|             |                               |
 *  +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
 *  |     Extended payload length continued, if payload len == 127  |
 *  + - - - - - - - - - - - - - - - +-------------------------------+
 *  |                               |Masking-key, if MASK set to 1  |
 *  +-------------------------------+-------------------------------+
 *  | Masking-key (continued)       |          Payload Data         |
 *  +-------------------------------- - - - - - - - - - - - - - - - +
 * </pre>
 *
 * <h2>Events, in order, per frame</h2>
 * {@link FrameHandler#onFrameHeader} once; {@link FrameHandler#onFramePayload} zero or more times with non-empty,
 * already unmasked spans, in stream order, as the bytes arrive (a large payload comes in as many spans as reads);
 * {@link FrameHandler#onFrameEnd} once, right after the last payload byte (immediately after the header for an empty
 * payload). Lengths are reported as declared, including non-minimal encodings; a 64-bit length with its top bit set is
 * reported as a negative number, and the reader then stops for good after {@code onFrameHeader} (it cannot skip such a
 * payload). Every callback returns {@code true} to go on or {@code false} to stop the reader for good (the message layer
 * stops on a protocol error or a Close frame).
 *
 * <h2>Buffer contract</h2>
 * {@link #read} reads {@code src} from its position to its limit and advances the position over every byte it consumes.
 * It consumes everything unless a handler stops it: up to 13 bytes of an incomplete header are copied into this
 * reader's own 14-byte array and the mask phase is kept, so the driver never has to keep partial frames. When stopped,
 * the position is just after the last byte consumed (after the frame whose callback stopped it) and later calls
 * consume nothing. Payload spans are absolute {@code [offset, offset+length)} indices into {@code src}, valid only
 * during the callback; payload bytes are unmasked in {@code src} itself, which must therefore be writable (heap or
 * direct, either byte order). No reference to {@code src} is kept.
 *
 * <p>Not thread-safe: one reader per connection, called on the connection's event loop. No allocation after
 * construction (one {@code byte[14]}).
 */
public final class WebSocketFrameReader {

    /** Receives the tokens of each frame; see the class comment for the order. */
    public interface FrameHandler {
        /**
         * A frame header. {@code rsv} is the three RSV bits as {@code 0..7} (RSV1 = 4, RSV2 = 2, RSV3 = 1);
         * {@code payloadLength} is negative when the 64-bit length had its top bit set.
         */
        boolean onFrameHeader(boolean fin, int rsv, int opcode, boolean masked, long payloadLength);

        /** Unmasked payload bytes {@code buf[offset, offset+length)}, {@code length > 0}, valid during the call. */
        boolean onFramePayload(ByteBuffer buf, int offset, int length);

        /** The frame's last payload byte was delivered. */
        boolean onFrameEnd();
    }

    private static final int HEADER = 0;
    private static final int PAYLOAD = 1;
    private static final int STOPPED = 2;

    /**
     * A header split across inputs, gathered byte by byte: bytes 0 to 7 in {@code head0} and 8 to 13 in
     * {@code head1}, most significant first (two longs rather than an array and its view: 80 bytes less per
     * connection).
     */
    private long head0;
    private long head1;
    private int headLength;
    private int state = HEADER;

    private long remaining;
    private boolean masked;
    private int maskKey;
    private int maskPhase;

    /** Whether a handler stopped this reader; it then consumes nothing more. */
    public boolean isStopped() {
        return state == STOPPED;
    }

    /** Whether the reader is between frames with no partial header held (a clean point to stop reading). */
    public boolean isAtFrameBoundary() {
        return state == HEADER && headLength == 0;
    }

    /**
     * Consumes {@code src} from position to limit, reporting frames to {@code handler}.
     *
     * @return {@code true} if every byte was consumed and more may follow; {@code false} if the reader is stopped
     */
    public boolean read(ByteBuffer src, FrameHandler handler) {
        int pos = src.position();
        int limit = src.limit();
        while (state != STOPPED) {
            if (state == HEADER) {
                if (pos == limit) {
                    break;
                }
                pos = readHeader(src, pos, limit, handler);
            } else {
                // PAYLOAD: deliver what is here, at most what the frame still owes.
                if (remaining == 0) {
                    state = HEADER;
                    if (!handler.onFrameEnd()) {
                        state = STOPPED;
                    }
                    continue;
                }
                int n = (int) Math.min(remaining, limit - pos);
                if (n == 0) {
                    break;
                }
                if (masked) {
                    maskPhase = WebSocketMasking.unmask(src, pos, n, maskKey, maskPhase);
                }
                remaining -= n;
                int spanStart = pos;
                pos += n;
                if (!handler.onFramePayload(src, spanStart, n)) {
                    state = STOPPED;
                }
            }
        }
        src.position(pos);
        return state != STOPPED;
    }

    /** Parses a header from {@code src} (straight from the buffer, or gathered in {@link #head0}/{@link #head1} when split). */
    private int readHeader(ByteBuffer src, int pos, int limit, FrameHandler handler) {
        if (headLength == 0 && limit - pos >= 2) {
            int b1 = src.get(pos + 1);
            int size = headerSize(b1);
            if (limit - pos >= size) {
                parseHeader(src, pos, b1, handler);
                return pos + size;
            }
        }
        // Slow path: gather the header bytes; at most 14 are ever needed.
        while (pos < limit) {
            long b = src.get(pos++) & 0xFFL;
            int i = headLength++;
            if (i < 8) {
                head0 = i == 0 ? b << 56 : head0 | b << (56 - 8 * i);
            } else {
                head1 = i == 8 ? b << 56 : head1 | b << (56 - 8 * (i - 8));
            }
            if (headLength >= 2 && headLength == headerSize(headByte(1))) {
                headLength = 0;
                parseGatheredHeader(handler);
                break;
            }
        }
        return pos;
    }

    /** Byte {@code i} of the gathered header. */
    private int headByte(int i) {
        return (int) ((i < 8 ? head0 >>> (56 - 8 * i) : head1 >>> (56 - 8 * (i - 8))) & 0xFF);
    }

    private void parseGatheredHeader(FrameHandler handler) {
        int b1 = headByte(1);
        int len7 = b1 & 0x7F;
        int i = 2;
        long length;
        if (len7 < 126) {
            length = len7;
        } else {
            length = 0;
            for (int end = len7 == 126 ? 4 : 10; i < end; i++) {
                length = (length << 8) | headByte(i);
            }
        }
        int key = 0;
        if ((b1 & 0x80) != 0) {
            key = (headByte(i) << 24) | (headByte(i + 1) << 16) | (headByte(i + 2) << 8) | headByte(i + 3);
        }
        onHeader(headByte(0), b1, length, key, handler);
    }

    private static int headerSize(int b1) {
        int len7 = b1 & 0x7F;
        int size = len7 == 126 ? 4 : len7 == 127 ? 10 : 2;
        return (b1 & 0x80) != 0 ? size + 4 : size;
    }

    private void parseHeader(ByteBuffer buf, int at, int b1, FrameHandler handler) {
        int b0 = buf.get(at);
        int len7 = b1 & 0x7F;
        int i = at + 2;
        long length;
        if (len7 < 126) {
            length = len7;
        } else if (len7 == 126) {
            length = ((buf.get(i) & 0xFF) << 8) | (buf.get(i + 1) & 0xFF);
            i += 2;
        } else {
            length = 0;
            for (int end = i + 8; i < end; i++) {
                length = (length << 8) | (buf.get(i) & 0xFF);
            }
        }
        int key = 0;
        if ((b1 & 0x80) != 0) {
            key = ((buf.get(i) & 0xFF) << 24) | ((buf.get(i + 1) & 0xFF) << 16)
                    | ((buf.get(i + 2) & 0xFF) << 8) | (buf.get(i + 3) & 0xFF);
        }
        onHeader(b0, b1, length, key, handler);
    }

    private void onHeader(int b0, int b1, long length, int key, FrameHandler handler) {
        masked = (b1 & 0x80) != 0;
        maskKey = key;
        maskPhase = 0;
        remaining = length;
        boolean go = handler.onFrameHeader((b0 & 0x80) != 0, (b0 >> 4) & 0x7, b0 & 0x0F, masked, length);
        state = go && length >= 0 ? PAYLOAD : STOPPED;
    }
}
