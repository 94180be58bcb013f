package dev.engineionio;

import java.nio.ByteBuffer;

/**
 * The callbacks of a raw WebSocket endpoint ({@link EngineServer.Builder#webSocket}). Every method has an empty
 * default.
 *
 * <p>Threads: all callbacks of one session run on its event-loop thread, one at a time, in wire order: {@code onOpen},
 * then messages, then {@code onClose} exactly once. Do not block in them: the loop serves many connections. An
 * exception thrown by a callback is logged and closes that session with 1011.
 */
public interface WebSocketHandler {

    /**
     * The handshake completed: the {@code 101} answer is written and the session may send.
     *
     * @param session the new session
     */
    default void onOpen(WebSocketSession session) {
    }

    /**
     * A complete text message (validated UTF-8; fragments are reassembled).
     *
     * @param session the session
     * @param text    the message
     */
    default void onText(WebSocketSession session, String text) {
    }

    /**
     * A complete binary message (fragments are reassembled).
     *
     * @param session the session
     * @param data    a read-only view valid during the call only: copy what must be kept
     */
    default void onBinary(WebSocketSession session, ByteBuffer data) {
    }

    /**
     * Output queued for this session dropped back below the low-water mark after {@link WebSocketSession#isWritable()}
     * had turned false: a producer that paused may go on.
     *
     * @param session the session
     */
    default void onWritable(WebSocketSession session) {
    }

    /**
     * The session closed: {@code code} is the peer's close code (1005 if it sent none), the code of the protocol
     * error we closed with (1002, 1007, 1009, ...), or 1006 when the TCP connection ended without a close handshake.
     *
     * @param session the session, no longer open
     * @param code    the close code
     * @param reason  the close reason (empty when none)
     */
    default void onClose(WebSocketSession session, int code, String reason) {
    }
}
