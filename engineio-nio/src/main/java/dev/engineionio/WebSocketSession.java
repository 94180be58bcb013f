package dev.engineionio;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * One raw RFC 6455 WebSocket connection of a {@link WebSocketHandler} endpoint.
 *
 * <p>Threads: every method may be called from any thread. Called on the connection's event loop (e.g. from a
 * {@link WebSocketHandler} callback) it acts at once; from another thread it is queued to that loop, and the order of
 * one sender's calls is kept. Sends after the close started are dropped silently. Messages are copied: the caller's
 * arrays and buffers may be reused as soon as the call returns.
 */
public interface WebSocketSession {

    /**
     * Sends a text message.
     *
     * @param text the message
     */
    void sendText(String text);

    /**
     * Sends a binary message.
     *
     * @param data the message, copied at the call
     */
    void sendBinary(byte[] data);

    /**
     * Sends the bytes between {@code data}'s position and limit as a binary message.
     *
     * @param data the message, copied at the call (its position is left untouched)
     */
    void sendBinary(ByteBuffer data);

    /**
     * Sends a ping (the peer's pong is handled by the server).
     *
     * @param data the application data, at most 125 bytes
     * @throws IllegalArgumentException if {@code data} is longer than 125 bytes
     */
    void ping(byte[] data);

    /**
     * Starts the closing handshake with {@code code} (1000, 1001, 1003, 1007-1014 or 3000-4999) and a reason of at
     * most 123 UTF-8 bytes; the connection closes when the peer answers, or after the close timeout
     * ({@link EngineServer.Builder#webSocketCloseTimeout}).
     *
     * @param code   the close code
     * @param reason the reason, at most 123 UTF-8 bytes
     * @throws IllegalArgumentException if the code may not be sent or the reason is too long
     */
    void close(int code, String reason);

    /** {@code close(1000, "")}. */
    default void close() {
        close(1000, "");
    }

    /**
     * Whether queued output is below the high-water mark (64 KiB by default; {@code EngineServer.Builder
     * .writeWaterMarks}). Sends are never refused, but a producer should pause while this is false and resume at
     * {@link WebSocketHandler#onWritable} (at or below the low mark, 32 KiB by default); output above the hard limit
     * (2 &times; the larger of {@code webSocketMaxMessageSize} and {@code maxHttpBufferSize} + 1 MiB, at least 16 MiB:
     * 33 MiB by default) closes the connection. Racy from other threads.
     *
     * @return true while queued output is below the high-water mark
     */
    boolean isWritable();

    /**
     * Whether the session can still send (no close sent or received). Racy from other threads.
     *
     * @return true while open
     */
    boolean isOpen();

    /**
     * The peer's address.
     *
     * @return the address, or {@code null} when the connection is already closed
     */
    InetSocketAddress remoteAddress();

    /**
     * The path of the upgrade request.
     *
     * @return the endpoint's path, e.g. {@code /raw}
     */
    String path();

    /**
     * The application's object for this session.
     *
     * @return the object set by {@link #attach}, or {@code null}
     */
    Object attachment();

    /**
     * Sets the application's object for this session.
     *
     * @param attachment the object, or {@code null}
     */
    void attach(Object attachment);
}
