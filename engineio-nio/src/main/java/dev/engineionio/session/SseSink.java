package dev.engineionio.session;

/**
 * The outbound side of an {@link SseTransport}, implemented by the driver glue: it numbers the events, keeps the
 * replay buffer and writes to whichever stream connection is current.
 *
 * <p>Called on the session's loop thread, never while the transport is unwritable. The implementation must encode or
 * copy the batch before returning and must not call back into the session from inside these methods.
 */
public interface SseSink {
    /**
     * Writes each packet of {@code batch} as one event on the current stream. Returns whether the stream can take
     * more now (its connection is at or below the high-water mark); when it returns false the glue later calls
     * {@link SseTransport#onStreamWritable(long)}.
     */
    boolean send(PacketBatch batch);

    /** Ends the current stream, if any: its connection closes once what was written is flushed. Idempotent. */
    void end();
}
