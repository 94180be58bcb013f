package dev.engineionio.session;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The server options, immutable, with the reference's defaults ({@code server.js} BaseServer constructor and
 * {@code attach()}; engine.io 6.6.12). The public builder of the server API fills it; {@link #defaults()} is the
 * reference's {@code new Server()}.
 *
 * <table>
 * <caption>Options and defaults</caption>
 * <tr><th>option</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@code pingInterval}</td><td>25 s</td><td>v4: delay before each server PING; v3: advertised only</td></tr>
 * <tr><td>{@code pingTimeout}</td><td>20 s</td><td>v4: time for the PONG; v3: the session closes after
 *     {@code pingInterval+pingTimeout} without a client PING</td></tr>
 * <tr><td>{@code upgradeTimeout}</td><td>10 s</td><td>time for the probe WebSocket to send {@code 5}</td></tr>
 * <tr><td>{@code maxHttpBufferSize}</td><td>1000000</td><td>bytes; advertised as {@code maxPayload}; polling POST
 *     body limit in UTF-8 bytes, inclusive (over it: 413, session kept); WebSocket message limit (close 1009)</td></tr>
 * <tr><td>{@code transports}</td><td>polling, websocket</td><td>others get code 0 "Transport unknown"</td></tr>
 * <tr><td>{@code allowUpgrades}</td><td>true</td><td>only the advertised {@code upgrades} list; a probe is accepted
 *     anyway (as the reference)</td></tr>
 * <tr><td>{@code allowEIO3}</td><td>false</td><td>accept protocol 3 (EIO not exactly "4")</td></tr>
 * <tr><td>{@code allowRequest}</td><td>false</td><td>whether a user hook vets handshakes (code 4, HTTP 403)</td></tr>
 * <tr><td>{@code initialPacket}</td><td>none</td><td>a text MESSAGE sent right after OPEN</td></tr>
 * <tr><td>{@code path}</td><td>{@code /engine.io/}</td><td>{@code "/engine.io"}, trailing {@code /} stripped, then
 *     {@code /} appended unless {@code addTrailingSlash} is false; matched as a prefix of the raw URL</td></tr>
 * <tr><td>{@code cookie}</td><td>none</td><td>{@link CookieOptions}: {@code io=<sid>; Path=/; HttpOnly;
 *     SameSite=Lax} on the polling handshake response only</td></tr>
 * <tr><td>{@code cors}</td><td>none</td><td>{@link CorsOptions} for the HTTP layer</td></tr>
 * <tr><td>{@code httpCompressionThreshold}</td><td>1024</td><td>bytes; polling GET bodies at or above it are
 *     gzip/deflate-compressed per Accept-Encoding; negative disables compression</td></tr>
 * <tr><td>{@code perMessageDeflate}</td><td>false, threshold 1024</td><td>WebSocket permessage-deflate</td></tr>
 * <tr><td>{@code destroyUpgrade}</td><td>true</td><td>end an Upgrade request on a non-engine path after
 *     {@code destroyUpgradeTimeout} (1 s) if nothing was written</td></tr>
 * <tr><td>{@code pollingCloseTimeout}</td><td>30 s</td><td>hard-coded {@code closeTimeout} of the reference's
 *     polling transport (see {@link TimerKind#POLL_CLOSE_TIMEOUT})</td></tr>
 * <tr><td>{@code upgradeNoopInterval}</td><td>100 ms</td><td>hard-coded {@code setInterval(check, 100)} of the
 *     reference's upgrade</td></tr>
 * <tr><td>{@code sseReplayBufferBytes}</td><td>65536</td><td>SSE only (not in the reference): bytes of the most
 *     recent events each SSE session keeps so that a stream cut mid-session resumes with {@code Last-Event-ID}; a
 *     resume that needs an event no longer kept is refused (400, code 3) and the session closes</td></tr>
 * </table>
 *
 * <p>Every time is a {@link Duration} from {@link #MIN_TIMEOUT} (1 ms) to {@link #MAX_TIMEOUT} (2<sup>31</sup>-1 ms,
 * the largest delay of the reference's {@code setTimeout}); it is converted once, here, to the nanoseconds of the
 * loop's clock ({@code ...Ns()}), the one time unit of the sessions and the driver.
 *
 * <p>Immutable and thread-safe: share one instance between every loop.
 */
public final class EngineConfig {
    private static final EngineConfig DEFAULTS = builder().build();

    private final Duration pingInterval;
    private final long pingIntervalNs;
    private final Duration pingTimeout;
    private final long pingTimeoutNs;
    private final Duration upgradeTimeout;
    private final long upgradeTimeoutNs;
    private final long maxHttpBufferSize;
    private final Set<TransportKind> transports;
    private final boolean allowUpgrades;
    private final boolean allowEIO3;
    private final boolean allowRequest;
    private final String initialPacket;
    private final String path;
    private final CookieOptions cookie;
    private final CorsOptions cors;
    private final int httpCompressionThreshold;
    private final boolean perMessageDeflate;
    private final int perMessageDeflateThreshold;
    private final boolean destroyUpgrade;
    private final Duration destroyUpgradeTimeout;
    private final long destroyUpgradeTimeoutNs;
    private final Duration pollingCloseTimeout;
    private final long pollingCloseTimeoutNs;
    private final Duration upgradeNoopInterval;
    private final long upgradeNoopIntervalNs;
    private final int sseReplayBufferBytes;

    private EngineConfig(Builder b) {
        this.pingInterval = b.pingInterval;
        this.pingIntervalNs = b.pingInterval.toNanos();
        this.pingTimeout = b.pingTimeout;
        this.pingTimeoutNs = b.pingTimeout.toNanos();
        this.upgradeTimeout = b.upgradeTimeout;
        this.upgradeTimeoutNs = b.upgradeTimeout.toNanos();
        this.maxHttpBufferSize = b.maxHttpBufferSize;
        EnumSet<TransportKind> t = EnumSet.noneOf(TransportKind.class);
        t.addAll(b.transports);
        this.transports = Collections.unmodifiableSet(t);
        this.allowUpgrades = b.allowUpgrades;
        this.allowEIO3 = b.allowEIO3;
        this.allowRequest = b.allowRequest;
        this.initialPacket = b.initialPacket;
        String p = b.path;
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        this.path = b.addTrailingSlash ? p + "/" : p;
        this.cookie = b.cookie;
        this.cors = b.cors;
        this.httpCompressionThreshold = b.httpCompressionThreshold;
        this.perMessageDeflate = b.perMessageDeflate;
        this.perMessageDeflateThreshold = b.perMessageDeflateThreshold;
        this.destroyUpgrade = b.destroyUpgrade;
        this.destroyUpgradeTimeout = b.destroyUpgradeTimeout;
        this.destroyUpgradeTimeoutNs = b.destroyUpgradeTimeout.toNanos();
        this.pollingCloseTimeout = b.pollingCloseTimeout;
        this.pollingCloseTimeoutNs = b.pollingCloseTimeout.toNanos();
        this.upgradeNoopInterval = b.upgradeNoopInterval;
        this.upgradeNoopIntervalNs = b.upgradeNoopInterval.toNanos();
        this.sseReplayBufferBytes = b.sseReplayBufferBytes;
    }

    /** The reference's defaults. */
    public static EngineConfig defaults() {
        return DEFAULTS;
    }

    /** A builder preset with the reference's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    public Duration pingInterval() { return pingInterval; }
    public long pingIntervalNs() { return pingIntervalNs; }
    public Duration pingTimeout() { return pingTimeout; }
    public long pingTimeoutNs() { return pingTimeoutNs; }
    public Duration upgradeTimeout() { return upgradeTimeout; }
    public long upgradeTimeoutNs() { return upgradeTimeoutNs; }
    /** Bytes; also the handshake's {@code maxPayload}. */
    public long maxHttpBufferSize() { return maxHttpBufferSize; }
    /** The enabled transports (unmodifiable). */
    public Set<TransportKind> transports() { return transports; }
    public boolean isTransportEnabled(TransportKind kind) { return kind != null && transports.contains(kind); }
    public boolean allowUpgrades() { return allowUpgrades; }
    public boolean allowEIO3() { return allowEIO3; }
    /** Whether an {@code allowRequest} hook is installed (the verifier then asks for its verdict). */
    public boolean allowRequest() { return allowRequest; }
    /** The initial MESSAGE text, or {@code null}. */
    public String initialPacket() { return initialPacket; }
    /** The computed path prefix, e.g. {@code /engine.io/}. */
    public String path() { return path; }
    /** Cookie options, or {@code null} when no cookie is set. */
    public CookieOptions cookie() { return cookie; }
    /** CORS options, or {@code null} when CORS is off. */
    public CorsOptions cors() { return cors; }
    /** Bytes; negative when HTTP compression is disabled. */
    public int httpCompressionThreshold() { return httpCompressionThreshold; }
    public boolean perMessageDeflate() { return perMessageDeflate; }
    public int perMessageDeflateThreshold() { return perMessageDeflateThreshold; }
    public boolean destroyUpgrade() { return destroyUpgrade; }
    public Duration destroyUpgradeTimeout() { return destroyUpgradeTimeout; }
    public long destroyUpgradeTimeoutNs() { return destroyUpgradeTimeoutNs; }
    public Duration pollingCloseTimeout() { return pollingCloseTimeout; }
    public long pollingCloseTimeoutNs() { return pollingCloseTimeoutNs; }
    public Duration upgradeNoopInterval() { return upgradeNoopInterval; }
    public long upgradeNoopIntervalNs() { return upgradeNoopIntervalNs; }
    /** SSE: bytes of recent events kept per session for a resume ({@code Last-Event-ID}); 0 keeps none. */
    public int sseReplayBufferBytes() { return sseReplayBufferBytes; }

    /**
     * The transports a session on {@code current} may upgrade to, as advertised in the handshake
     * ({@code getAvailableUpgrades()}): {@code ["websocket"]} for polling (and SSE) when WebSocket is enabled and
     * {@code allowUpgrades} is on, else empty.
     */
    public List<TransportKind> upgradesFor(TransportKind current) {
        if (allowUpgrades && (current == TransportKind.POLLING || current == TransportKind.SSE)
                && transports.contains(TransportKind.WEBSOCKET)) {
            return UPGRADES_FROM_POLLING;
        }
        return List.of();
    }

    private static final List<TransportKind> UPGRADES_FROM_POLLING = List.of(TransportKind.WEBSOCKET);

    /** The default {@code httpCompressionThreshold} (and the threshold {@code httpCompression: true} restores). */
    public static final int DEFAULT_HTTP_COMPRESSION_THRESHOLD = 1024;

    /** The shortest time option: 1 ms (the open packet carries {@code pingInterval} and {@code pingTimeout} in ms). */
    public static final Duration MIN_TIMEOUT = Duration.ofMillis(1);

    /** The longest time option: 2<sup>31</sup>-1 ms, the largest delay of Node's {@code setTimeout}. */
    public static final Duration MAX_TIMEOUT = Duration.ofMillis(Integer.MAX_VALUE);

    /** The largest {@code sseReplayBufferBytes}: 64 MiB. */
    public static final int MAX_SSE_REPLAY_BUFFER_BYTES = 64 << 20;

    /** Builder; not thread-safe. Every setter validates its argument and throws on misuse. */
    public static final class Builder {
        private Duration pingInterval = Duration.ofSeconds(25);
        private Duration pingTimeout = Duration.ofSeconds(20);
        private Duration upgradeTimeout = Duration.ofSeconds(10);
        private long maxHttpBufferSize = 1_000_000;
        private Set<TransportKind> transports = EnumSet.of(TransportKind.POLLING, TransportKind.WEBSOCKET);
        private boolean allowUpgrades = true;
        private boolean allowEIO3;
        private boolean allowRequest;
        private String initialPacket;
        private String path = "/engine.io";
        private boolean addTrailingSlash = true;
        private CookieOptions cookie;
        private CorsOptions cors;
        private int httpCompressionThreshold = DEFAULT_HTTP_COMPRESSION_THRESHOLD;
        private boolean perMessageDeflate;
        private int perMessageDeflateThreshold = 1024;
        private boolean destroyUpgrade = true;
        private Duration destroyUpgradeTimeout = Duration.ofSeconds(1);
        private Duration pollingCloseTimeout = Duration.ofSeconds(30);
        private Duration upgradeNoopInterval = Duration.ofMillis(100);
        private int sseReplayBufferBytes = 64 * 1024;

        private Builder() {
        }

        public Builder pingInterval(Duration v) { pingInterval = timeout(v, "pingInterval"); return this; }
        public Builder pingTimeout(Duration v) { pingTimeout = timeout(v, "pingTimeout"); return this; }
        public Builder upgradeTimeout(Duration v) { upgradeTimeout = timeout(v, "upgradeTimeout"); return this; }
        public Builder maxHttpBufferSize(long v) { maxHttpBufferSize = positive(v, "maxHttpBufferSize"); return this; }
        public Builder transports(Set<TransportKind> v) {
            if (v == null || v.isEmpty()) {
                throw new IllegalArgumentException("transports must name at least one transport");
            }
            transports = EnumSet.copyOf(v);
            return this;
        }
        public Builder allowUpgrades(boolean v) { allowUpgrades = v; return this; }
        public Builder allowEIO3(boolean v) { allowEIO3 = v; return this; }
        public Builder allowRequest(boolean v) { allowRequest = v; return this; }
        public Builder initialPacket(String v) { initialPacket = v; return this; }
        public Builder path(String v) { path = Objects.requireNonNull(v, "path"); return this; }
        public Builder addTrailingSlash(boolean v) { addTrailingSlash = v; return this; }
        public Builder cookie(CookieOptions v) { cookie = v; return this; }
        public Builder cors(CorsOptions v) { cors = v; return this; }
        /** Negative disables HTTP compression (the reference's {@code httpCompression: false}). */
        public Builder httpCompressionThreshold(int v) { httpCompressionThreshold = v; return this; }
        public Builder perMessageDeflate(boolean v) { perMessageDeflate = v; return this; }
        public Builder perMessageDeflateThreshold(int v) { perMessageDeflateThreshold = v; return this; }
        public Builder destroyUpgrade(boolean v) { destroyUpgrade = v; return this; }
        public Builder destroyUpgradeTimeout(Duration v) { destroyUpgradeTimeout = timeout(v, "destroyUpgradeTimeout"); return this; }
        public Builder pollingCloseTimeout(Duration v) { pollingCloseTimeout = timeout(v, "pollingCloseTimeout"); return this; }
        public Builder upgradeNoopInterval(Duration v) { upgradeNoopInterval = timeout(v, "upgradeNoopInterval"); return this; }
        /** SSE replay buffer per session, 0 (no resume) to {@value #MAX_SSE_REPLAY_BUFFER_BYTES} bytes. */
        public Builder sseReplayBufferBytes(int v) {
            if (v < 0 || v > MAX_SSE_REPLAY_BUFFER_BYTES) {
                throw new IllegalArgumentException("sseReplayBufferBytes must be 0.." + MAX_SSE_REPLAY_BUFFER_BYTES
                        + ", got " + v);
            }
            sseReplayBufferBytes = v;
            return this;
        }

        public EngineConfig build() {
            return new EngineConfig(this);
        }

        private static Duration timeout(Duration v, String name) {
            Objects.requireNonNull(v, name);
            if (v.compareTo(MIN_TIMEOUT) < 0 || v.compareTo(MAX_TIMEOUT) > 0) {
                throw new IllegalArgumentException(name + " must be " + MIN_TIMEOUT + " to " + MAX_TIMEOUT
                        + ", got " + v);
            }
            return v;
        }

        private static long positive(long v, String name) {
            if (v <= 0) {
                throw new IllegalArgumentException(name + " must be > 0, got " + v);
            }
            return v;
        }
    }

    /**
     * The session cookie ({@code cookie} option): {@code Object.assign({name:"io", path:"/", httpOnly:true,
     * sameSite:"lax"}, cookie)} serialised as {@code io=<sid>; Path=/; HttpOnly; SameSite=Lax}. Immutable.
     *
     * @param name     cookie name, default {@code io}
     * @param path     {@code Path} attribute or {@code null} for none; default {@code /}
     * @param httpOnly whether {@code HttpOnly} is set; default true
     * @param sameSite {@code SameSite} value ({@code Lax}, {@code Strict}, {@code None}) or {@code null}; default Lax
     */
    public record CookieOptions(String name, String path, boolean httpOnly, String sameSite) {
        public CookieOptions {
            Objects.requireNonNull(name, "name");
        }

        /** The reference's defaults ({@code cookie: true}). */
        public static CookieOptions defaults() {
            return new CookieOptions("io", "/", true, "Lax");
        }

        /** The {@code Set-Cookie} header value for {@code sid}, attribute order as the npm {@code cookie} module. */
        public String serialize(String sid) {
            StringBuilder sb = new StringBuilder(name.length() + sid.length() + 48).append(name).append('=').append(sid);
            if (path != null) {
                sb.append("; Path=").append(path);
            }
            if (httpOnly) {
                sb.append("; HttpOnly");
            }
            if (sameSite != null) {
                sb.append("; SameSite=").append(sameSite);
            }
            return sb.toString();
        }
    }

    /**
     * CORS options for the HTTP layer (the reference delegates to the npm {@code cors} 2.8.5 middleware). Immutable.
     *
     * @param allowedOrigins {@code ["*"]} for any origin (answered {@code *}), else the exact origins reflected back
     *                       with {@code Vary: Origin}
     * @param credentials    adds {@code Access-Control-Allow-Credentials: true}
     * @param methods        the preflight's {@code Access-Control-Allow-Methods}, default
     *                       {@code GET,HEAD,PUT,PATCH,POST,DELETE}
     * @param allowedHeaders fixed allowed headers, or {@code null} to reflect {@code Access-Control-Request-Headers}
     * @param maxAgeSeconds  preflight max age, or negative for none
     */
    public record CorsOptions(List<String> allowedOrigins, boolean credentials, String methods,
                              String allowedHeaders, long maxAgeSeconds) {
        public CorsOptions {
            allowedOrigins = List.copyOf(allowedOrigins);
            Objects.requireNonNull(methods, "methods");
        }

        /** The {@code cors} middleware's default preflight methods. */
        public static final String DEFAULT_METHODS = "GET,HEAD,PUT,PATCH,POST,DELETE";

        /** {@code cors: {origin: "*"}}. */
        public static CorsOptions anyOrigin() {
            return new CorsOptions(List.of("*"), false, DEFAULT_METHODS, null, -1);
        }
    }
}
