package dev.engineionio.server;

import dev.engineionio.protocol.Utf8;
import dev.engineionio.session.CharView;
import java.nio.ByteBuffer;

/**
 * The chars of one decoded text message, for the text listeners that take a view ({@link
 * dev.engineionio.EngineSocket#onText}): the message's UTF-8 bytes are decoded into this object's own char array
 * (WHATWG replacement for malformed input, as {@code PayloadDecoder.string}; WebSocket text is validated before it
 * gets here) and shown through one reused {@link CharView}, so no {@code String} is made. One per event loop;
 * re-pointed for every message, so a view is valid only during the listener call that receives it.
 *
 * <p>Thread: the owning loop only. Limits: the array grows to the largest message seen (bounded by
 * {@code maxHttpBufferSize}) and is kept.
 */
final class TextView {
    private char[] chars = new char[256];
    private final CharView view = new CharView();

    /** Decodes {@code buf[offset, offset + len)} and returns the view of its chars. */
    CharSequence set(ByteBuffer buf, int offset, int len) {
        if (chars.length < len) {
            chars = new char[Math.max(len, Math.min(Integer.MAX_VALUE - 8, 2 * chars.length))];
        }
        return view.of(chars, 0, Utf8.decodeReplacing(buf, offset, len, chars));
    }
}
