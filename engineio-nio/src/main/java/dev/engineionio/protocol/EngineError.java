package dev.engineionio.protocol;

import java.nio.ByteBuffer;

/**
 * The reference server's handshake and request errors ({@code server.js} {@code errors}/{@code errorMessages},
 * {@code abortRequest}), with their JSON bodies.
 *
 * <p>Over HTTP the answer is {@link #httpStatus()} with {@code Content-Type: application/json} and the body
 * {@code {"code":N,"message":"..."}}; over a WebSocket upgrade request it is always a plain-text 400 with the message.
 * {@link #FORBIDDEN}'s message may be replaced by the {@code allowRequest} refusal reason: write that body with
 * {@link PacketEncoder#writeErrorBody}.
 *
 * <p>Immutable; any thread may use it. {@link #writeBody} never allocates.
 */
public enum EngineError {
    /** 0: transport missing, not enabled, or {@code webtransport} over HTTP. */
    TRANSPORT_UNKNOWN(0, "Transport unknown", 400),
    /** 1: {@code sid} not found. */
    SESSION_ID_UNKNOWN(1, "Session ID unknown", 400),
    /** 2: handshake with a method other than GET. */
    BAD_HANDSHAKE_METHOD(2, "Bad handshake method", 400),
    /** 3: transport or protocol mismatch, websocket handshake over plain GET, middleware failure. */
    BAD_REQUEST(3, "Bad request", 400),
    /** 4: {@code allowRequest} refused (HTTP 403). */
    FORBIDDEN(4, "Forbidden", 403),
    /** 5: protocol 3 (EIO other than 4) while EIO=3 is not allowed. */
    UNSUPPORTED_PROTOCOL_VERSION(5, "Unsupported protocol version", 400);

    private final int code;
    private final String message;
    private final int httpStatus;
    private final byte[] body;

    EngineError(int code, String message, int httpStatus) {
        this.code = code;
        this.message = message;
        this.httpStatus = httpStatus;
        ByteBuffer b = ByteBuffer.allocate(PacketEncoder.measureErrorBody(code, message));
        PacketEncoder.writeErrorBody(code, message, b);
        this.body = b.array();
    }

    /**
     * The Engine.IO error code.
     *
     * @return 0..5
     */
    public int code() {
        return code;
    }

    /**
     * The standard message.
     *
     * @return e.g. {@code Session ID unknown}
     */
    public String message() {
        return message;
    }

    /**
     * The HTTP status of a polling rejection.
     *
     * @return 403 for {@link #FORBIDDEN}, else 400
     */
    public int httpStatus() {
        return httpStatus;
    }

    /**
     * The length of {@link #writeBody}'s output.
     *
     * @return the size in bytes
     */
    public int bodyLength() {
        return body.length;
    }

    /**
     * Writes {@code {"code":N,"message":"<standard message>"}} at {@code dst}'s position and advances it.
     *
     * @param dst the destination, with at least {@link #bodyLength()} bytes remaining
     * @return the bytes written
     * @throws java.nio.BufferOverflowException if {@code dst} has less room
     */
    public int writeBody(ByteBuffer dst) {
        dst.put(body);
        return body.length;
    }
}
