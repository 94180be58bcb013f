package dev.engineionio.websocket;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Records decoder events as strings and fails on an impossible order: anything after close/error, a streamed
 * fragment after its message's last one without a new message, or whole messages mixed with fragments.
 */
class RecordingHandler implements WebSocketMessageHandler {

    final List<String> events = new ArrayList<>();
    final List<ByteBuffer> buffers = new ArrayList<>();
    private boolean terminal;
    private StringBuilder fragments;

    private static String hex(ByteBuffer buf, int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > buf.limit()) {
            throw new AssertionError("span outside the buffer: " + offset + "+" + length + " limit " + buf.limit());
        }
        byte[] b = new byte[length];
        buf.get(offset, b);
        return HexFormat.of().formatHex(b);
    }

    private void add(String event, ByteBuffer buf) {
        if (terminal) {
            throw new AssertionError("event after close/error: " + event + " (after " + events + ")");
        }
        events.add(event);
        buffers.add(buf);
    }

    @Override
    public void onText(ByteBuffer buf, int offset, int length) {
        add("text:" + hex(buf, offset, length), buf);
    }

    @Override
    public void onBinary(ByteBuffer buf, int offset, int length) {
        add("binary:" + hex(buf, offset, length), buf);
    }

    @Override
    public void onTextFragment(ByteBuffer buf, int offset, int length, boolean last) {
        fragment("text", buf, offset, length, last);
    }

    @Override
    public void onBinaryFragment(ByteBuffer buf, int offset, int length, boolean last) {
        fragment("binary", buf, offset, length, last);
    }

    private void fragment(String kind, ByteBuffer buf, int offset, int length, boolean last) {
        if (terminal) {
            throw new AssertionError("fragment after close/error");
        }
        if (fragments == null) {
            fragments = new StringBuilder();
        }
        fragments.append(hex(buf, offset, length));
        if (last) {
            // Streamed pieces are joined so that events compare equal however the input was chunked.
            add(kind + ":" + fragments, buf);
            fragments = null;
        }
    }

    @Override
    public void onPing(ByteBuffer buf, int offset, int length) {
        add("ping:" + hex(buf, offset, length), buf);
    }

    @Override
    public void onPong(ByteBuffer buf, int offset, int length) {
        add("pong:" + hex(buf, offset, length), buf);
    }

    @Override
    public void onClose(int code, ByteBuffer reason, int offset, int length, boolean closeAlreadySent) {
        add("close:" + code + ":" + hex(reason, offset, length) + (closeAlreadySent ? ":answer" : ""), reason);
        terminal = true;
    }

    @Override
    public void onProtocolError(WebSocketError error) {
        add("error:" + error.name(), null);
        terminal = true;
    }

    static String hexOf(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
