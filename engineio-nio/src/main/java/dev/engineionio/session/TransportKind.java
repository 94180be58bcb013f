package dev.engineionio.session;

/**
 * The Engine.IO transports this server implements, named as in the {@code transport} query parameter.
 *
 * <p>JSONP is not a transport of its own: it is {@link #POLLING} with the {@code j} query parameter (see
 * {@link PollingTransport#isJsonp()}), exactly as in the reference ({@code transports/index.js}). WebTransport is
 * not implemented; {@code transport=webtransport} over HTTP is "Transport unknown" in the reference too. {@link #SSE}
 * is this server's own (the reference has none) and off unless enabled.
 *
 * <p>Immutable; any thread.
 */
public enum TransportKind {
    /** HTTP long-polling (XHR, or JSONP when the query has {@code j}). */
    POLLING("polling"),
    /** RFC 6455 WebSocket. */
    WEBSOCKET("websocket"),
    /**
     * Server-Sent Events: one {@code text/event-stream} GET down, polling-format POSTs up ({@link SseTransport}).
     * Not part of the reference: enabled only when listed in {@code transports}.
     */
    SSE("sse");

    private final String queryName;

    TransportKind(String queryName) {
        this.queryName = queryName;
    }

    /** The name used in the {@code transport} query parameter and in the handshake's {@code upgrades} list. */
    public String queryName() {
        return queryName;
    }

    /** The kind named {@code name} (exact, case-sensitive, as the reference), or {@code null}. Never throws. */
    public static TransportKind fromQuery(CharSequence name) {
        if (name == null) {
            return null;
        }
        if (contentEquals(name, "polling")) {
            return POLLING;
        }
        if (contentEquals(name, "websocket")) {
            return WEBSOCKET;
        }
        if (contentEquals(name, "sse")) {
            return SSE;
        }
        return null;
    }

    static boolean contentEquals(CharSequence a, String b) {
        int n = a.length();
        if (n != b.length()) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (a.charAt(i) != b.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
