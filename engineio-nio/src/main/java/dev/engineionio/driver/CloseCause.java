package dev.engineionio.driver;

/**
 * Why a connection was closed, as given once to {@link ConnectionHandler#onClose(Connection, CloseCause)}. One constant
 * per cause; the driver never closes a connection without one.
 */
public enum CloseCause {
    /** {@link Connection#close()} was called: abortive, queued output discarded. */
    LOCAL,
    /** {@link Connection#closeAfterFlush()} completed: output flushed, our side shut down, the peer's EOF seen. */
    GRACEFUL,
    /** {@link Connection#closeAfterFlush()} did not complete within the linger timeout. */
    LINGER_TIMEOUT,
    /** A read or write failed (connection reset, broken pipe, ...). */
    IO_ERROR,
    /** The handler left more unconsumed input than {@link DriverConfig#maxRetainedBytes()}. */
    RETAINED_LIMIT,
    /** Queued output passed {@link DriverConfig#writeHardLimitBytes()}: the peer does not read. */
    OUTPUT_LIMIT,
    /** A handler callback threw; the exception is in {@link Connection#closeError()}. */
    HANDLER_ERROR,
    /** The driver shut down and the connection had not closed by itself within the shutdown grace period. */
    SHUTDOWN,
    /**
     * At {@link DriverConfig#maxConnections()}, a new connection took the place of this one: the oldest connection of
     * its loop not yet {@link Connection#markServed() served} (abortive close, nothing written).
     */
    EVICTED
}
