package dev.engineionio.websocket;

/**
 * Every reason for which the message layer fails a WebSocket connection (RFC 6455 §7.1.7), one constant per cause.
 *
 * <p>Each constant carries the close status to send ({@link #closeCode()}) and a fixed ASCII reason that is safe to
 * put in a Close frame ({@link #reason()}, at most 123 bytes so code + reason fit a control frame). Immutable; any
 * thread may use it. Hostile input never builds an exception: the decoder reports one of these.
 */
public enum WebSocketError {
    /** A client frame without the MASK bit (RFC 6455 §5.1). */
    UNMASKED_FRAME(WebSocketCloseCodes.PROTOCOL_ERROR, "unmasked client frame"),
    /** RSV2 or RSV3 set, or RSV1 while no extension was negotiated (RFC 6455 §5.2). */
    RESERVED_BITS(WebSocketCloseCodes.PROTOCOL_ERROR, "reserved bits set"),
    /** RSV1 (a compressed message) set on a control frame (RFC 7692 §6.1: RSV1 is for data messages only). */
    COMPRESSED_CONTROL_FRAME(WebSocketCloseCodes.PROTOCOL_ERROR, "RSV1 set on a control frame"),
    /** RSV1 set on a continuation frame (RFC 7692 §6.1: only the first frame of a message carries it). */
    COMPRESSED_CONTINUATION(WebSocketCloseCodes.PROTOCOL_ERROR, "RSV1 set on a continuation frame"),
    /** A compressed message whose payload is not a valid DEFLATE stream (RFC 7692 §7.2.2); npm ws sends 1007. */
    INVALID_COMPRESSED_DATA(WebSocketCloseCodes.INVALID_PAYLOAD_DATA, "invalid compressed data"),
    /**
     * A compressed message whose inflated size would exceed {@link WebSocketLimits#maxMessageSize()}, found while
     * inflating (at most one limit's worth of output is ever held).
     */
    INFLATED_MESSAGE_TOO_LARGE(WebSocketCloseCodes.MESSAGE_TOO_BIG, "inflated message too large"),
    /** Opcode 0x3-0x7 or 0xB-0xF (RFC 6455 §5.2). */
    RESERVED_OPCODE(WebSocketCloseCodes.PROTOCOL_ERROR, "reserved opcode"),
    /** A 64-bit payload length with the most significant bit set (RFC 6455 §5.2). */
    INVALID_PAYLOAD_LENGTH(WebSocketCloseCodes.PROTOCOL_ERROR, "invalid payload length"),
    /** A control frame with FIN clear (RFC 6455 §5.5). */
    FRAGMENTED_CONTROL_FRAME(WebSocketCloseCodes.PROTOCOL_ERROR, "fragmented control frame"),
    /** A control frame with more than 125 payload bytes (RFC 6455 §5.5). */
    CONTROL_FRAME_TOO_LONG(WebSocketCloseCodes.PROTOCOL_ERROR, "control frame too long"),
    /** A continuation frame while no fragmented message is open (RFC 6455 §5.4). */
    UNEXPECTED_CONTINUATION(WebSocketCloseCodes.PROTOCOL_ERROR, "unexpected continuation frame"),
    /** A text or binary frame while a fragmented message is still open (RFC 6455 §5.4). */
    EXPECTED_CONTINUATION(WebSocketCloseCodes.PROTOCOL_ERROR, "expected continuation frame"),
    /** A Close frame whose payload is exactly one byte (RFC 6455 §5.5.1). */
    CLOSE_PAYLOAD_TOO_SHORT(WebSocketCloseCodes.PROTOCOL_ERROR, "close payload of length 1"),
    /** A Close frame carrying a status code a peer may not send (RFC 6455 §7.4). */
    INVALID_CLOSE_CODE(WebSocketCloseCodes.PROTOCOL_ERROR, "invalid close code"),
    /** A Close frame whose reason is not valid UTF-8 (RFC 6455 §5.5.1). */
    INVALID_CLOSE_REASON(WebSocketCloseCodes.INVALID_PAYLOAD_DATA, "invalid UTF-8 in close reason"),
    /** A text message that is not valid UTF-8, detected at its first invalid byte (RFC 6455 §8.1). */
    INVALID_UTF8(WebSocketCloseCodes.INVALID_PAYLOAD_DATA, "invalid UTF-8 in text message"),
    /** A frame whose declared payload exceeds {@link WebSocketLimits#maxFramePayload()}. */
    FRAME_TOO_LARGE(WebSocketCloseCodes.MESSAGE_TOO_BIG, "frame too large"),
    /** A message whose size would exceed {@link WebSocketLimits#maxMessageSize()}. */
    MESSAGE_TOO_LARGE(WebSocketCloseCodes.MESSAGE_TOO_BIG, "message too large"),
    /** A message of more frames than {@link WebSocketLimits#maxFragments()}. */
    TOO_MANY_FRAGMENTS(WebSocketCloseCodes.POLICY_VIOLATION, "too many fragments");

    private final int closeCode;
    private final String reason;

    WebSocketError(int closeCode, String reason) {
        this.closeCode = closeCode;
        this.reason = reason;
    }

    /** The close status to send when failing the connection for this cause. */
    public int closeCode() {
        return closeCode;
    }

    /** A fixed ASCII reason, safe to send in the Close frame. */
    public String reason() {
        return reason;
    }
}
