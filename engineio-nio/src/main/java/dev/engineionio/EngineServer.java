package dev.engineionio;

import dev.engineionio.driver.DriverConfig;
import dev.engineionio.driver.EventLoop;
import dev.engineionio.driver.NioDriver;
import dev.engineionio.http.HttpLimits;
import dev.engineionio.server.EngineIo;
import dev.engineionio.server.ServerCore;
import dev.engineionio.session.EngineConfig;
import dev.engineionio.session.TransportKind;
import dev.engineionio.websocket.WebSocketLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An Engine.IO server (protocol 4, and 3 with {@code allowEIO3}) with raw WebSocket endpoints and a fallback HTTP
 * handler, on {@code java.nio} event loops.
 *
 * <pre>{@code
 * EngineServer server = EngineServer.builder()
 *         .listen("127.0.0.1", 3000)
 *         .corsAnyOrigin()
 *         .onConnection(socket -> socket.onMessage(socket::send))
 *         .build()
 *         .start();
 * ...
 * server.close();
 * }</pre>
 *
 * <h2>Threads</h2>
 * {@link #start()}, {@link #close()}, {@link #port()}, {@link #addresses()}, {@link #clientsCount()} and
 * {@link #clients()} may be called from any thread.
 * Callbacks ({@link EngineSocket} listeners, {@link WebSocketHandler}, {@link HttpHandler}, {@code onConnection},
 * {@code allowRequest}, {@code onConnectionError}) run on event-loop threads and must not block.
 *
 * <h2>Options</h2>
 * The Engine.IO options carry the reference's names and defaults (engine.io 6.6.12): {@code pingInterval} 25000 ms,
 * {@code pingTimeout} 20000 ms, {@code upgradeTimeout} 10000 ms, {@code maxHttpBufferSize} 1e6 bytes, {@code
 * transports} polling and websocket, {@code allowUpgrades} true, {@code allowEIO3} false, {@code path} "/engine.io"
 * with {@code addTrailingSlash} true, {@code cookie} off, {@code cors} off, {@code allowRequest} none, {@code
 * initialPacket} none, {@code httpCompression} threshold 1024 bytes, {@code destroyUpgrade} true after 1000 ms.
 * The reference's {@code perMessageDeflate} is not implemented: WebSocket messages are sent uncompressed. HTTP limits: request header timeout
 * 10 s (408), keep-alive idle timeout 60 s, fallback request body 1 MiB (413); raw WebSocket messages 16 MiB (1009),
 * close handshake timeout 5 s.
 */
public final class EngineServer implements AutoCloseable {

    /** A rejected Engine.IO request (the reference's {@code connection_error} event). */
    public record ConnectionError(int code, String message, String contextJson) {
    }

    private final NioDriver driver;
    private final EngineIo engine;
    private final Object lock = new Object();
    private boolean started;
    private boolean closed;

    private EngineServer(Builder b) {
        EngineConfig.Builder eb = EngineConfig.builder()
                .pingIntervalMs(b.pingInterval)
                .pingTimeoutMs(b.pingTimeout)
                .upgradeTimeoutMs(b.upgradeTimeout)
                .maxHttpBufferSize(b.maxHttpBufferSize)
                .transports(b.transports)
                .allowUpgrades(b.allowUpgrades)
                .allowEIO3(b.allowEIO3)
                .allowRequest(b.allowRequest != null)
                .initialPacket(b.initialPacket)
                .path(b.path)
                .addTrailingSlash(b.addTrailingSlash)
                .cookie(b.cookie)
                .cors(b.cors)
                .httpCompressionThreshold(b.httpCompressionThreshold)
                .destroyUpgrade(b.destroyUpgrade)
                .destroyUpgradeTimeoutMs(b.destroyUpgradeTimeout);
        EngineConfig config = eb.build();
        Consumer<ConnectionError> errors = b.onConnectionError;
        this.engine = new EngineIo(config, b.onConnection, b.allowRequest,
                errors == null ? null : (f, v) -> errors.accept(new ConnectionError(v.errorCode().code(),
                        v.errorCode().message(), v.contextJson())),
                b.trustForwardedFor, b.webSocketCloseTimeout.toNanos());
        long maxBody = Math.max(b.maxRequestBodySize, config.maxHttpBufferSize()) + 64 * 1024;
        HttpLimits limits = HttpLimits.builder().maxBodySize(maxBody).build();
        ServerCore core = new ServerCore(limits, b.requestHeaderTimeout.toNanos(), b.idleTimeout.toNanos(),
                b.webSocketCloseTimeout.toNanos(),
                new WebSocketLimits(b.webSocketMaxMessageSize, b.webSocketMaxMessageSize, 1 << 20),
                b.endpoints, b.httpHandler, b.maxRequestBodySize, engine,
                config.destroyUpgrade() ? config.destroyUpgradeTimeoutMs() * 1_000_000L : -1);
        long biggest = Math.max(b.webSocketMaxMessageSize, config.maxHttpBufferSize());
        DriverConfig.Builder db = DriverConfig.builder()
                .loops(b.eventLoops)
                .threadNamePrefix("engineio-loop-")
                .clock(b.clock)
                .writeHardLimitBytes(Math.max(16L << 20, 2 * biggest + (1 << 20)));
        List<InetSocketAddress> listen = b.listen.isEmpty()
                ? List.of(new InetSocketAddress("127.0.0.1", 0)) : b.listen;
        for (InetSocketAddress a : listen) {
            db.listen(a);
        }
        try {
            this.driver = new NioDriver(db.build(), core);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A builder with every default. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds every listen address and starts the loops; returns this. Fails with an {@link IOException} if an address
     * cannot be bound (then nothing stays bound).
     */
    public EngineServer start() throws IOException {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("closed");
            }
            if (!started) {
                driver.start();
                started = true;
            }
        }
        return this;
    }

    /** The bound port of the first listen address (useful with port 0). */
    public int port() {
        return addresses().get(0).getPort();
    }

    /** The bound addresses, in listen order. */
    public List<InetSocketAddress> addresses() {
        return driver.boundAddresses();
    }

    /** Makes every loop run a pass now (tests, after moving a fake clock). */
    void wakeLoops() {
        for (EventLoop l : driver.loops()) {
            l.wakeup();
        }
    }

    /** The number of open Engine.IO sessions (the reference's {@code clientsCount}). */
    public int clientsCount() {
        return engine.registry().size();
    }

    /**
     * The open Engine.IO sessions by id (the reference's {@code server.clients}): an immutable snapshot taken at the
     * call, safe from any thread. A session is in it from just before {@code onConnection} is called until it closes
     * (the reference's {@code clients[id]}); a session of the snapshot may have closed since (its {@code send} is then
     * dropped). A copy per call: for the count alone use {@link #clientsCount()}.
     */
    public Map<String, EngineSocket> clients() {
        return engine.clients();
    }

    /**
     * Stops accepting, closes every Engine.IO session (a held poll is answered with the close packet, a WebSocket
     * gets a close frame), gives open connections a grace period (5 s) to finish, then stops the loops. Idempotent;
     * any thread (called on a loop thread, it returns at once and finishes in the background).
     */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        engine.closeAll();
        boolean onLoop = false;
        for (EventLoop l : driver.loops()) {
            onLoop |= l.inEventLoop();
        }
        if (onLoop) {
            Thread t = new Thread(driver::close, "engineio-close");
            t.setDaemon(true);
            t.start();
        } else {
            driver.close();
        }
    }

    /** Server options; single-threaded. Every setter returns this. */
    public static final class Builder {
        private final List<InetSocketAddress> listen = new ArrayList<>();
        private int eventLoops = Math.max(1, Runtime.getRuntime().availableProcessors());
        private Duration requestHeaderTimeout = Duration.ofSeconds(10);
        private Duration idleTimeout = Duration.ofSeconds(60);
        private long maxRequestBodySize = 1 << 20;
        private int webSocketMaxMessageSize = 16 << 20;
        private Duration webSocketCloseTimeout = Duration.ofSeconds(5);
        private final Map<String, WebSocketHandler> endpoints = new LinkedHashMap<>();
        private HttpHandler httpHandler;
        // Engine.IO
        private long pingInterval = 25_000;
        private long pingTimeout = 20_000;
        private long upgradeTimeout = 10_000;
        private long maxHttpBufferSize = 1_000_000;
        private Set<TransportKind> transports = EnumSet.of(TransportKind.POLLING, TransportKind.WEBSOCKET);
        private boolean allowUpgrades = true;
        private boolean allowEIO3;
        private String path = "/engine.io";
        private boolean addTrailingSlash = true;
        private EngineConfig.CookieOptions cookie;
        private EngineConfig.CorsOptions cors;
        private Function<HttpRequest, String> allowRequest;
        private String initialPacket;
        private int httpCompressionThreshold = 1024;
        private boolean destroyUpgrade = true;
        private long destroyUpgradeTimeout = 1000;
        private boolean trustForwardedFor;
        private Consumer<EngineSocket> onConnection;
        private Consumer<ConnectionError> onConnectionError;
        private dev.engineionio.driver.NanoClock clock = dev.engineionio.driver.NanoClock.SYSTEM;

        private Builder() {
        }

        /** The loops' clock (tests move a fake one). */
        Builder clock(dev.engineionio.driver.NanoClock c) {
            clock = c;
            return this;
        }

        /** Adds a listen address ({@code host} a name or literal, e.g. {@code 127.0.0.1} or {@code ::1}; port 0: any). */
        public Builder listen(String host, int port) {
            listen.add(new InetSocketAddress(host, port));
            return this;
        }

        /** Adds a listen address. Without any, the server listens on 127.0.0.1 on a free port. */
        public Builder listen(InetSocketAddress address) {
            listen.add(address);
            return this;
        }

        /** Event-loop threads (default: available processors). */
        public Builder eventLoops(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("eventLoops " + n);
            }
            eventLoops = n;
            return this;
        }

        /** Time a client has to send a complete request head (default 10 s; then 408 and close). */
        public Builder requestHeaderTimeout(Duration d) {
            requestHeaderTimeout = positive(d);
            return this;
        }

        /** Time a keep-alive connection may stay idle between requests, and a body may take (default 60 s). */
        public Builder idleTimeout(Duration d) {
            idleTimeout = positive(d);
            return this;
        }

        /** Largest request body for the {@link HttpHandler} (default 1 MiB; over it: 413). */
        public Builder maxRequestBodySize(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("maxRequestBodySize " + bytes);
            }
            maxRequestBodySize = bytes;
            return this;
        }

        /** Largest message (and frame) of a raw WebSocket endpoint (default 16 MiB; over it: close 1009). */
        public Builder webSocketMaxMessageSize(int bytes) {
            if (bytes < 1 || bytes > WebSocketLimits.MAX_LIMIT) {
                throw new IllegalArgumentException("webSocketMaxMessageSize " + bytes);
            }
            webSocketMaxMessageSize = bytes;
            return this;
        }

        /** Time the peer has to answer our WebSocket close frame (default 5 s). */
        public Builder webSocketCloseTimeout(Duration d) {
            webSocketCloseTimeout = positive(d);
            return this;
        }

        /** A raw RFC 6455 endpoint for upgrade requests on exactly {@code path} (e.g. {@code "/"}). */
        public Builder webSocket(String path, WebSocketHandler handler) {
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("path must start with /: " + path);
            }
            endpoints.put(path, handler);
            return this;
        }

        /** The handler of plain HTTP requests outside the Engine.IO path (default: 404). */
        public Builder httpHandler(HttpHandler handler) {
            httpHandler = handler;
            return this;
        }

        /** {@code pingInterval} in ms (default 25000). */
        public Builder pingInterval(long ms) {
            pingInterval = ms;
            return this;
        }

        /** {@code pingTimeout} in ms (default 20000). */
        public Builder pingTimeout(long ms) {
            pingTimeout = ms;
            return this;
        }

        /** {@code upgradeTimeout} in ms (default 10000). */
        public Builder upgradeTimeout(long ms) {
            upgradeTimeout = ms;
            return this;
        }

        /** {@code maxHttpBufferSize} in bytes (default 1e6): polling POST bodies (413) and WebSocket messages (1009). */
        public Builder maxHttpBufferSize(long bytes) {
            maxHttpBufferSize = bytes;
            return this;
        }

        /** {@code transports}: {@code "polling"} and/or {@code "websocket"} (default both). */
        public Builder transports(String... names) {
            Set<TransportKind> s = EnumSet.noneOf(TransportKind.class);
            for (String n : names) {
                TransportKind k = TransportKind.fromQuery(n);
                if (k == null) {
                    throw new IllegalArgumentException("unknown transport " + n + " (known: polling, websocket)");
                }
                s.add(k);
            }
            if (s.isEmpty()) {
                throw new IllegalArgumentException("no transport in " + Arrays.toString(names));
            }
            transports = s;
            return this;
        }

        /** {@code allowUpgrades} (default true): whether the handshake advertises the upgrade to WebSocket. */
        public Builder allowUpgrades(boolean v) {
            allowUpgrades = v;
            return this;
        }

        /** {@code allowEIO3} (default false): accept protocol 3 clients (Socket.IO v2). */
        public Builder allowEIO3(boolean v) {
            allowEIO3 = v;
            return this;
        }

        /** {@code path} (default {@code /engine.io}). */
        public Builder path(String p) {
            path = p;
            return this;
        }

        /** {@code addTrailingSlash} (default true). */
        public Builder addTrailingSlash(boolean v) {
            addTrailingSlash = v;
            return this;
        }

        /** {@code cookie: true}: {@code io=<sid>; Path=/; HttpOnly; SameSite=Lax} on the polling handshake. */
        public Builder cookie(boolean enabled) {
            cookie = enabled ? EngineConfig.CookieOptions.defaults() : null;
            return this;
        }

        /** A session cookie with these attributes ({@code path}/{@code sameSite} null to omit them). */
        public Builder cookie(String name, String path, boolean httpOnly, String sameSite) {
            cookie = new EngineConfig.CookieOptions(name, path, httpOnly, sameSite);
            return this;
        }

        /** {@code cors: {origin: "*"}}. */
        public Builder corsAnyOrigin() {
            cors = EngineConfig.CorsOptions.anyOrigin();
            return this;
        }

        /**
         * {@code cors: {origin: origins, credentials}}: the listed origins are reflected with {@code Vary: Origin}
         * ({@code "*"} in the list means any origin); preflight methods {@code GET,HEAD,PUT,PATCH,POST,DELETE} and the
         * request's headers reflected.
         */
        public Builder cors(List<String> origins, boolean credentials) {
            cors = new EngineConfig.CorsOptions(origins, credentials, "GET,HEAD,PUT,PATCH,POST,DELETE", null, -1);
            return this;
        }

        /** Full CORS options ({@code allowedHeaders} null reflects the request's; {@code maxAge} negative for none). */
        public Builder cors(List<String> origins, boolean credentials, String methods, String allowedHeaders,
                            long maxAgeSeconds) {
            cors = new EngineConfig.CorsOptions(origins, credentials, methods, allowedHeaders, maxAgeSeconds);
            return this;
        }

        /**
         * {@code allowRequest}: vets each handshake (HTTP and WebSocket). Return {@code null} to accept, or a message
         * (possibly empty) to refuse: {@code 403 {"code":4,"message":<message or "Forbidden">}}. Runs on a loop thread.
         */
        public Builder allowRequest(Function<HttpRequest, String> hook) {
            allowRequest = hook;
            return this;
        }

        /** {@code initialPacket}: a text message sent right after the open packet. */
        public Builder initialPacket(String message) {
            initialPacket = message;
            return this;
        }

        /**
         * {@code httpCompression: {threshold}}: polling answers of at least {@code thresholdBytes} (default 1024) are
         * gzip/deflate-encoded per {@code Accept-Encoding}.
         */
        public Builder httpCompression(int thresholdBytes) {
            if (thresholdBytes < 0) {
                throw new IllegalArgumentException("threshold " + thresholdBytes);
            }
            httpCompressionThreshold = thresholdBytes;
            return this;
        }

        /** {@code httpCompression: false}: no compression of polling answers (default: on, threshold 1024). */
        public Builder httpCompression(boolean enabled) {
            httpCompressionThreshold = enabled ? 1024 : -1;
            return this;
        }

        /** {@code destroyUpgrade} (default true): close unclaimed upgrade requests after the timeout. */
        public Builder destroyUpgrade(boolean v) {
            destroyUpgrade = v;
            return this;
        }

        /** {@code destroyUpgradeTimeout} in ms (default 1000). */
        public Builder destroyUpgradeTimeout(long ms) {
            destroyUpgradeTimeout = ms;
            return this;
        }

        /** Whether {@link EngineSocket#remoteIp()} trusts the handshake's {@code X-Forwarded-For} (default false). */
        public Builder trustForwardedFor(boolean v) {
            trustForwardedFor = v;
            return this;
        }

        /** Called on the session's loop for each new session, before its first packet goes out. */
        public Builder onConnection(Consumer<EngineSocket> listener) {
            onConnection = listener;
            return this;
        }

        /** Called on a loop thread for each rejected Engine.IO request (the reference's {@code connection_error}). */
        public Builder onConnectionError(Consumer<ConnectionError> listener) {
            onConnectionError = listener;
            return this;
        }

        /** Validates the options and makes the server (not started). */
        public EngineServer build() {
            return new EngineServer(this);
        }

        private static Duration positive(Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("duration must be positive: " + d);
            }
            return d;
        }
    }
}
