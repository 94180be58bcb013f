package dev.engineionio.http;

import java.nio.charset.StandardCharsets;

/**
 * The query parameters the Engine.IO server reads from every request; {@link HttpQuery} records them without
 * allocating. Names are case-sensitive, as in the reference server.
 *
 * <p>Immutable; any thread may use it.
 */
public enum QueryParam {
    /** Protocol version: {@code 3} or {@code 4}. */
    EIO("EIO"),
    /** {@code polling} or {@code websocket}. */
    TRANSPORT("transport"),
    /** Session id. */
    SID("sid"),
    /** JSONP callback index. */
    J("j"),
    /** Cache-busting timestamp. */
    T("t"),
    /** Base64 binary for v3 clients without binary support. */
    B64("b64"),
    /** SSE POSTs: the last event number the client has seen (its events up to it leave the replay buffer). */
    ACK("ack");

    static final QueryParam[] VALUES = values();

    private final String queryName;
    final byte[] bytes;

    QueryParam(String queryName) {
        this.queryName = queryName;
        this.bytes = queryName.getBytes(StandardCharsets.US_ASCII);
    }

    /** The parameter name as it appears in a query. */
    public String queryName() {
        return queryName;
    }
}
