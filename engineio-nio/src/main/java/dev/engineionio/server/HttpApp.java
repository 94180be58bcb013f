package dev.engineionio.server;

/**
 * The internal request SPI between {@link HttpConnection} and the applications (Engine.IO, raw WebSocket endpoints,
 * the user's fallback handler). Called on the connection's loop, once per request head, with the head's spans valid
 * for the length of the call only (copy what must be kept).
 *
 * <p>For a plain request the application must do exactly one of: answer at once ({@link HttpConnection#respond}),
 * ask for the body ({@link HttpConnection#readBody}) and answer from its {@link BodySink}, hold the request and answer
 * later on the same loop ({@link HttpConnection#hold}), or move the connection to another loop
 * ({@link HttpConnection#migrate}: the request is then presented again there). For an upgrade request: answer (a
 * rejection), hand the connection to a WebSocket handler ({@link HttpConnection#upgraded}), migrate, or
 * {@link HttpConnection#destroyAfter destroy} it.
 */
interface HttpApp {

    /** A request head is complete ({@code HEAD}: a body follows; {@code REQUEST}: none). */
    void onRequest(HttpConnection hc, long nowNs);

    /** An upgrade request's head is complete; following bytes belong to the next protocol. */
    void onUpgrade(HttpConnection hc, long nowNs);

    /** Receives a request body asked for with {@link HttpConnection#readBody}. */
    interface BodySink {
        /** The whole body, {@code [offset, offset+length)} of {@code buf}, valid during the call only. */
        void onBody(HttpConnection hc, java.nio.ByteBuffer buf, int offset, int length, long nowNs);

        /** The body passed the limit: answer (e.g. 413); the rest is discarded and the connection closed. */
        void onBodyTooLarge(HttpConnection hc, long nowNs);
    }

    /** Told when the connection of a held request (or of a body being read) closes before the answer. */
    interface PendingListener {
        void onConnectionLost(HttpConnection hc, long nowNs);
    }
}
