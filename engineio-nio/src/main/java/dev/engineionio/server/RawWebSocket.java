package dev.engineionio.server;

import dev.engineionio.WebSocketHandler;
import dev.engineionio.WebSocketSession;
import dev.engineionio.driver.EventLoop;
import dev.engineionio.websocket.WebSocketCloseCodes;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A raw WebSocket endpoint's session: the public {@link WebSocketSession} over a {@link WsConnection}, calling the
 * user's {@link WebSocketHandler} on the connection's loop. Sends from other threads are queued to that loop as
 * commands (in order per sending thread); payloads are copied first, so callers may reuse their buffers.
 */
final class RawWebSocket implements WebSocketSession, WsListener {

    private static final System.Logger LOG = System.getLogger(RawWebSocket.class.getName());

    private final WebSocketHandler handler;
    private final String path;
    private final EventLoop loop;
    private WsConnection ws;
    private volatile boolean open = true;
    private volatile boolean writable = true;
    private volatile Object attachment;
    private boolean closedNotified;

    RawWebSocket(WebSocketHandler handler, String path, EventLoop loop) {
        this.handler = handler;
        this.path = path;
        this.loop = loop;
    }

    // ------------------------------------------------------------------------------------------ WsListener

    @Override
    public void onOpen(WsConnection ws, long nowNs) {
        this.ws = ws;
        try {
            handler.onOpen(this);
        } catch (Throwable t) {
            failed(t);
        }
    }

    @Override
    public void onText(WsConnection ws, ByteBuffer buf, int offset, int length, long nowNs) {
        String text;
        if (buf.hasArray()) {
            text = new String(buf.array(), buf.arrayOffset() + offset, length, StandardCharsets.UTF_8);
        } else {
            byte[] a = new byte[length];
            buf.get(offset, a, 0, length);
            text = new String(a, StandardCharsets.UTF_8);
        }
        try {
            handler.onText(this, text);
        } catch (Throwable t) {
            failed(t);
        }
    }

    @Override
    public void onBinary(WsConnection ws, ByteBuffer buf, int offset, int length, long nowNs) {
        ByteBuffer view = buf.asReadOnlyBuffer();
        view.limit(offset + length).position(offset);
        try {
            handler.onBinary(this, view.slice());
        } catch (Throwable t) {
            failed(t);
        }
    }

    @Override
    public void onWritable(WsConnection ws, long nowNs) {
        writable = true;
        try {
            handler.onWritable(this);
        } catch (Throwable t) {
            failed(t);
        }
    }

    @Override
    public void onClosed(WsConnection ws, int code, String reason) {
        open = false;
        if (closedNotified) {
            return;
        }
        closedNotified = true;
        try {
            handler.onClose(this, code, reason);
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.WARNING, "WebSocketHandler.onClose threw", t);
        }
    }

    private void failed(Throwable t) {
        LOG.log(System.Logger.Level.WARNING, "WebSocketHandler threw; closing the session with 1011", t);
        ws.close(WebSocketCloseCodes.INTERNAL_ERROR, "");
    }

    // ------------------------------------------------------------------------------------------ WebSocketSession

    private void run(Runnable r) {
        if (loop.inEventLoop()) {
            r.run();
        } else if (!loop.offer(r)) {
            open = false;
        }
    }

    @Override
    public void sendText(String text) {
        if (loop.inEventLoop()) {
            ws.sendText(text);
            writable = ws.isWritable();
        } else {
            run(() -> ws.sendText(text));
        }
    }

    @Override
    public void sendBinary(byte[] data) {
        byte[] copy = loop.inEventLoop() ? data : data.clone();
        run(() -> ws.sendBinary(ByteBuffer.wrap(copy), 0, copy.length));
    }

    @Override
    public void sendBinary(ByteBuffer data) {
        if (loop.inEventLoop()) {
            ws.sendBinary(data, data.position(), data.remaining());
            return;
        }
        byte[] copy = new byte[data.remaining()];
        data.get(data.position(), copy, 0, copy.length);
        run(() -> ws.sendBinary(ByteBuffer.wrap(copy), 0, copy.length));
    }

    @Override
    public void ping(byte[] data) {
        if (data.length > 125) {
            throw new IllegalArgumentException("ping payload over 125 bytes: " + data.length);
        }
        byte[] copy = data.clone();
        run(() -> ws.sendPing(ByteBuffer.wrap(copy), 0, copy.length));
    }

    @Override
    public void close(int code, String reason) {
        if (!WebSocketCloseCodes.isValidOnWire(code)) {
            throw new IllegalArgumentException("close code may not be sent: " + code);
        }
        if (reason != null && reason.getBytes(StandardCharsets.UTF_8).length > 123) {
            throw new IllegalArgumentException("close reason over 123 bytes");
        }
        run(() -> ws.close(code, reason));
    }

    @Override
    public boolean isWritable() {
        if (loop.inEventLoop() && ws != null) {
            writable = ws.isWritable();
        }
        return writable && open;
    }

    @Override
    public boolean isOpen() {
        return open && (ws == null || !loop.inEventLoop() || ws.isOpen());
    }

    @Override
    public InetSocketAddress remoteAddress() {
        SocketAddress a = ws == null ? null : ws.connection().remoteAddress();
        return a instanceof InetSocketAddress ? (InetSocketAddress) a : null;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public Object attachment() {
        return attachment;
    }

    @Override
    public void attach(Object attachment) {
        this.attachment = attachment;
    }

    @Override
    public String toString() {
        return "WebSocketSession[" + path + "]";
    }
}
