package dev.engineionio.driver;

import java.nio.ByteBuffer;

/**
 * The protocol SPI of the driver: what an HTTP parser, a WebSocket layer or a test protocol implements to be driven by
 * an {@link EventLoop}. The driver knows nothing of protocols; a handler knows nothing of sockets.
 *
 * <h2>Threads and order</h2>
 * Every method is called on the connection's event loop thread, never concurrently, in this order:
 * {@code onOpen}, then any of {@code onRead} / {@code onEof} / {@code onWritable} / {@code onTimeout} /
 * {@code onShutdown}, then {@code onClose} exactly once. After {@code onClose} nothing more is called. A handler may
 * call any {@link Connection} method from inside a callback (write, close, set a deadline, swap the handler).
 *
 * <h2>Buffer contract ({@link #onRead})</h2>
 * {@code src} is positioned at the first unconsumed byte; {@code [position, limit)} is the input. The handler advances
 * {@code src.position()} past what it consumed and must not touch the limit or anything outside
 * {@code [position, limit)}, nor keep a reference to {@code src} after returning (it is the loop's shared read buffer
 * or the connection's own buffer, reused at once). Whatever it leaves unconsumed the driver keeps (copied into a buffer
 * owned by the connection, only if something is left) and presents again at the start of the next call's {@code src},
 * followed by newly read bytes. If more than {@link DriverConfig#maxRetainedBytes()} are left, the connection is
 * closed with {@link CloseCause#RETAINED_LIMIT}; a handler that needs a whole unit (a frame, a request head) must
 * itself cap the unit below that limit and answer the peer with its own error first. {@code src} may be a heap or a
 * direct buffer.
 *
 * <p>If the handler calls {@link Connection#setHandler} and returns with bytes left, those bytes are presented to the
 * new handler at once, in the same read event (e.g. the first WebSocket frame sent right behind an upgrade request).
 *
 * <h2>Exceptions</h2>
 * An exception thrown by a callback is caught and logged by the driver, and closes that connection only
 * ({@link CloseCause#HANDLER_ERROR}); the loop carries on. An exception from {@code onClose} is logged.
 */
public interface ConnectionHandler {

    /** The connection is registered and readable. Default: nothing. */
    default void onOpen(Connection connection, long nowNs) {
    }

    /** Input arrived; see the buffer contract in the class Javadoc. */
    void onRead(Connection connection, ByteBuffer src, long nowNs);

    /**
     * The peer shut down its output (read returned -1): no more input will come, but output may still be written.
     * Input the handler had left unconsumed is dropped. The handler decides: typically finish the answer, then
     * {@link Connection#closeAfterFlush()}. Default: {@code closeAfterFlush()}.
     */
    default void onEof(Connection connection, long nowNs) {
        connection.closeAfterFlush();
    }

    /**
     * Queued output dropped to the low-water mark after having passed the high-water mark: {@link
     * Connection#isWritable()} is true again. Default: nothing.
     */
    default void onWritable(Connection connection, long nowNs) {
    }

    /**
     * The deadline set by {@link Connection#setDeadline(long)} has passed; it is now cleared. Typical use: request
     * header timeout, idle keep-alive timeout, a session's earliest timer. The handler may set a new deadline. Default:
     * {@link Connection#close()}.
     */
    default void onTimeout(Connection connection, long nowNs) {
        connection.close();
    }

    /**
     * The driver is shutting down: finish or abandon work and close (e.g. send an Engine.IO close, then
     * {@code closeAfterFlush()}). A connection still open when the shutdown grace period ends is closed with {@link
     * CloseCause#SHUTDOWN}. Default: {@link Connection#closeAfterFlush()}.
     */
    default void onShutdown(Connection connection, long nowNs) {
        connection.closeAfterFlush();
    }

    /**
     * The connection is closed (channel closed, buffers returned, deadline cancelled); called exactly once, on the
     * handler current at that moment. Writes are no longer possible.
     */
    default void onClose(Connection connection, CloseCause cause) {
    }
}
