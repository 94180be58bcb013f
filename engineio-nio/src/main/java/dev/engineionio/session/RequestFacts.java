package dev.engineionio.session;

/**
 * What the {@link RequestVerifier} needs to know of one Engine.IO request: the method, whether it is a WebSocket
 * Upgrade, the decoded query parameters and the {@code Origin} header. A {@code null} field is an absent parameter.
 *
 * <p>Mutable and reusable: a loop keeps one and refills it per request ({@link #reset()}). Owned by one thread.
 */
public final class RequestFacts {
    /** The HTTP method, e.g. {@code GET}. */
    public String method;
    /** Whether the request asks for a WebSocket upgrade. */
    public boolean upgrade;
    /** The {@code EIO} parameter. */
    public String eio;
    /** The {@code transport} parameter. */
    public String transport;
    /** The {@code sid} parameter. */
    public String sid;
    /** The {@code j} parameter (JSONP when present, even empty). */
    public String j;
    /** The {@code b64} parameter (binary as base64 when present and non-empty). */
    public String b64;
    /** The {@code Origin} header as Latin-1 characters, or {@code null}. */
    public String origin;

    /** Clears every field. */
    public RequestFacts reset() {
        method = null;
        upgrade = false;
        eio = null;
        transport = null;
        sid = null;
        j = null;
        b64 = null;
        origin = null;
        return this;
    }

    /** The protocol revision the reference derives: 4 when {@code EIO} is exactly {@code "4"}, else 3. */
    public int protocol() {
        return "4".equals(eio) ? 4 : 3;
    }

    /** Whether a {@code sid} is given (the reference tests truthiness: an empty {@code sid} is none). */
    public boolean hasSid() {
        return sid != null && !sid.isEmpty();
    }

    /** Whether this is JSONP polling (the reference: {@code typeof query.j === "string"}). */
    public boolean isJsonp() {
        return j != null;
    }

    /** Whether binary may go out as binary (the reference: {@code !query.b64}; an empty {@code b64} is falsy). */
    public boolean supportsBinary() {
        return b64 == null || b64.isEmpty();
    }
}
