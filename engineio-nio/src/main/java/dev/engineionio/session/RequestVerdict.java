package dev.engineionio.session;

import dev.engineionio.protocol.EngineError;
import dev.engineionio.protocol.PacketEncoder;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The {@link RequestVerifier}'s answer for one request: an {@link Outcome} and what the driver needs to act on it.
 *
 * <p>Mutable and reusable (a loop keeps one and passes it to every {@code verify} call); valid until the next call.
 * Owned by one thread. {@link #contextJson()} allocates: it runs on the cold rejection path only.
 */
public final class RequestVerdict {
    /** What the driver does with the request. */
    public enum Outcome {
        /**
         * Create a session: transport {@link #transportKind()}, protocol {@link #protocol()}; JSONP and
         * {@code b64} per the {@link RequestFacts}. The driver generates the id, builds the transport and the
         * {@link EngineSession}, calls {@code open}, then feeds it the request.
         */
        HANDSHAKE,
        /**
         * The request belongs to {@link #session()}: a polling GET/POST for its {@link PollingTransport}, or (an
         * Upgrade) a WebSocket to complete and hand to {@link EngineSession#onWebSocketUpgradeRequest}.
         */
        EXISTING_SESSION,
        /** Call the {@code allowRequest} hook, then {@link RequestVerifier#afterAllowRequest}. */
        ASK_ALLOW_REQUEST,
        /**
         * Rejected; {@code connection_error} was emitted. HTTP: the {@link #errorCode()}'s status,
         * {@code Content-Type: application/json}, body {@code {"code":N,"message":"..."}} with {@link #errorMessage()}
         * ({@link dev.engineionio.protocol.PacketEncoder#writeErrorBody}). Upgrade: {@code 400 Bad Request},
         * {@code Connection: close}, {@code Content-type: text/html} (sic), the {@link #errorMessage()} as body, then
         * close (the reference's {@code abortUpgrade}); when {@link #afterWebSocketHandshake()} the {@code 101} response is
         * written first (the reference's quirk for code 5 and id generation failures).
         */
        REJECT,
        /**
         * An Upgrade with {@code transport=polling}: complete the WebSocket handshake, then close it (close frame,
         * no status). No {@code connection_error}.
         */
        CLOSE_WEBSOCKET,
        /** A polling request on a session with a method other than GET/POST: empty {@code 500}. No event. */
        POLLING_METHOD_NOT_ALLOWED,
        /**
         * A non-Upgrade request with {@code transport=websocket} and the sid of a WebSocket session: the reference's
         * WebSocket transport ignores it and never answers. The driver closes the connection without an answer.
         */
        UNANSWERED
    }

    Outcome outcome;
    RejectCause cause;
    boolean afterWebSocketHandshake;
    EngineSession session;
    TransportKind transportKind;
    int protocol;
    // context material
    String transportParam;
    TransportKind previousTransport;
    int previousProtocol;
    String sid;
    String method;
    String origin;
    String forbiddenMessage;

    void reset() {
        outcome = null;
        cause = null;
        afterWebSocketHandshake = false;
        session = null;
        transportKind = null;
        protocol = 0;
        transportParam = null;
        previousTransport = null;
        previousProtocol = 0;
        sid = null;
        method = null;
        origin = null;
        forbiddenMessage = null;
    }

    public Outcome outcome() {
        return outcome;
    }

    /** The cause of a {@link Outcome#REJECT}, else {@code null}. */
    public RejectCause cause() {
        return cause;
    }

    /** The error code of a {@link Outcome#REJECT}, else {@code null}. */
    public EngineError errorCode() {
        return cause == null ? null : cause.code();
    }

    /** For a rejected Upgrade: whether the WebSocket handshake ({@code 101}) goes out before the error bytes. */
    public boolean afterWebSocketHandshake() {
        return afterWebSocketHandshake;
    }

    /** The session of {@link Outcome#EXISTING_SESSION}. */
    public EngineSession session() {
        return session;
    }

    /** The requested transport (when known). */
    public TransportKind transportKind() {
        return transportKind;
    }

    /** The request's protocol revision (3 or 4). */
    public int protocol() {
        return protocol;
    }

    /**
     * The message that goes on the wire: the {@code allowRequest} refusal message when one was given (non-empty),
     * else the code's standard message. The {@code connection_error} event always carries the standard message.
     */
    public String errorMessage() {
        if (forbiddenMessage != null && !forbiddenMessage.isEmpty()) {
            return forbiddenMessage;
        }
        return cause.code().message();
    }

    /**
     * The {@code connection_error} event's context as JSON, keys in the reference's order, e.g.
     * {@code {"name":"TRANSPORT_MISMATCH","transport":"polling","previousTransport":"websocket"}}.
     */
    public String contextJson() {
        StringBuilder sb = new StringBuilder(64).append('{');
        switch (cause) {
            case UNKNOWN_TRANSPORT:
                if (transportParam != null) {
                    quote(sb.append("\"transport\":"), transportParam);
                }
                break;
            case INVALID_ORIGIN:
                quote(sb.append("\"name\":\"INVALID_ORIGIN\",\"origin\":"), origin);
                break;
            case UNKNOWN_SID:
                quote(sb.append("\"sid\":"), sid);
                break;
            case TRANSPORT_MISMATCH:
                sb.append("\"name\":\"TRANSPORT_MISMATCH\"");
                if (transportParam != null) {
                    quote(sb.append(",\"transport\":"), transportParam);
                }
                sb.append(",\"previousTransport\":\"").append(previousTransport.queryName()).append('"');
                break;
            case PROTOCOL_MISMATCH:
                sb.append("\"name\":\"PROTOCOL_MISMATCH\",\"protocol\":").append(protocol)
                        .append(",\"previousProtocol\":").append(previousProtocol);
                break;
            case BAD_HANDSHAKE_METHOD:
                if (method != null) {
                    quote(sb.append("\"method\":"), method);
                }
                break;
            case FORBIDDEN:
                if (forbiddenMessage != null) {
                    quote(sb.append("\"message\":"), forbiddenMessage);
                }
                break;
            case UNSUPPORTED_PROTOCOL_VERSION:
                sb.append("\"protocol\":").append(protocol);
                break;
            default:
                sb.append("\"name\":\"").append(cause.contextName()).append('"');
                break;
        }
        return sb.append('}').toString();
    }

    private static StringBuilder quote(StringBuilder sb, CharSequence s) {
        ByteBuffer b = ByteBuffer.allocate(PacketEncoder.measureJsonString(s));
        PacketEncoder.writeJsonString(s, b);
        return sb.append(new String(b.array(), StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return outcome == Outcome.REJECT ? "REJECT " + cause + " " + contextJson() : String.valueOf(outcome);
    }
}
