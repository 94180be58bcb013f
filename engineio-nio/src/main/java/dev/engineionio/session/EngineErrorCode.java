package dev.engineionio.session;

/**
 * The reference's request error codes ({@code Server.errors} and {@code Server.errorMessages}, {@code server.js}),
 * each with its standard message and HTTP status ({@code abortRequest}: 403 for {@link #FORBIDDEN}, else 400).
 *
 * <p>Immutable; any thread.
 */
public enum EngineErrorCode {
    UNKNOWN_TRANSPORT(0, "Transport unknown"),
    UNKNOWN_SID(1, "Session ID unknown"),
    BAD_HANDSHAKE_METHOD(2, "Bad handshake method"),
    BAD_REQUEST(3, "Bad request"),
    FORBIDDEN(4, "Forbidden"),
    UNSUPPORTED_PROTOCOL_VERSION(5, "Unsupported protocol version");

    private final int code;
    private final String message;

    EngineErrorCode(int code, String message) {
        this.code = code;
        this.message = message;
    }

    /** The numeric code, 0..5, as in the JSON body {@code {"code":N,...}}. */
    public int code() {
        return code;
    }

    /** The standard message, e.g. {@code "Transport unknown"}. */
    public String message() {
        return message;
    }

    /** The HTTP status of a polling answer: 403 for {@link #FORBIDDEN}, else 400. WebSocket answers are always 400. */
    public int httpStatus() {
        return this == FORBIDDEN ? 403 : 400;
    }
}
