package dev.engineionio.session;

/**
 * The timers of one {@link EngineSession}: an index into the session's deadline table.
 *
 * <p>When two timers are due at the same instant, they fire in the order of this enum.
 *
 * <p>Immutable; any thread.
 */
public enum TimerKind {
    /** v4 only: send the next server PING ({@code pingInterval} after open or after the last PONG). */
    PING,
    /** v4: the PONG is late ({@code pingTimeout} after a PING); v3: no client PING for {@code pingInterval+pingTimeout}. */
    PING_TIMEOUT,
    /** The probe WebSocket did not send {@code 5} within {@code upgradeTimeout}: close the probe. */
    UPGRADE_TIMEOUT,
    /** Every {@code upgradeNoopInterval} (100 ms) after {@code 2probe}: release a held GET with a noop {@code 6}. */
    UPGRADE_NOOP_TICK,
    /**
     * A server close over polling with no GET held waits this long ({@code closeTimeout}, 30 s) for a GET to carry
     * the close packet, then closes anyway.
     */
    POLL_CLOSE_TIMEOUT,
    /**
     * SSE: the event stream has been missing (cut, not yet resumed) or unable to take output (above the connection's
     * high-water mark) for {@code pingTimeout}: the session closes ({@code transport error}). See {@link SseTransport}.
     */
    SSE_STREAM_TIMEOUT;

    static final TimerKind[] VALUES = values();
}
