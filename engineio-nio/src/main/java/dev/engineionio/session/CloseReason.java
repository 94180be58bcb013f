package dev.engineionio.session;

/**
 * Why a session closed: the {@code reason} argument of the reference's {@code socket.on("close", reason,
 * description)} ({@code socket.js}). The free-text description (for example {@code "overlap from client"}) travels
 * beside it in {@link SessionListener#onClose}.
 *
 * <p>The reference's comment also lists "client error" and "server close", which it never emits; so do we.
 * "server shutting down" is a Socket.IO reason, not an Engine.IO one: a server shutdown closes each session with
 * {@link #FORCED_CLOSE} ({@code server.close()} calls {@code socket.close(true)}).
 *
 * <p>Immutable; any thread.
 */
public enum CloseReason {
    /** The client closed: {@code 1} over polling, the WebSocket closed by the peer, the transport closed. */
    TRANSPORT_CLOSE("transport close"),
    /** A transport error; the description says which ({@code overlap from client}, {@code invalid content}...). */
    TRANSPORT_ERROR("transport error"),
    /** No pong (v4) or no ping (v3) in time. */
    PING_TIMEOUT("ping timeout"),
    /** The client sent a packet or payload that does not decode. */
    PARSE_ERROR("parse error"),
    /** The server closed the session ({@code close()}, server shutdown). */
    FORCED_CLOSE("forced close");

    private final String text;

    CloseReason(String text) {
        this.text = text;
    }

    /** The reference's reason string, e.g. {@code "ping timeout"}. */
    public String text() {
        return text;
    }
}
