package dev.engineionio.session;

/**
 * Decides what to do with an Engine.IO request, with the reference's checks in the reference's order
 * ({@code server.js}: {@code verify()}, the {@code allowRequest} hook, {@code onWebSocket()}, {@code handshake()}):
 * <ol>
 * <li>{@code transport} missing, not enabled, or {@code webtransport}: code 0 ({@link RejectCause#UNKNOWN_TRANSPORT});</li>
 * <li>{@code Origin} header with an invalid character: code 3 ({@link RejectCause#INVALID_ORIGIN});</li>
 * <li>with a {@code sid}: not registered, code 1; registered on another transport and not an Upgrade, code 3
 *     ({@link RejectCause#TRANSPORT_MISMATCH}); other protocol, code 3 ({@link RejectCause#PROTOCOL_MISMATCH});
 *     then an Upgrade with {@code transport=polling} is {@link RequestVerdict.Outcome#CLOSE_WEBSOCKET}, a polling
 *     method other than GET/POST {@link RequestVerdict.Outcome#POLLING_METHOD_NOT_ALLOWED}, else
 *     {@link RequestVerdict.Outcome#EXISTING_SESSION};</li>
 * <li>without: method not GET, code 2; {@code transport=websocket} without Upgrade, code 3
 *     ({@link RejectCause#TRANSPORT_HANDSHAKE_ERROR}); the {@code allowRequest} hook if configured (refusal: code 4,
 *     HTTP 403); an Upgrade with {@code transport=polling}: {@link RequestVerdict.Outcome#CLOSE_WEBSOCKET};
 *     protocol 3 with {@code allowEIO3} off, or with {@code transport=sse} (SSE is protocol 4 only): code 5 (on an Upgrade after the {@code 101}); else
 *     {@link RequestVerdict.Outcome#HANDSHAKE}.</li>
 * </ol>
 * Not here: the path match, CORS preflight and header checks of the HTTP layer (Node's parser answers a bad
 * {@code Origin} byte with a bare 400 before engine.io sees it), and id generation (the driver reports a throwing
 * {@link SessionIdGenerator} through {@link #rejectIdGeneration}).
 *
 * <p>Threading: stateless apart from its configuration; any thread may call it, but a request carrying a
 * {@code sid} must be verified on the session's owner loop immediately before it is handed to the session, since the
 * session's transport and state are read without synchronisation. Every rejection emits {@code connection_error}
 * to the listener before returning. No allocation on the accepting paths.
 */
public final class RequestVerifier {
    private final EngineConfig config;
    private final SessionRegistry registry;
    private final ConnectionErrorListener errors;

    public RequestVerifier(EngineConfig config, SessionRegistry registry, ConnectionErrorListener errors) {
        if (config == null || registry == null || errors == null) {
            throw new IllegalArgumentException("config, registry and errors are required");
        }
        this.config = config;
        this.registry = registry;
        this.errors = errors;
    }

