package dev.engineionio.bench.load;

import java.nio.ByteBuffer;

/**
 * Client side of RFC 6455 section 5 framing, as this load tool needs it: {@link #read} splits one server frame out of
 * a buffer (server frames are never masked, section 5.1) and {@link #write} appends one masked client frame. No I/O,
 * no allocation.
 *
 * <p>Thread: not thread-safe; one per client connection (it holds the last frame's fields). Buffers: the caller owns
 * them; the payload span is absolute indices into the read buffer, valid until it is compacted. Limits: a frame whose
 * payload exceeds {@code maxPayload} is an error (the caller's read buffer bounds it anyway); RSV bits set (no
 * extension is negotiated) and masked server frames are errors; control frames over 125 bytes or fragmented are errors
 * (section 5.5).
 */
final class WsFrames {

    static final int NEED_MORE = 0;
    static final int FRAME = 1;
    static final int ERROR = -1;

    static final int OP_CONTINUATION = 0;
    static final int OP_TEXT = 1;
    static final int OP_BINARY = 2;
    static final int OP_CLOSE = 8;
    static final int OP_PING = 9;
    static final int OP_PONG = 10;

    boolean fin;
    int opcode;
    int payloadStart;
    int payloadLength;
    int frameEnd;
    String error;

    /**
     * Reads the frame at {@code buf.position()}; on {@link #FRAME} the fields describe it and {@link #frameEnd} is the
     * absolute index just past it. The buffer's position is not moved.
     */
    int read(ByteBuffer buf, int maxPayload) {
        int p = buf.position();
        int available = buf.limit() - p;
        if (available < 2) {
            return NEED_MORE;
        }
        int b0 = buf.get(p) & 0xFF;
        int b1 = buf.get(p + 1) & 0xFF;
        if ((b0 & 0x70) != 0) {
            error = "RSV bit set without an extension";
            return ERROR;
        }
        if ((b1 & 0x80) != 0) {
            error = "masked frame from the server";
            return ERROR;
        }
        fin = (b0 & 0x80) != 0;
        opcode = b0 & 0x0F;
        long length = b1 & 0x7F;
        int header = 2;
        if (length == 126) {
            if (available < 4) {
                return NEED_MORE;
            }
            length = buf.getShort(p + 2) & 0xFFFF;
            header = 4;
        } else if (length == 127) {
            if (available < 10) {
                return NEED_MORE;
            }
            length = buf.getLong(p + 2);
            header = 10;
        }
        if (length < 0 || length > maxPayload) {
            error = "frame payload of " + length + " bytes over the client's limit of " + maxPayload;
            return ERROR;
        }
        if (opcode >= 8 && (length > 125 || !fin)) {
            error = "control frame fragmented or over 125 bytes";
            return ERROR;
        }
        if ((opcode > 2 && opcode < 8) || opcode > 10) {
            error = "reserved opcode " + opcode;
            return ERROR;
        }
        if (available < header + length) {
            return NEED_MORE;
        }
        payloadStart = p + header;
        payloadLength = (int) length;
        frameEnd = payloadStart + payloadLength;
        return FRAME;
    }

    /** The bytes {@link #write} needs for a payload of {@code length}. */
    static int frameSize(int length) {
        return (length < 126 ? 2 : length < 65536 ? 4 : 10) + 4 + length;
    }

    /**
     * Appends one final, masked frame with {@code length} payload bytes taken from {@code src[off..]} (plus an optional
     * one-byte {@code prefix} before them when {@code prefix >= 0}, which counts in {@code length}). The caller checks
     * {@code out.remaining() >= frameSize(length)}.
     */
    static void write(ByteBuffer out, int opcode, int prefix, byte[] src, int off, int length, int mask) {
        out.put((byte) (0x80 | opcode));
        if (length < 126) {
            out.put((byte) (0x80 | length));
        } else if (length < 65536) {
            out.put((byte) (0x80 | 126));
            out.putShort((short) length);
        } else {
            out.put((byte) (0x80 | 127));
            out.putLong(length);
        }
        out.putInt(mask);
        int i = 0;
        if (prefix >= 0) {
            out.put((byte) (prefix ^ (mask >>> 24)));
            i = 1;
        }
        for (int j = off; i < length; i++, j++) {
            out.put((byte) (src[j] ^ (mask >>> (24 - ((i & 3) << 3)))));
        }
    }

    /** Unmasks {@code length} bytes starting at absolute index {@code from} of {@code buf} (test helper). */
    static void unmask(ByteBuffer buf, int from, int length, int mask) {
        for (int i = 0; i < length; i++) {
            buf.put(from + i, (byte) (buf.get(from + i) ^ (mask >>> (24 - ((i & 3) << 3)))));
        }
    }
}
