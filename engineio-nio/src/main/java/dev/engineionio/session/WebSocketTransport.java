package dev.engineionio.session;

import dev.engineionio.protocol.PacketType;

import java.nio.ByteBuffer;

/**
 * WebSocket, sans-I/O: the reference's {@code transports/websocket.js}. Frames go out through a {@link FrameSink};
 * decoded packets come in through {@link #onPacket}.
 *
 * <p>Writable at creation. A send makes it unwritable until the driver reports {@link #onWritable(long)}; packets
 * queued meanwhile wait in the session's write buffer and go out together (the reference's {@code _onSentLast}).
 *
 * <p>The same class serves a direct WebSocket session and the probe of a polling session's upgrade
 * ({@link EngineSession#onWebSocketUpgradeRequest}). Input methods run on the session's loop thread; calls after the
 * transport closed or was replaced are ignored.
 */
public final class WebSocketTransport extends SessionTransport {
    private final FrameSink sink;

    /**
     * @param protocol       3 or 4
     * @param supportsBinary false when the query has {@code b64} (binary goes out as {@code b<base64>} text frames)
     * @param sink           the connection's outbound side
     */
    public WebSocketTransport(int protocol, boolean supportsBinary, FrameSink sink) {
        super(protocol, supportsBinary);
        if (sink == null) {
            throw new IllegalArgumentException("sink");
        }
        this.sink = sink;
        this.writable = true;
    }

    @Override
    public TransportKind kind() {
        return TransportKind.WEBSOCKET;
    }

    /** A decoded packet. {@code text}/{@code binary} are valid for the duration of the call only. */
    public void onPacket(PacketType type, CharSequence text, ByteBuffer binary, long nowNs) {
        enter(nowNs);
        if (readyState == ReadyState.CLOSED) {
            return;
        }
        session.onTransportPacket(this, type, text, binary);
    }

    /** A frame that does not decode as a packet ({@code parse error} on the current transport). */
    public void onDecodeError(long nowNs) {
        enter(nowNs);
        if (readyState == ReadyState.CLOSED) {
            return;
        }
        session.onTransportDecodeError(this);
    }

    /** The frames of the last {@link FrameSink#send} are written: writable again. */
    public void onWritable(long nowNs) {
        enter(nowNs);
        if (readyState == ReadyState.CLOSED) {
            return;
        }
        writable = true;
        session.onTransportReady(this);
    }

    /**
     * A WebSocket-level error, e.g. {@code "RangeError: Max payload size exceeded"} (after which the driver closes
     * with 1009) or {@code "write error"}: {@code transport error} with this description.
     */
    public void onError(String description, long nowNs) {
        enter(nowNs);
        if (readyState == ReadyState.CLOSED) {
            return;
        }
        onTransportError(description);
    }

    /** The WebSocket connection closed (close handshake done, or TCP closed). */
    public void onClosed(long nowNs) {
        enter(nowNs);
        if (readyState == ReadyState.CLOSED) {
            return;
        }
        onClose();
    }

    @Override
    void send(WriteBuffer packets) {
        writable = false;
        sink.send(packets);
    }

    @Override
    void doClose(boolean forced) {
        sink.close();
        if (forced) {
            session.onForcedCloseDone();
        }
    }
}
