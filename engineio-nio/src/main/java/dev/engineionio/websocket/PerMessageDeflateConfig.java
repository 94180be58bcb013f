package dev.engineionio.websocket;

/**
 * The server's permessage-deflate policy (RFC 7692), in the shape of npm ws's {@code perMessageDeflate} options (the
 * reference, engine.io 6.6, hands its option to ws): immutable, shared by every connection and loop.
 *
 * <table>
 *   <caption>Settings and defaults (ws's semantics; "unset" is ws's {@code undefined})</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@link #threshold()}</td><td>1024</td><td>with {@code server_no_context_takeover} in force, messages of
 *       fewer bytes are sent uncompressed; with context takeover every message is compressed (ws's
 *       {@code Sender}: the threshold only applies when the server's context is not kept)</td></tr>
 *   <tr><td>{@link #serverNoContextTakeover()}</td><td>unset</td><td>unset: accept an offer asking for it;
 *       {@code TRUE}: always answer with it; {@code FALSE}: decline offers asking for it</td></tr>
 *   <tr><td>{@link #clientNoContextTakeover()}</td><td>unset</td><td>{@code TRUE}: always answer with it (the client
 *       then resets its context per message); otherwise it is echoed only when offered</td></tr>
 *   <tr><td>{@link #serverMaxWindowBits()}</td><td>unset</td><td>{@link #WINDOW_DECLINE}: decline offers carrying
 *       {@code server_max_window_bits}; 15: answer {@code server_max_window_bits=15}. Nothing below 15: the JDK's
 *       {@code Deflater} always uses a 32 KiB window, so offers asking the server for a smaller one are declined
 *       (RFC 7692 §7.1.2.1 lets a server decline such an offer; the next offer is tried)</td></tr>
 *   <tr><td>{@link #clientMaxWindowBits()}</td><td>unset</td><td>{@link #WINDOW_DECLINE}: never ask the client for a
 *       window; 8..15: decline offers without {@code client_max_window_bits} or with a smaller value, and answer
 *       with this value (the {@code Inflater} reads any window up to 15 bits)</td></tr>
 * </table>
 * ws's {@code concurrencyLimit}, {@code zlibDeflateOptions} and {@code zlibInflateOptions} have no counterpart: the
 * JDK's zlib runs synchronously on the connection's loop and at the default level.
 */
public final class PerMessageDeflateConfig {

    /** The reference's threshold (engine.io sets it, ws defaults to it too). */
    public static final int DEFAULT_THRESHOLD = 1024;

    /** A window-bits setting of {@code false} in ws: decline (server) or never request (client) the parameter. */
    public static final int WINDOW_DECLINE = 0;

    /** A window-bits setting left unset (ws's {@code undefined}). */
    public static final int WINDOW_UNSET = -1;

    /** The defaults: ws's {@code perMessageDeflate: true} with engine.io's threshold 1024. */
    public static final PerMessageDeflateConfig DEFAULT =
            new PerMessageDeflateConfig(DEFAULT_THRESHOLD, null, null, WINDOW_UNSET, WINDOW_UNSET);

    private final int threshold;
    private final Boolean serverNoContextTakeover;
    private final Boolean clientNoContextTakeover;
    private final int serverMaxWindowBits;
    private final int clientMaxWindowBits;

    /**
     * @param threshold at least 0
     * @param serverNoContextTakeover {@code null} (unset), true or false
     * @param clientNoContextTakeover {@code null} (unset), true or false
     * @param serverMaxWindowBits {@link #WINDOW_UNSET}, {@link #WINDOW_DECLINE} or 15
     * @param clientMaxWindowBits {@link #WINDOW_UNSET}, {@link #WINDOW_DECLINE} or 8..15
     * @throws IllegalArgumentException for a value out of range (configuration error)
     */
    public PerMessageDeflateConfig(int threshold, Boolean serverNoContextTakeover, Boolean clientNoContextTakeover,
                                   int serverMaxWindowBits, int clientMaxWindowBits) {
        if (threshold < 0) {
            throw new IllegalArgumentException("threshold " + threshold);
        }
        if (serverMaxWindowBits != WINDOW_UNSET && serverMaxWindowBits != WINDOW_DECLINE && serverMaxWindowBits != 15) {
            throw new IllegalArgumentException("serverMaxWindowBits " + serverMaxWindowBits
                    + ": java.util.zip.Deflater compresses with a 15-bit window only (use 15, false or unset)");
        }
        if (clientMaxWindowBits != WINDOW_UNSET && clientMaxWindowBits != WINDOW_DECLINE
                && (clientMaxWindowBits < 8 || clientMaxWindowBits > 15)) {
            throw new IllegalArgumentException("clientMaxWindowBits " + clientMaxWindowBits + " (8..15)");
        }
        this.threshold = threshold;
        this.serverNoContextTakeover = serverNoContextTakeover;
        this.clientNoContextTakeover = clientNoContextTakeover;
        this.serverMaxWindowBits = serverMaxWindowBits;
        this.clientMaxWindowBits = clientMaxWindowBits;
    }

    /** Messages below this many bytes are not compressed when the server's context is reset per message. */
    public int threshold() {
        return threshold;
    }

    /** {@code null} when unset. */
    public Boolean serverNoContextTakeover() {
        return serverNoContextTakeover;
    }

    /** {@code null} when unset. */
    public Boolean clientNoContextTakeover() {
        return clientNoContextTakeover;
    }

    /** {@link #WINDOW_UNSET}, {@link #WINDOW_DECLINE} or 15. */
    public int serverMaxWindowBits() {
        return serverMaxWindowBits;
    }

    /** {@link #WINDOW_UNSET}, {@link #WINDOW_DECLINE} or 8..15. */
    public int clientMaxWindowBits() {
        return clientMaxWindowBits;
    }

    @Override
    public String toString() {
        return "PerMessageDeflateConfig[threshold=" + threshold + ", serverNoContextTakeover=" + serverNoContextTakeover
                + ", clientNoContextTakeover=" + clientNoContextTakeover + ", serverMaxWindowBits="
                + serverMaxWindowBits + ", clientMaxWindowBits=" + clientMaxWindowBits + "]";
    }
}
