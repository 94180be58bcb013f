package dev.engineionio.websocket;

/**
 * WebSocket close status codes (RFC 6455 §7.4, IANA "WebSocket Close Code Number Registry") and the rule
 * deciding which codes a peer may send in a Close frame.
 *
 * <p>Stateless; any thread may call it.
 *
 * <p>Codes a peer may put on the wire (RFC 6455 §7.4.1, §7.4.2): {@code 1000}-{@code 1003}, {@code 1007}-{@code 1011},
 * the later registered {@code 1012}-{@code 1014}, and the application range {@code 3000}-{@code 4999}. Every other code
 * ({@code 0}-{@code 999}, {@code 1004}, {@code 1005}, {@code 1006}, {@code 1015}, {@code 1016}-{@code 2999},
 * {@code >= 5000}) is a protocol error (answered with {@link #PROTOCOL_ERROR}). {@code 1005}, {@code 1006} and
 * {@code 1015} are reserved for reporting locally and must never be sent.
 */
public final class WebSocketCloseCodes {

    /** 1000: normal closure. */
    public static final int NORMAL_CLOSURE = 1000;
    /** 1001: endpoint going away (server shutdown, page navigated away). */
    public static final int GOING_AWAY = 1001;
    /** 1002: protocol error. */
    public static final int PROTOCOL_ERROR = 1002;
    /** 1003: unsupported data (a type of data the endpoint cannot accept). */
    public static final int UNSUPPORTED_DATA = 1003;
    /** 1005: reserved, reported locally when a Close frame carried no status code. Never sent. */
    public static final int NO_STATUS_RECEIVED = 1005;
    /** 1006: reserved, reported locally when the connection closed without a Close frame. Never sent. */
    public static final int ABNORMAL_CLOSURE = 1006;
    /** 1007: invalid frame payload data (text or close reason not UTF-8). */
    public static final int INVALID_PAYLOAD_DATA = 1007;
    /** 1008: policy violation. */
    public static final int POLICY_VIOLATION = 1008;
    /** 1009: message too big. */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** 1010: mandatory extension missing (sent by clients only). */
    public static final int MANDATORY_EXTENSION = 1010;
    /** 1011: internal server error. */
    public static final int INTERNAL_ERROR = 1011;
    /** 1012: service restart (registered after RFC 6455). */
    public static final int SERVICE_RESTART = 1012;
    /** 1013: try again later (registered after RFC 6455). */
    public static final int TRY_AGAIN_LATER = 1013;
    /** 1014: bad gateway (registered after RFC 6455). */
    public static final int BAD_GATEWAY = 1014;
    /** 1015: reserved, reported locally when the TLS handshake failed. Never sent. */
    public static final int TLS_HANDSHAKE = 1015;

    private WebSocketCloseCodes() {
    }

    /**
     * Whether a peer may send {@code code} in a Close frame (see the class comment for the table). Never throws.
     */
    public static boolean isValidOnWire(int code) {
        return (code >= 1000 && code <= 1003)
                || (code >= 1007 && code <= 1014)
                || (code >= 3000 && code <= 4999);
    }
}
