package dev.engineionio.session;

import dev.engineionio.protocol.EngineError;

/**
 * Every reason the reference rejects an Engine.IO request, one constant per cause, in the order it checks them
 * ({@code verify()} then {@code handshake()}, {@code server.js}); each carries its {@link EngineError} and the
 * {@code context.name} of the {@code connection_error} event where the reference sets one.
 *
 * <p>Immutable; any thread.
 */
public enum RejectCause {
    /** {@code transport} missing, not enabled, or {@code webtransport} over HTTP. Context {@code {transport}}. */
    UNKNOWN_TRANSPORT(EngineError.TRANSPORT_UNKNOWN, null),
    /** The {@code Origin} header has a character outside VCHAR/obs-text/SP/HTAB. Context {@code {name, origin}}. */
    INVALID_ORIGIN(EngineError.BAD_REQUEST, "INVALID_ORIGIN"),
    /** {@code sid} given but not registered. Context {@code {sid}}. */
    UNKNOWN_SID(EngineError.SESSION_ID_UNKNOWN, null),
    /**
     * The session's transport differs from the request's and it is not an upgrade (e.g. a polling request after the
     * upgrade). Context {@code {name, transport, previousTransport}}.
     */
    TRANSPORT_MISMATCH(EngineError.BAD_REQUEST, "TRANSPORT_MISMATCH"),
    /** The session's protocol differs from the request's. Context {@code {name, protocol, previousProtocol}}. */
    PROTOCOL_MISMATCH(EngineError.BAD_REQUEST, "PROTOCOL_MISMATCH"),
    /** No {@code sid} and the method is not GET. Context {@code {method}}. */
    BAD_HANDSHAKE_METHOD(EngineError.BAD_HANDSHAKE_METHOD, null),
    /** No {@code sid}, {@code transport=websocket} on a request that is not an Upgrade. Context {@code {name}}. */
    TRANSPORT_HANDSHAKE_ERROR(EngineError.BAD_REQUEST, "TRANSPORT_HANDSHAKE_ERROR"),
    /** The {@code allowRequest} hook refused. Context {@code {message}}; the body carries that message. */
    FORBIDDEN(EngineError.FORBIDDEN, null),
    /** Protocol 3 ({@code EIO} not exactly {@code "4"}) with {@code allowEIO3} off. Context {@code {protocol}}. */
    UNSUPPORTED_PROTOCOL_VERSION(EngineError.UNSUPPORTED_PROTOCOL_VERSION, null),
    /** The {@link SessionIdGenerator} threw. Context {@code {name}}. */
    ID_GENERATION_ERROR(EngineError.BAD_REQUEST, "ID_GENERATION_ERROR");

    private final EngineError code;
    private final String contextName;

    RejectCause(EngineError code, String contextName) {
        this.code = code;
        this.contextName = contextName;
    }

    /** The Engine.IO error code the reference answers with. */
    public EngineError code() {
        return code;
    }

    /** The {@code context.name} of the {@code connection_error} event, or {@code null}. */
    public String contextName() {
        return contextName;
    }
}