    /** Runs the checks up to (not including) the {@code allowRequest} hook; fills and returns {@code out}'s outcome. */
    public RequestVerdict.Outcome verify(RequestFacts req, RequestVerdict out) {
        out.reset();
        out.protocol = req.protocol();
        out.transportParam = req.transport;
        TransportKind kind = TransportKind.fromQuery(req.transport);
        out.transportKind = kind;
        if (!config.isTransportEnabled(kind)) {
            return reject(req, out, RejectCause.UNKNOWN_TRANSPORT);
        }
        if (req.origin != null && isOriginInvalid(req.origin)) {
            out.origin = req.origin;
            return reject(req, out, RejectCause.INVALID_ORIGIN);
        }
        if (req.hasSid()) {
            EngineSession s = registry.get(req.sid);
            if (s == null) {
                out.sid = req.sid;
                return reject(req, out, RejectCause.UNKNOWN_SID);
            }
            TransportKind previous = s.transportKind();
            if (!req.upgrade && previous != kind) {
                out.previousTransport = previous;
                return reject(req, out, RejectCause.TRANSPORT_MISMATCH);
            }
            if (s.protocol() != out.protocol) {
                out.previousProtocol = s.protocol();
                return reject(req, out, RejectCause.PROTOCOL_MISMATCH);
            }
            if (req.upgrade && kind == TransportKind.POLLING) {
                return outcome(out, RequestVerdict.Outcome.CLOSE_WEBSOCKET);
            }
            if (!req.upgrade && (kind == TransportKind.POLLING || kind == TransportKind.SSE) && !"GET".equals(req.method)
                    && !"POST".equals(req.method)) {
                return outcome(out, RequestVerdict.Outcome.POLLING_METHOD_NOT_ALLOWED);
            }
            if (!req.upgrade && kind == TransportKind.WEBSOCKET) {
                return outcome(out, RequestVerdict.Outcome.UNANSWERED);
            }
            out.session = s;
            return outcome(out, RequestVerdict.Outcome.EXISTING_SESSION);
        }
        if (!"GET".equals(req.method)) {
            out.method = req.method;
            return reject(req, out, RejectCause.BAD_HANDSHAKE_METHOD);
        }
        if (kind == TransportKind.WEBSOCKET && !req.upgrade) {
            return reject(req, out, RejectCause.TRANSPORT_HANDSHAKE_ERROR);
        }
        if (config.allowRequest()) {
            return outcome(out, RequestVerdict.Outcome.ASK_ALLOW_REQUEST);
        }
        return handshakeChecks(req, out);
    }

    /**
     * Continues a handshake after the {@code allowRequest} hook answered.
     *
     * @param allowed the hook's {@code success}
     * @param message the hook's {@code err} (the body's message when refused), or {@code null}
     */
    public RequestVerdict.Outcome afterAllowRequest(RequestFacts req, boolean allowed, String message,
                                                    RequestVerdict out) {
        if (out.outcome != RequestVerdict.Outcome.ASK_ALLOW_REQUEST) {
            throw new IllegalStateException("afterAllowRequest without ASK_ALLOW_REQUEST");
        }
        if (!allowed) {
            out.forbiddenMessage = message;
            return reject(req, out, RejectCause.FORBIDDEN);
        }
        return handshakeChecks(req, out);
    }

    /** The {@link SessionIdGenerator} threw during a {@link RequestVerdict.Outcome#HANDSHAKE}: code 3. */
    public RequestVerdict.Outcome rejectIdGeneration(RequestFacts req, RequestVerdict out) {
        out.afterWebSocketHandshake = req.upgrade;
        return reject(req, out, RejectCause.ID_GENERATION_ERROR);
    }

    private RequestVerdict.Outcome handshakeChecks(RequestFacts req, RequestVerdict out) {
        if (req.upgrade && out.transportKind == TransportKind.POLLING) {
            return outcome(out, RequestVerdict.Outcome.CLOSE_WEBSOCKET);
        }
        if (out.protocol == 3 && (!config.allowEIO3() || out.transportKind == TransportKind.SSE)) {
            out.afterWebSocketHandshake = req.upgrade;
            return reject(req, out, RejectCause.UNSUPPORTED_PROTOCOL_VERSION);
        }
        return outcome(out, RequestVerdict.Outcome.HANDSHAKE);
    }

    private static RequestVerdict.Outcome outcome(RequestVerdict out, RequestVerdict.Outcome o) {
        out.outcome = o;
        return o;
    }

    private RequestVerdict.Outcome reject(RequestFacts req, RequestVerdict out, RejectCause cause) {
        out.outcome = RequestVerdict.Outcome.REJECT;
        out.cause = cause;
        errors.onConnectionError(req, out);
        return RequestVerdict.Outcome.REJECT;
    }

    /**
     * Node's {@code checkInvalidHeaderChar}: valid are HTAB, SP..{@code ~} and U+0080..U+00FF; anything else
     * (controls, DEL, code points above U+00FF) is invalid.
     */
    static boolean isOriginInvalid(CharSequence origin) {
        for (int i = 0; i < origin.length(); i++) {
            char c = origin.charAt(i);
            boolean valid = c == '\t' || (c >= 0x20 && c <= 0x7e) || (c >= 0x80 && c <= 0xff);
            if (!valid) {
                return true;
            }
        }
        return false;
    }
}
