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
 * {@link #clients()} may be called from any thread. Callbacks ({@link EngineSocket} listeners,
 * {@link WebSocketHandler}, {@link HttpHandler}, {@code onConnection}, {@code allowRequest},
 * {@code onConnectionError}) run on event-loop threads and must not block.
 *
 * <h2>Options</h2>
 * The Engine.IO options carry the reference's names and defaults (engine.io 6.6.12): {@code pingInterval} 25 s,
 * {@code pingTimeout} 20 s, {@code upgradeTimeout} 10 s, {@code maxHttpBufferSize} 1e6 bytes,
 * {@code transports} polling and websocket, {@code allowUpgrades} true, {@code allowEIO3} false, {@code path}
 * "/engine.io" with {@code addTrailingSlash} true, {@code cookie} off, {@code cors} off, {@code allowRequest} none,
 * {@code initialPacket} none, {@code httpCompression} threshold 1024 bytes, {@code destroyUpgrade} true after 1 s.
 * Every time option is a {@link Duration}; the Engine.IO ones are 1 ms to 2<sup>31</sup>-1 ms (Node's
 * {@code setTimeout} limit).
 * {@code perMessageDeflate} off (see {@link PerMessageDeflate}: threshold 1024 when on). The reference's
 * {@code wsEngine} and the {@code headers} events are not offered.
 *
 * <h2>Limits</h2>
 * HTTP: request line 8192 bytes (414), header section 16384 bytes and 100 fields (431), request head within
 * {@code requestHeaderTimeout} 10 s (408), keep-alive idle and body time {@code idleTimeout} 60 s (close),
 * {@link HttpHandler} body {@code maxRequestBodySize} 1 MiB (413). Engine.IO: polling POST body and WebSocket message
 * {@code maxHttpBufferSize} (413, the session lives; close 1009). Raw WebSocket: message and frame
 * {@code webSocketMaxMessageSize} 16 MiB (1009), close handshake {@code webSocketCloseTimeout} 5 s. Connections:
 * at most {@code maxConnections} 10,000 open; at the cap a new connection takes the place of the oldest one whose
 * first request head has not arrived (closed without an answer), and is refused (accepted and closed at once) only
 * when every open connection has sent a request. Queued output per connection: {@code writeWaterMarks} 32 KiB /
 * 64 KiB ({@link WebSocketSession#isWritable()}); above 2 &times; max({@code webSocketMaxMessageSize},
 * {@code maxHttpBufferSize}) + 1 MiB, at least 16 MiB, the connection is closed. Shutdown: {@link #close()} gives
 * open connections {@code shutdownGrace} 5 s ({@link #close(Duration)} another grace for one call).
 *
 * <h2>Shutdown</h2>
 * {@link #close(Duration)}: the listen sockets are closed first (from then on a connect is refused); then every
 * Engine.IO session is closed as the reference's {@code server.close()} does ({@code socket.close(true)}): a held
 * poll is answered with the close packet, and a polling session with no poll held closes at once. A WebSocket (or
 * SSE) session first sends the packets it still has queued, then its close frame (the reference's
 * {@code socket.close()}); raw WebSocket endpoints get close 1001; idle keep-alive connections are closed, a
 * connection with a request in progress after its answer. Queued output is flushed. What is still open when the grace
 * ends (on the server's clock) is closed at once: sessions with {@code forced close}, connections without
 * more output. {@code close} returns when everything has closed, or the grace (plus at most a few seconds of
 * wall-clock time, a guard against a stuck loop) has passed. As a JVM shutdown hook:
 * <pre>{@code
 * Runtime.getRuntime().addShutdownHook(new Thread(() -> server.close(Duration.ofSeconds(10))));
 * }</pre>
 */
public final class EngineServer implements AutoCloseable {

    /**
     * A rejected Engine.IO request (the reference's {@code connection_error} event), given to
     * {@link Builder#onConnectionError}.
     *
     * @param code        the Engine.IO error code: 0 {@code Transport unknown}, 1 {@code Session ID unknown},
     *                    2 {@code Bad handshake method}, 3 {@code Bad request}, 4 {@code Forbidden},
     *                    5 {@code Unsupported protocol version}
     * @param message     the code's standard message (the list above), also when {@code allowRequest} refused with
     *                    a message of its own
     * @param contextJson the event's {@code context} as JSON, keys in the reference's order (for example
     *                    {@code {"name":"TRANSPORT_MISMATCH","transport":"polling","previousTransport":"websocket"}}),
     *                    or {@code null} when the reference sets none
     */
    public record ConnectionError(int code, String message, String contextJson) {
    }

    private final NioDriver driver;
    private final EngineIo engine;
    private final Object lock = new Object();
    private boolean started;
    private boolean closed;
    private final Duration shutdownGrace;

    private EngineServer(Builder b) {
        this.shutdownGrace = b.shutdownGrace;
        EngineConfig config = b.engineConfig.allowRequest(b.allowRequest != null).build();
        Consumer<ConnectionError> errors = b.onConnectionError;
        this.engine = new EngineIo(config, b.onConnection, b.allowRequest,
                errors == null ? null : (f, v) -> errors.accept(new ConnectionError(v.errorCode().code(),
                        v.errorCode().message(), v.contextJson())),
                b.trustForwardedFor, b.webSocketCloseTimeout.toNanos(),
                b.generateId == null ? null : b.generateId::get,
                b.perMessageDeflate == null ? null : b.perMessageDeflate.config);
        long maxBody = Math.max(b.maxRequestBodySize, config.maxHttpBufferSize()) + 64 * 1024;
        HttpLimits limits = HttpLimits.builder().maxBodySize(maxBody).build();
        ServerCore core = new ServerCore(limits, b.requestHeaderTimeout.toNanos(), b.idleTimeout.toNanos(),
                b.webSocketCloseTimeout.toNanos(),
                new WebSocketLimits(b.webSocketMaxMessageSize, b.webSocketMaxMessageSize, 1 << 20),
                b.endpoints, b.httpHandler, b.maxRequestBodySize, engine,
                config.destroyUpgrade() ? config.destroyUpgradeTimeoutNs() : -1,
                b.webSocketPerMessageDeflate == null ? null : b.webSocketPerMessageDeflate.config);
        long biggest = Math.max(b.webSocketMaxMessageSize, config.maxHttpBufferSize());
        long hardLimit = Math.max(16L << 20, 2 * biggest + (1 << 20));
        if (b.writeHighWater > hardLimit) {
            throw new IllegalArgumentException("writeWaterMarks: high " + b.writeHighWater
                    + " above the output hard limit " + hardLimit);
        }
        DriverConfig.Builder db = DriverConfig.builder()
                .loops(b.eventLoops)
                .threadNamePrefix("engineio-loop-")
                .clock(b.clock)
                .maxConnections(b.maxConnections)
                .writeWaterMarks(b.writeLowWater, b.writeHighWater)
                .writeHardLimitBytes(hardLimit)
                .shutdownGrace(b.shutdownGrace);
        List<InetSocketAddress> listen = b.listen.isEmpty()
                ? List.of(new InetSocketAddress("127.0.0.1", 0)) : b.listen;
        for (int i = 0; i < listen.size(); i++) {
            TlsContext tls = b.listen.isEmpty() ? null : b.listenTls.get(i);
            if (tls == null) {
                db.listen(listen.get(i));
            } else {
                db.listenTls(listen.get(i), tls::newServerEngine);
            }
        }
        db.tlsHandshakeTimeout(b.requestHeaderTimeout);
        try {
            this.driver = new NioDriver(db.build(), core);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A builder with every default.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds every listen address and starts the loops. Idempotent; any thread.
     *
     * @return this server
     * @throws IOException if an address cannot be bound (then nothing stays bound)
     * @throws IllegalStateException if the server was closed
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

    /**
     * The bound port of the first listen address (useful with port 0).
     *
     * @return the port
     * @throws IllegalStateException if the server is not started (nothing is bound yet)
     */
    public int port() {
        List<InetSocketAddress> bound = addresses();
        if (bound.isEmpty()) {
            throw notStarted();
        }
        return bound.get(0).getPort();
    }

    private static IllegalStateException notStarted() {
        return new IllegalStateException("the server is not started: call start() first");
    }

    /**
     * The bound addresses, in listen order (port 0 resolved).
     *
     * @return the addresses; empty before {@link #start()}
     */
    public List<InetSocketAddress> addresses() {
        return driver.boundAddresses();
    }

    /** Open TCP connections over all loops (tests). */
    int openConnections() {
        return driver.openConnections();
    }

    /** Makes every loop run a pass now (tests, after moving a fake clock). */
    void wakeLoops() {
        for (EventLoop l : driver.loops()) {
            l.wakeup();
        }
    }

    /** The event loops (tests: to run a command on one, e.g. to read its connection count on its thread). */
    List<EventLoop> loops() {
        return driver.loops();
    }

    /**
     * The number of Engine.IO sessions in the registry (the reference's {@code clientsCount}). Any thread.
     *
     * @return the session count
     */
    public int clientsCount() {
        return engine.registry().size();
    }

    /**
     * The open Engine.IO sessions by id (the reference's {@code server.clients}): an immutable snapshot taken at the
     * call, safe from any thread. A session is in it from just before {@code onConnection} is called until it closes
     * (the reference's {@code clients[id]}); a session of the snapshot may have closed since (its {@code send} is then
     * dropped). A copy per call: for the count alone use {@link #clientsCount()}.
     *
     * @return an immutable map from session id to socket, a snapshot of this moment
     */
    public Map<String, EngineSocket> clients() {
        return engine.clients();
    }

    /**
     * {@link #close(Duration) close} with the builder's {@link Builder#shutdownGrace shutdownGrace} (default 5 s).
     */
    @Override
    public void close() {
        close(shutdownGrace);
    }

    /**
     * Graceful shutdown (see the class Javadoc): stops accepting, closes every Engine.IO session (a held poll is
     * answered with the close packet; a WebSocket session sends what it has queued, then a close frame), lets
     * queued output drain, and after {@code grace} (on the server's clock) closes what is still open; then stops the
     * loops. Returns once everything is closed or the grace has passed. Idempotent (a second call returns at once);
     * any thread (called on a loop thread, it returns at once and finishes in the background).
     *
     * @param grace time the sessions and connections get to close; zero closes them at once
     * @throws IllegalArgumentException if {@code grace} is negative
     */
    public void close(Duration grace) {
        long graceNs = nonNegative(grace).toNanos();
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        boolean onLoop = false;
        for (EventLoop l : driver.loops()) {
            onLoop |= l.inEventLoop();
        }
        if (onLoop) {
            Thread t = new Thread(() -> driver.close(graceNs), "engineio-close");
            t.setDaemon(true);
            t.start();
        } else {
            driver.close(graceNs);
        }
    }

    private static Duration nonNegative(Duration d) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException("duration must be zero or more: " + d);
        }
        return d;
    }

    /**
     * Server options; single-threaded. Every setter returns this builder; {@link #build()} checks the values (an
     * invalid one throws {@link IllegalArgumentException}).
     */
    public static final class Builder {
        private final List<InetSocketAddress> listen = new ArrayList<>();
        private final List<TlsContext> listenTls = new ArrayList<>();
        private int eventLoops = Math.max(1, Runtime.getRuntime().availableProcessors());
        private Duration requestHeaderTimeout = Duration.ofSeconds(10);
        private Duration idleTimeout = Duration.ofSeconds(60);
        private long maxRequestBodySize = 1 << 20;
        private int webSocketMaxMessageSize = 16 << 20;
        private Duration webSocketCloseTimeout = Duration.ofSeconds(5);
        private int maxConnections = 10_000;
        private long writeLowWater = 32 * 1024;
        private long writeHighWater = 64 * 1024;
        private Duration shutdownGrace = Duration.ofSeconds(5);
        private final Map<String, WebSocketHandler> endpoints = new LinkedHashMap<>();
        private HttpHandler httpHandler;
        // Engine.IO
        /** The Engine.IO options, with their defaults and checks (one place: {@link EngineConfig}). */
        private final EngineConfig.Builder engineConfig = EngineConfig.builder();
        private Function<HttpRequest, String> allowRequest;
        private java.util.function.Supplier<String> generateId;
        private boolean trustForwardedFor;
        private Consumer<EngineSocket> onConnection;
        private Consumer<ConnectionError> onConnectionError;
        private dev.engineionio.driver.NanoClock clock = dev.engineionio.driver.NanoClock.SYSTEM;
        private PerMessageDeflate perMessageDeflate;
        private PerMessageDeflate webSocketPerMessageDeflate;

        private Builder() {
        }

        // ---- permessage-deflate (RFC 7692)

        /**
         * {@code perMessageDeflate} for the Engine.IO WebSocket transport (default off, as in the reference):
         * compression is agreed with clients that offer it, with these settings.
         *
         * @param options the settings, or {@code null} for off
         * @return this builder
         */
        public Builder perMessageDeflate(PerMessageDeflate options) {
            perMessageDeflate = options;
            return this;
        }

        /**
         * {@code perMessageDeflate: true/false}: on with {@link PerMessageDeflate#DEFAULTS} (threshold 1024), or off.
         *
         * @param enabled whether to agree compression with clients that offer it
         * @return this builder
         */
        public Builder perMessageDeflate(boolean enabled) {
            return perMessageDeflate(enabled ? PerMessageDeflate.DEFAULTS : null);
        }

        /**
         * permessage-deflate for the raw WebSocket endpoints ({@link #webSocket}), default off; offers are judged by
         * RFC 7692 (an invalid offer is declined, the next one tried).
         *
         * @param options the settings, or {@code null} for off
         * @return this builder
         */
        public Builder webSocketPerMessageDeflate(PerMessageDeflate options) {
            webSocketPerMessageDeflate = options;
            return this;
        }

        /** The loops' clock (tests move a fake one). */
        Builder clock(dev.engineionio.driver.NanoClock c) {
            clock = c;
            return this;
        }

        /**
         * Adds a listen address. Without any, the server listens on 127.0.0.1 on a free port.
         *
         * @param host a name or literal, e.g. {@code 127.0.0.1}, {@code ::1} or {@code 0.0.0.0}
         * @param port the port; 0 picks a free one (see {@link EngineServer#port()})
         * @return this builder
         */
        public Builder listen(String host, int port) {
            listen.add(new InetSocketAddress(host, port));
            listenTls.add(null);
            return this;
        }

        /**
         * Adds a listen address. Without any, the server listens on 127.0.0.1 on a free port.
         *
         * @param address the address; port 0 picks a free one
         * @return this builder
         */
        public Builder listen(InetSocketAddress address) {
            listen.add(address);
            listenTls.add(null);
            return this;
        }

        /**
         * Adds a TLS listen address (https and wss), beside plain ones if wanted: e.g. {@code listen("0.0.0.0", 80)}
         * and {@code listenTls("0.0.0.0", 443, tls)}. Each connection gets an engine of {@code tls}'s context of the
         * moment ({@link TlsContext#reload} changes it for new connections); the handshake must end within {@code
         * requestHeaderTimeout}. TLS runs on the event loops, see {@link TlsContext} for the protocol settings.
         *
         * @param host a name or literal
         * @param port the port; 0 picks a free one (see {@link EngineServer#addresses()})
         * @param tls  the certificate and key, e.g. {@link TlsContext#fromPem}
         * @return this builder
         */
        public Builder listenTls(String host, int port, TlsContext tls) {
            listen.add(new InetSocketAddress(host, port));
            listenTls.add(java.util.Objects.requireNonNull(tls, "tls"));
            return this;
        }

        /**
         * Event-loop threads (default: available processors). Each loop serves its connections and the sessions
         * whose handshake it accepted.
         *
         * @param n at least 1
         * @return this builder
         */
        public Builder eventLoops(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("eventLoops " + n);
            }
            eventLoops = n;
            return this;
        }

        /**
         * Time a client has to send a complete request head (default 10 s; then {@code 408} and close). For a
         * connection's first request it runs from the accept: a connection that sends nothing at all is closed after
         * it without an answer; for a later request on a keep-alive connection, from the request's first byte.
         *
         * @param d a positive duration
         * @return this builder
         */
        public Builder requestHeaderTimeout(Duration d) {
            requestHeaderTimeout = positive(d);
            return this;
        }

        /**
         * Open TCP connections over all loops (default 10,000). At the cap a new connection takes the place of the
         * oldest connection whose first request head has not arrived yet (that one is closed without an answer); a
         * connection that has sent a request (one that carries a session, a held poll or a WebSocket included) is
         * never closed for a new one. When every open connection has sent a request, the new one is accepted and
         * closed at once. The count includes connections in their closing handshake.
         *
         * @param n at least 1
         * @return this builder
         */
        public Builder maxConnections(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxConnections " + n);
            }
            maxConnections = n;
            return this;
        }

        /**
         * Time {@link EngineServer#close()} gives sessions and connections to close (default 5 s; zero: at once):
         * queued output drains and WebSocket sessions finish their close handshake within it; what is still open when
         * it ends is closed at once. {@link EngineServer#close(Duration)} takes another for one call.
         *
         * @param grace zero or more
         * @return this builder
         */
        public Builder shutdownGrace(Duration grace) {
            shutdownGrace = nonNegative(grace);
            return this;
        }

        /**
         * Output water marks of one connection (defaults 32 KiB and 64 KiB): above {@code highBytes} of queued output
         * {@link WebSocketSession#isWritable()} turns false; at or below {@code lowBytes} it turns true again with
         * {@link WebSocketHandler#onWritable}. A WebSocket connection (raw or Engine.IO) stops reading its peer while
         * its output is above the high mark. {@code highBytes} may not exceed the output hard limit (2 &times;
         * the larger of {@code webSocketMaxMessageSize} and {@code maxHttpBufferSize} + 1 MiB, at least 16 MiB).
         *
         * @param lowBytes  at least 0, at most {@code highBytes}
         * @param highBytes at least {@code lowBytes}
         * @return this builder
         */
        public Builder writeWaterMarks(long lowBytes, long highBytes) {
            if (lowBytes < 0 || lowBytes > highBytes) {
                throw new IllegalArgumentException("writeWaterMarks: need 0 <= low <= high: " + lowBytes + ", "
                        + highBytes);
            }
            writeLowWater = lowBytes;
            writeHighWater = highBytes;
            return this;
        }

        /**
         * Time a keep-alive connection may stay idle between requests, and a request body may take (default 60 s;
         * then the connection is closed without an answer). A held Engine.IO poll is not idle: the heartbeat bounds it.
         *
         * @param d a positive duration
         * @return this builder
         */
        public Builder idleTimeout(Duration d) {
            idleTimeout = positive(d);
            return this;
        }

        /**
         * Largest request body for the {@link HttpHandler} (default 1 MiB; over it: {@code 413} and close).
         *
         * @param bytes at least 0
         * @return this builder
         */
        public Builder maxRequestBodySize(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("maxRequestBodySize " + bytes);
            }
            maxRequestBodySize = bytes;
            return this;
        }

        /**
         * Largest message (and frame) of a raw WebSocket endpoint (default 16 MiB; over it: close 1009). Engine.IO's
         * WebSocket transport uses {@link #maxHttpBufferSize} instead.
         *
         * @param bytes 1 to {@code Integer.MAX_VALUE - 8}
         * @return this builder
         */
        public Builder webSocketMaxMessageSize(int bytes) {
            if (bytes < 1 || bytes > WebSocketLimits.MAX_LIMIT) {
                throw new IllegalArgumentException("webSocketMaxMessageSize " + bytes);
            }
            webSocketMaxMessageSize = bytes;
            return this;
        }

        /**
         * Time the peer has to answer our WebSocket close frame before the connection is dropped (default 5 s).
         *
         * @param d a positive duration
         * @return this builder
         */
        public Builder webSocketCloseTimeout(Duration d) {
            webSocketCloseTimeout = positive(d);
            return this;
        }

        /**
         * A raw RFC 6455 endpoint for upgrade requests on exactly {@code path}; the Engine.IO path takes precedence.
         *
         * @param path    the request path, starting with {@code /} (e.g. {@code "/"} or {@code "/raw"})
         * @param handler the endpoint's callbacks
         * @return this builder
         */
        public Builder webSocket(String path, WebSocketHandler handler) {
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("path must start with /: " + path);
            }
            endpoints.put(path, handler);
            return this;
        }

        /**
         * The handler of plain HTTP requests that are neither Engine.IO requests nor raw WebSocket upgrades
         * (default: {@code 404}).
         *
         * @param handler the handler, or {@code null} for the default
         * @return this builder
         */
        public Builder httpHandler(HttpHandler handler) {
            httpHandler = handler;
            return this;
        }

        /**
         * {@code pingInterval} (default 25 s): the time between two server pings (v4); sent to the client in the
         * open packet.
         *
         * @param d 1 ms to 2<sup>31</sup>-1 ms
         * @return this builder
         */
        public Builder pingInterval(Duration d) {
            engineConfig.pingInterval(d);
            return this;
        }

        /**
         * {@code pingTimeout} (default 20 s): the time the client has to answer a ping (v4) before the session
         * closes with {@code ping timeout}.
         *
         * @param d 1 ms to 2<sup>31</sup>-1 ms
         * @return this builder
         */
        public Builder pingTimeout(Duration d) {
            engineConfig.pingTimeout(d);
            return this;
        }

        /**
         * {@code upgradeTimeout} (default 10 s): the time an upgrade to WebSocket may take; then the new transport
         * is closed and the session goes on over polling.
         *
         * @param d 1 ms to 2<sup>31</sup>-1 ms
         * @return this builder
         */
        public Builder upgradeTimeout(Duration d) {
            engineConfig.upgradeTimeout(d);
            return this;
        }

        /**
         * {@code maxHttpBufferSize} (default 1e6 bytes, inclusive): the largest polling POST body (over it:
         * {@code 413}, the session lives) and the largest WebSocket message (over it: close 1009, the session closes with
         * {@code transport error}); sent to the client as {@code maxPayload}.
         *
         * @param bytes a positive number of bytes
         * @return this builder
         */
        public Builder maxHttpBufferSize(long bytes) {
            engineConfig.maxHttpBufferSize(bytes);
            return this;
        }

        /**
         * {@code transports} (default both): the transports a client may open a session with. An unknown name throws
         * {@link IllegalArgumentException}.
         *
         * @param names {@code "polling"}, {@code "websocket"} and/or {@code "sse"} (this server's Server-Sent Events
         *              transport, off by default), at least one
         * @return this builder
         */
        public Builder transports(String... names) {
            Set<TransportKind> s = EnumSet.noneOf(TransportKind.class);
            for (String n : names) {
                TransportKind k = TransportKind.fromQuery(n);
                if (k == null) {
                    throw new IllegalArgumentException("unknown transport " + n + " (known: polling, websocket, sse)");
                }
                s.add(k);
            }
            if (s.isEmpty()) {
                throw new IllegalArgumentException("no transport in " + Arrays.toString(names));
            }
            engineConfig.transports(s);
            return this;
        }

        /**
         * {@code allowUpgrades} (default true): whether a polling session may upgrade to WebSocket (the handshake's
         * {@code upgrades} list).
         *
         * @param v whether upgrades are allowed
         * @return this builder
         */
        public Builder allowUpgrades(boolean v) {
            engineConfig.allowUpgrades(v);
            return this;
        }

        /**
         * {@code allowEIO3} (default false): accept protocol 3 clients ({@code EIO=3}, e.g. Socket.IO 2.x). Without it
         * they get {@code 400 {"code":5,"message":"Unsupported protocol version"}}.
         *
         * @param v whether protocol 3 is accepted
         * @return this builder
         */
        public Builder allowEIO3(boolean v) {
            engineConfig.allowEIO3(v);
            return this;
        }

        /**
         * {@code path} (default {@code /engine.io}): the prefix of Engine.IO requests.
         *
         * @param p the path, starting with {@code /}
         * @return this builder
         */
        public Builder path(String p) {
            engineConfig.path(p);
            return this;
        }

        /**
         * {@code addTrailingSlash} (default true): whether the path gets a trailing {@code /} ({@code /engine.io/}).
         *
         * @param v whether to add it
         * @return this builder
         */
        public Builder addTrailingSlash(boolean v) {
            engineConfig.addTrailingSlash(v);
            return this;
        }

        /**
         * {@code cookie: true} (default off): the polling handshake answer sets
         * {@code io=<sid>; Path=/; HttpOnly; SameSite=Lax} (useful for sticky sessions behind a load balancer).
         *
         * @param enabled whether to set the cookie
         * @return this builder
         */
        public Builder cookie(boolean enabled) {
            engineConfig.cookie(enabled ? EngineConfig.CookieOptions.defaults() : null);
            return this;
        }

        /**
         * {@code cookie: {name, path, httpOnly, sameSite}}: a session cookie with these attributes.
         *
         * @param name     the cookie name (the reference's default: {@code io})
         * @param path     the {@code Path} attribute, or {@code null} to omit it
         * @param httpOnly whether to add {@code HttpOnly}
         * @param sameSite the {@code SameSite} value ({@code Lax}, {@code Strict}, {@code None}), or {@code null} to
         *                 omit it
         * @return this builder
         */
        public Builder cookie(String name, String path, boolean httpOnly, String sameSite) {
            engineConfig.cookie(new EngineConfig.CookieOptions(name, path, httpOnly, sameSite));
            return this;
        }

        /**
         * {@code cors: {origin: "*"}} (default: no CORS headers).
         *
         * @return this builder
         */
        public Builder corsAnyOrigin() {
            engineConfig.cors(EngineConfig.CorsOptions.anyOrigin());
            return this;
        }

        /**
         * {@code cors: {origin: origins, credentials}}: the listed origins are reflected with {@code Vary: Origin}
         * ({@code "*"} in the list means any origin); preflight methods {@code GET,HEAD,PUT,PATCH,POST,DELETE} and the
         * request's headers reflected.
         *
         * @param origins     the allowed origins, e.g. {@code List.of("https://example.com")}
         * @param credentials whether to send {@code Access-Control-Allow-Credentials: true}
         * @return this builder
         */
        public Builder cors(List<String> origins, boolean credentials) {
            engineConfig.cors(new EngineConfig.CorsOptions(origins, credentials, EngineConfig.CorsOptions.DEFAULT_METHODS,
                    null, -1));
            return this;
        }

        /**
         * Full CORS options.
         *
         * @param origins        the allowed origins ({@code "*"} in the list means any)
         * @param credentials    whether to send {@code Access-Control-Allow-Credentials: true}
         * @param methods        the preflight's {@code Access-Control-Allow-Methods}
         * @param allowedHeaders the preflight's {@code Access-Control-Allow-Headers}, or {@code null} to reflect the
         *                       request's
         * @param maxAgeSeconds  {@code Access-Control-Max-Age}, or negative for none
         * @return this builder
         */
        public Builder cors(List<String> origins, boolean credentials, String methods, String allowedHeaders,
                            long maxAgeSeconds) {
            engineConfig.cors(new EngineConfig.CorsOptions(origins, credentials, methods, allowedHeaders, maxAgeSeconds));
            return this;
        }

        /**
         * {@code generateId}: makes the session ids (default: 20 characters of base64url from {@code SecureRandom}
         * plus a sequence number, as the reference's {@code base64id}). Called on a loop thread for every handshake,
         * from every loop at once: it must be thread-safe and quick. An id must be unique among open sessions and
         * unguessable. A generator that throws, or returns {@code null}, an empty id, more than 128 characters,
         * characters other than {@code A-Z a-z 0-9 - _ . ~} (an id travels in URLs, cookies and JSON), or the id of an
         * open session, gets the handshake refused with code 3 {@code Bad request} (the reference's
         * {@code ID_GENERATION_ERROR}).
         *
         * @param generator the id generator
         * @return this builder
         */
        public Builder generateId(java.util.function.Supplier<String> generator) {
            generateId = java.util.Objects.requireNonNull(generator, "generator");
            return this;
        }

        /**
         * {@code allowRequest}: vets each handshake (HTTP and WebSocket). Return {@code null} to accept, or a message
         * (possibly empty) to refuse: {@code 403 {"code":4,"message":<message or "Forbidden">}}. Runs on a loop thread.
         *
         * @param hook the check, or {@code null} for none (default)
         * @return this builder
         */
        public Builder allowRequest(Function<HttpRequest, String> hook) {
            allowRequest = hook;
            return this;
        }

        /**
         * {@code initialPacket} (default none): a text message sent right after the open packet.
         *
         * @param message the message, or {@code null} for none
         * @return this builder
         */
        public Builder initialPacket(String message) {
            engineConfig.initialPacket(message);
            return this;
        }

        /**
         * {@code httpCompression: {threshold}}: polling answers of at least {@code thresholdBytes} (default 1024) are
         * gzip/deflate-encoded per {@code Accept-Encoding}.
         *
         * @param thresholdBytes at least 0
         * @return this builder
         */
        public Builder httpCompression(int thresholdBytes) {
            if (thresholdBytes < 0) {
                throw new IllegalArgumentException("threshold " + thresholdBytes);
            }
            engineConfig.httpCompressionThreshold(thresholdBytes);
            return this;
        }

        /**
         * {@code httpCompression: false}: no compression of polling answers (default: on, threshold 1024).
         *
         * @param enabled whether to compress (true restores the 1024-byte threshold)
         * @return this builder
         */
        public Builder httpCompression(boolean enabled) {
            engineConfig.httpCompressionThreshold(enabled ? EngineConfig.DEFAULT_HTTP_COMPRESSION_THRESHOLD : -1);
            return this;
        }

        /**
         * {@code destroyUpgrade} (default true): close upgrade requests that neither Engine.IO nor a raw endpoint
         * claims after {@link #destroyUpgradeTimeout} (nothing is written). False leaves them to the application, as
         * the reference does: the {@link #httpHandler(HttpHandler) HttpHandler} answers them as ordinary HTTP/1.1
         * requests (the {@code Upgrade} is ignored), and the connection closes after that answer.
         *
         * @param v whether to wait before closing
         * @return this builder
         */
        public Builder destroyUpgrade(boolean v) {
            engineConfig.destroyUpgrade(v);
            return this;
        }

        /**
         * {@code destroyUpgradeTimeout} (default 1 s).
         *
         * @param d 1 ms to 2<sup>31</sup>-1 ms
         * @return this builder
         */
        public Builder destroyUpgradeTimeout(Duration d) {
            engineConfig.destroyUpgradeTimeout(d);
            return this;
        }

        /**
         * {@code sseReplayBufferBytes} (default 65536; not in the reference): the bytes of its most recent events each
         * SSE session keeps, so that a stream cut mid-session resumes with {@code Last-Event-ID} and loses nothing.
         * A resume that needs an event no longer kept is answered {@code 400 {"code":3,...}} and the session closes.
         * 0 keeps none (a resume then works only when nothing was missed).
         *
         * @param bytes 0 to 64 MiB
         * @return this builder
         */
        public Builder sseReplayBufferBytes(int bytes) {
            engineConfig.sseReplayBufferBytes(bytes);
            return this;
        }

        /**
         * Whether {@link EngineSocket#remoteIp()} trusts the handshake's {@code X-Forwarded-For} (default false). Turn
         * it on only behind a proxy that sets the header.
         *
         * @param v whether to trust the header
         * @return this builder
         */
        public Builder trustForwardedFor(boolean v) {
            trustForwardedFor = v;
            return this;
        }

        /**
         * The {@code connection} event: called on the session's loop for each new session, before its first packet
         * goes out (listeners added here see every message).
         *
         * @param listener the listener, or {@code null} for none
         * @return this builder
         */
        public Builder onConnection(Consumer<EngineSocket> listener) {
            onConnection = listener;
            return this;
        }

        /**
         * The {@code connection_error} event: called on a loop thread for each rejected Engine.IO request.
         *
         * @param listener the listener, or {@code null} for none
         * @return this builder
         */
        public Builder onConnectionError(Consumer<ConnectionError> listener) {
            onConnectionError = listener;
            return this;
        }

        /**
         * Validates the options and makes the server (not started: call {@link EngineServer#start()}).
         *
         * @return the server
         * @throws IllegalArgumentException if an option is out of range
         */
        public EngineServer build() {
            return new EngineServer(this);
        }

        private static Duration nonNegative(Duration d) {
            return EngineServer.nonNegative(d);
        }

        private static Duration positive(Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("duration must be positive: " + d);
            }
            return d;
        }
    }
}
