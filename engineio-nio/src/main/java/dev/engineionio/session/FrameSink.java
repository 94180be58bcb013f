package dev.engineionio.session;

/**
 * The outbound side of one WebSocket connection, implemented by the driver glue.
 *
 * <p>Called on the session's loop thread. {@link #send(WriteBuffer)} writes one frame per packet, in order (text
 * frames {@code <type><data>}; a binary message as a binary frame, with a leading type byte in v3, or a
 * {@code b<base64>} text frame when the client asked {@code b64=1}). After a {@code send} the transport is not
 * writable until the driver calls {@link WebSocketTransport#onWritable(long)} (the
 * reference's {@code ws} send callback), which it may do as soon as the frames are in the connection's outbound
 * buffer, but never from inside {@code send}. {@link #close()} sends a close frame without a status code (the client
 * sees 1005) and closes the connection once it is written; it may come after the driver itself started closing
 * (e.g. with 1009 after reporting {@link WebSocketTransport#onError}), and must then do nothing more.
 *
 * <p>The implementation must encode or copy the batch before returning and must not call back into the session
 * from inside these methods.
 */
public interface FrameSink {
    /** Write each packet of {@code batch} as one frame. */
    void send(WriteBuffer batch);

    /** Send a close frame without status code and close the connection. Called at most once. */
    void close();
}
