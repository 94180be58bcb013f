package dev.engineionio.protocol;

/**
 * The outcome of one {@link PayloadDecoder} call: success, a stop asked by the handler, or one constant per cause of
 * rejection.
 *
 * <p>Every error constant carries its answer on the wire. The reference turns every parser failure into an error
 * packet and closes the session with reason {@code "parse error"} (the POST itself is still answered {@code 200 ok});
 * a body over the size limit is answered {@code 413} over polling (session kept) and close code {@code 1009} over
 * WebSocket; a v4 POST declared {@code application/octet-stream} is answered {@code 400} and closes the session with
 * {@code "transport error"}. Packets decoded before the error have been delivered (as in the reference, which
 * handles packets one by one), except for the v3 binary payload whose framing is checked whole first (as in the
 * reference, which splits the whole buffer before decoding any packet).
 *
 * <p>Immutable; any thread may use it.
 */
public enum DecodeStatus {
    /** Every packet of the input was delivered. */
    OK(0, 0, null),
    /** The handler returned {@code false}; decoding stopped after that packet (e.g. a close packet over polling). */
    STOPPED(0, 0, null),
    /** An empty body or frame, or an empty packet between separators ({@code "4a\x1e"}). */
    EMPTY_PACKET(200, 1002, "parse error"),
    /** A packet type that is not {@code '0'..'6'} ({@code "abc"}), or a missing type. */
    BAD_PACKET_TYPE(200, 1002, "parse error"),
    /** A v3 length prefix that is empty, holds a non-digit, or (binary payload) misses its {@code 0xFF} end. */
    BAD_LENGTH(200, 1002, "parse error"),
    /** A v3 binary-payload length prefix of more than 311 digits (the reference's bound, {@code > 310} checked before each digit). */
    TOO_MANY_LENGTH_DIGITS(200, 1002, "parse error"),
    /** A v3 length that runs past the end of the payload ({@code "9:4hi"}). */
    LENGTH_MISMATCH(200, 1002, "parse error"),
    /** A v3 text length (UTF-16 units) that ends inside a surrogate pair. */
    SPLIT_SURROGATE_PAIR(200, 1002, "parse error"),
    /** Base64 that is not canonical, when the decoder is strict about base64 (the reference is lenient). */
    BAD_BASE64(200, 1002, "parse error"),
    /** Malformed UTF-8: in a v3 binary-payload string packet always (the reference's utf8.decode throws), in text payloads when strict. */
    INVALID_UTF8(200, 1002, "parse error"),
    /** The input holds more bytes than the decoder's {@code maxPayload} (the reference's maxHttpBufferSize). */
    PAYLOAD_TOO_LARGE(413, 1009, "transport error"),
    /** A v4 polling POST declared {@code application/octet-stream}: only v3 has binary payloads. */
    BINARY_PAYLOAD_IN_V4(400, 1003, "transport error");

    private final int httpStatus;
    private final int webSocketCloseCode;
    private final String closeReason;

    DecodeStatus(int httpStatus, int webSocketCloseCode, String closeReason) {
        this.httpStatus = httpStatus;
        this.webSocketCloseCode = webSocketCloseCode;
        this.closeReason = closeReason;
    }

    /**
     * Whether this status is an error. Never throws.
     *
     * @return true for every constant but {@link #OK} and {@link #STOPPED}
     */
    public boolean isError() {
        return closeReason != null;
    }

    /**
     * The HTTP status answering the polling POST that carried the input: 200 for parse errors (the reference answers
     * {@code ok} and closes the session), 413 or 400 otherwise; 0 if not an error.
     *
     * @return the HTTP status, or 0
     */
    public int httpStatus() {
        return httpStatus;
    }

    /**
     * The WebSocket close code if the input came in a frame: 1009 for too large; for parse errors the reference
     * closes without a status code (1005 seen by the client), given here as 1002 for servers that send one; 0 if not
     * an error.
     *
     * @return the close code, or 0
     */
    public int webSocketCloseCode() {
        return webSocketCloseCode;
    }

    /**
     * The session close reason the reference reports.
     *
     * @return {@code "parse error"} or {@code "transport error"}, or {@code null} if not an error
     */
    public String closeReason() {
        return closeReason;
    }
}
