package dev.engineionio.server;

import dev.engineionio.protocol.Utf8;
import java.nio.ByteBuffer;

/**
 * A reusable {@link CharSequence} over the chars of one decoded text message, for the text listeners that take a
 * view ({@link dev.engineionio.EngineSocket#onText}): the message's UTF-8 bytes are decoded into this object's own
 * char array (WHATWG replacement for malformed input, as {@code PayloadDecoder.string}; WebSocket text is validated
 * before it gets here), so no {@code String} is made. One per event loop; re-pointed for every message, so a view is
 * valid only during the listener call that receives it.
 *
 * <p>Thread: the owning loop only. Limits: the array grows to the largest message seen (bounded by
 * {@code maxHttpBufferSize}) and is kept.
 */
final class TextView implements CharSequence {
    private char[] chars = new char[256];
    private int length;

    /** Decodes {@code buf[offset, offset + len)} into this view and returns it. */
    TextView set(ByteBuffer buf, int offset, int len) {
        if (chars.length < len) {
            chars = new char[Math.max(len, Math.min(Integer.MAX_VALUE - 8, 2 * chars.length))];
        }
        length = Utf8.decodeReplacing(buf, offset, len, chars);
        return this;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public char charAt(int index) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException(index);
        }
        return chars[index];
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return toString().substring(start, end);
    }

    /** A {@code String} copy of the current message (allocates). */
    @Override
    public String toString() {
        return new String(chars, 0, length);
    }
}
