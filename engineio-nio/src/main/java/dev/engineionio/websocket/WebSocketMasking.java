package dev.engineionio.websocket;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Client-to-server payload masking (RFC 6455 §5.3): {@code octet[i] ^= key[(phase + i) % 4]}, in place, eight bytes
 * at a time with one {@code getLong}/{@code putLong} per step (the technique of Netty's {@code WebSocket08FrameDecoder}).
 *
 * <p>The 32-bit key is the four masking-key bytes read big-endian ({@code key[0]} in the top byte). The phase is the
 * index into the key of the first byte of the span; it lets a payload split over many reads be unmasked span by span.
 * The eight-byte mask is built for the buffer's own {@link ByteBuffer#order()}, so heap and direct buffers of either
 * order work without touching the caller's buffer state. The buffer must be writable.
 *
 * <p>Stateless; any thread may call it on a buffer it owns. No allocation. Masking is its own inverse, so the same
 * method masks (used by tests and by a client writer).
 */
public final class WebSocketMasking {

    private WebSocketMasking() {
    }

    /**
     * XORs {@code buf[offset, offset+length)} with {@code key} starting at key byte {@code phase} (0..3); absolute
     * indices, position and limit untouched.
     *
     * @return the phase for the byte after the span, {@code (phase + length) & 3}
     */
    public static int unmask(ByteBuffer buf, int offset, int length, int key, int phase) {
        int rotated = Integer.rotateLeft(key, phase << 3);
        int i = offset;
        int end = offset + length;
        if (length >= 8) {
            long mask = ((long) rotated << 32) | (rotated & 0xFFFFFFFFL);
            if (buf.order() == ByteOrder.LITTLE_ENDIAN) {
                mask = Long.reverseBytes(mask);
            }
            int longEnd = end - 7;
            for (; i < longEnd; i += 8) {
                buf.putLong(i, buf.getLong(i) ^ mask);
            }
        }
        // Multiples of 8 bytes keep the phase, so the tail starts with the rotated key's top byte.
        for (int shift = 24; i < end; i++) {
            buf.put(i, (byte) (buf.get(i) ^ (rotated >>> shift)));
            shift = (shift - 8) & 31;
        }
        return (phase + length) & 3;
    }
}
