package dev.engineionio.server;

import java.nio.ByteBuffer;

/**
 * What a {@link WsConnection} reports to the layer above it (a raw WebSocket endpoint, or the Engine.IO WebSocket
 * transport). Called on the connection's event loop only. Spans are valid during the call only.
 */
interface WsListener {

    /** The connection is open (the 101 was queued). */
    void onOpen(WsConnection ws, long nowNs);

    /** A whole text message, valid UTF-8. */
    void onText(WsConnection ws, ByteBuffer buf, int offset, int length, long nowNs);

    /** A whole binary message. */
    void onBinary(WsConnection ws, ByteBuffer buf, int offset, int length, long nowNs);

    /** The input of one read was decoded (messages of it reported). Default: nothing. */
    default void afterRead(WsConnection ws, long nowNs) {
    }

    /** A pong arrived. Default: nothing. */
    default void onPong(WsConnection ws, long nowNs) {
    }

    /** Queued output dropped below the low-water mark after having been above the high-water mark. */
    default void onWritable(WsConnection ws, long nowNs) {
    }

    /**
     * A protocol error by the peer (the close frame with its code is already written): e.g. 1009 for a message over
     * the limit. Followed by {@link #onClosed}.
     */
    default void onProtocolError(WsConnection ws, int closeCode, String reason, long nowNs) {
    }

    /**
     * The WebSocket is closed, once: {@code code} is the peer's close code (1005 when none), or 1006 when the TCP
     * connection ended without a close handshake.
     */
    void onClosed(WsConnection ws, int code, String reason);

    /**
     * Whether the layer above closes this WebSocket itself at server shutdown (Engine.IO: after its queued packets);
     * otherwise the connection sends close 1001 (going away) at once. Default: false.
     */
    default boolean closesAtShutdown() {
        return false;
    }
}
