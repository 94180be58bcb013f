package dev.engineionio.socketio;

import dev.engineionio.EngineServer;
import dev.engineionio.EngineSocket;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A Socket.IO server (protocol 5, for socket.io-client 3 and 4; protocol 4, for socket.io-client 2 over Engine.IO 3
 * when the engine allows EIO3) on an {@link EngineServer}, as npm {@code socket.io} 4.8 behaves.
 *
 * <pre>{@code
 * SocketIoServer io = SocketIoServer.builder(EngineServer.builder().listen("127.0.0.1", 3000).corsAnyOrigin())
 *         .build();
 * io.of("/").use((socket, next) -> next.proceed())
 *         .onConnection(socket -> socket.on("hello", (args, ack) -> ack.send("hi")));
 * io.start();
 * }</pre>
 *
 * <h2>Options</h2>
 * {@code path} {@value #DEFAULT_PATH} (set on the engine), {@code connectTimeout} 45000 ms (a client that has
 * connected no namespace by then is closed), {@code maxAttachments} {@value SocketIoParser#DEFAULT_MAX_ATTACHMENTS}
 * per binary packet, JSON nesting {@value Json#DEFAULT_MAX_DEPTH}, {@code connectionStateRecovery} off (when on:
 * {@code maxDisconnectionDuration} 120000 ms, {@code skipMiddlewares} true), and the {@link Adapter} factory
 * ({@link InMemoryAdapter}; {@link SessionAwareAdapter} with connection-state recovery). Packet size is bounded by
 * the engine's {@code maxHttpBufferSize}.
 *
 * <h2>Threads</h2>
 * Every public method may be called from any thread. Each client lives on the event loop of its Engine.IO session;
 * namespaces and adapters are shared by all loops and synchronize themselves. See {@link SocketIoSocket}.
 *
 * <h2>Not implemented (yet)</h2>
 * {@code serverSideEmit}, a pluggable JSON codec, the msgpack parser, and the {@code compress} flag acting on the
 * engine's per-message deflate (the flag is carried but changes nothing).
 */
public final class SocketIoServer implements AutoCloseable {

    static final System.Logger LOG = System.getLogger(SocketIoServer.class.getName());

    /** The default path. */
    public static final String DEFAULT_PATH = "/socket.io";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final EngineServer engine;
    private final Duration connectTimeout;
    private final int maxAttachments;
    private final int maxDepth;
    private final Function<Namespace, Adapter> adapterFactory;
    private final Duration maxDisconnection;
    private final boolean skipMiddlewares;
    private final Map<String, Namespace> nsps = new ConcurrentHashMap<>();
    private final List<Map.Entry<Predicate<String>, Namespace>> parents = new CopyOnWriteArrayList<>();
    private final Map<EngineSocket, Client> clients = new ConcurrentHashMap<>();

    private SocketIoServer(Builder b) {
        this.connectTimeout = b.connectTimeout;
        this.maxAttachments = b.maxAttachments;
        this.maxDepth = b.maxDepth;
        this.maxDisconnection = b.maxDisconnection;
        this.skipMiddlewares = b.skipMiddlewares;
        this.adapterFactory = b.adapterFactory != null ? b.adapterFactory
                : b.maxDisconnection != null ? SessionAwareAdapter::new : InMemoryAdapter::new;
        this.engine = b.engine.path(b.path).onConnection(this::onEngineConnection).build();
        of("/");
    }

    /**
     * A builder on an engine builder (listen addresses, CORS, heartbeat and the other Engine.IO options are set
     * there; its {@code path} and {@code onConnection} are set by {@link Builder#build()}).
     *
     * @param engine the Engine.IO server's builder
     * @return a new builder
     */
    public static Builder builder(EngineServer.Builder engine) {
        return new Builder(engine);
    }

    /**
     * Starts the Engine.IO server. Any thread.
     *
     * @return this server
     * @throws IOException if an address cannot be bound
     */
    public SocketIoServer start() throws IOException {
        engine.start();
        return this;
    }

    /**
     * The Engine.IO server under this one.
     *
     * @return the engine
     */
    public EngineServer engine() {
        return engine;
    }

    /**
     * The bound port (see {@link EngineServer#port()}).
     *
     * @return the port
     */
    public int port() {
        return engine.port();
    }

    /**
     * The namespace of this name, made on first use (the reference's {@code io.of(name)}).
     *
     * @param name the name; {@code /} is added in front when missing
     * @return the namespace
     */
    public Namespace of(String name) {
        String n = name.startsWith("/") ? name : "/" + name;
        return nsps.computeIfAbsent(n, k -> new Namespace(this, k, null));
    }

    /**
     * A dynamic namespace: every name the predicate accepts gets a namespace on the first CONNECT to it, sharing
     * the returned parent's middlewares and connection listeners (the reference's {@code io.of(regex | function)}).
     *
     * @param names which names
     * @return the parent namespace (use it for {@code use} and {@code onConnection})
     */
    public Namespace of(Predicate<String> names) {
        Namespace parent = new Namespace(this, "/_" + parents.size(), null);
        parents.add(Map.entry(names, parent));
        return parent;
    }

    /**
     * A dynamic namespace by a regular expression matched against the whole name.
     *
     * @param names the pattern
     * @return the parent namespace
     */
    public Namespace of(Pattern names) {
        return of(n -> names.matcher(n).matches());
    }

    /** The namespace for a CONNECT: an existing one, or a new child of a matching parent, or null. */
    Namespace namespaceFor(String name) {
        Namespace n = nsps.get(name);
        if (n != null) {
            return n;
        }
        for (Map.Entry<Predicate<String>, Namespace> e : parents) {
            if (e.getKey().test(name)) {
                return nsps.computeIfAbsent(name, k -> new Namespace(this, k, e.getValue()));
            }
        }
        return null;
    }

    /**
     * The main namespace, {@code /}.
     *
     * @return the namespace
     */
    public Namespace sockets() {
        return of("/");
    }

    /**
     * Adds a middleware to {@code /}.
     *
     * @param middleware the middleware
     * @return this server
     */
    public SocketIoServer use(Middleware middleware) {
        sockets().use(middleware);
        return this;
    }

    /**
     * Adds a connection listener to {@code /}.
     *
     * @param listener the listener
     * @return this server
     */
    public SocketIoServer onConnection(java.util.function.Consumer<SocketIoSocket> listener) {
        sockets().onConnection(listener);
        return this;
    }

    /**
     * Targets a room of {@code /}.
     *
     * @param room the room
     * @return a broadcast operator
     */
    public BroadcastOperator to(String room) {
        return sockets().to(room);
    }

    /**
     * Sends an event to every socket of {@code /}.
     *
     * @param event the event
     * @param args  the arguments
     */
    public void emit(String event, Object... args) {
        sockets().emit(event, args);
    }

    /**
     * {@link #close(java.time.Duration) close} with the Engine.IO server's {@code shutdownGrace} (default 5 s).
     */
    @Override
    public void close() {
        close(null);
    }

    /**
     * As the reference's {@code io.close()}: disconnects every socket on the server side (its disconnect listeners
     * hear {@code server shutting down}; the client is sent no packet), closes the adapters, then closes the
     * Engine.IO server with {@code grace} ({@link EngineServer#close(java.time.Duration)}: each client's connection closes after
     * what it still has queued; the client sees the transport close). Idempotent; any thread.
     *
     * @param grace time the connections get to close, or {@code null} for the engine's {@code shutdownGrace}
     * @throws IllegalArgumentException if {@code grace} is negative
     */
    public void close(java.time.Duration grace) {
        if (grace != null && grace.isNegative()) {
            throw new IllegalArgumentException("duration must be zero or more: " + grace);
        }
        for (Client c : clients.values()) {
            c.engine().execute(c::shutDown);
        }
        for (Namespace n : nsps.values()) {
            n.adapter().close();
        }
        if (grace == null) {
            engine.close();
        } else {
            engine.close(grace);
        }
    }

    private void onEngineConnection(EngineSocket conn) {
        Client c = new Client(this, conn);
        clients.put(conn, c);
        conn.onClose((r, d) -> clients.remove(conn));
        c.setup();
    }

    Duration connectTimeout() {
        return connectTimeout;
    }

    int maxAttachments() {
        return maxAttachments;
    }

    int maxDepth() {
        return maxDepth;
    }

    /** The recovery window; {@code null} when connection-state recovery is off. */
    Duration maxDisconnection() {
        return maxDisconnection;
    }

    boolean recoveryEnabled() {
        return maxDisconnection != null;
    }

    boolean skipMiddlewares() {
        return skipMiddlewares;
    }

    Function<Namespace, Adapter> adapterFactory() {
        return adapterFactory;
    }

    /** The reference's {@code base64id.generateId()}: 15 random bytes, 20 URL-safe base64 characters. */
    static String generateId() {
        byte[] b = new byte[15];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().encodeToString(b);
    }

    /**
     * Socket.IO options; single-threaded.
     */
    public static final class Builder {
        private final EngineServer.Builder engine;
        private String path = DEFAULT_PATH;
        private Duration connectTimeout = Duration.ofSeconds(45);
        private int maxAttachments = SocketIoParser.DEFAULT_MAX_ATTACHMENTS;
        private int maxDepth = Json.DEFAULT_MAX_DEPTH;
        private Function<Namespace, Adapter> adapterFactory;
        private Duration maxDisconnection;
        private boolean skipMiddlewares = true;

        private Builder(EngineServer.Builder engine) {
            this.engine = engine;
        }

        /**
         * The path of the Engine.IO endpoint (default {@value #DEFAULT_PATH}).
         *
         * @param p the path
         * @return this builder
         */
        public Builder path(String p) {
            this.path = p;
            return this;
        }

        /**
         * How long a client may stay connected to no namespace before it is closed (default 45 s).
         *
         * @param d the duration, positive
         * @return this builder
         */
        public Builder connectTimeout(Duration d) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("connectTimeout must be positive: " + d);
            }
            this.connectTimeout = d;
            return this;
        }

        /**
         * The most attachments a binary packet may announce (default
         * {@value SocketIoParser#DEFAULT_MAX_ATTACHMENTS}); more closes the connection.
         *
         * @param n at least 1
         * @return this builder
         */
        public Builder maxAttachments(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxAttachments < 1: " + n);
            }
            this.maxAttachments = n;
            return this;
        }

        /**
         * The deepest JSON nesting accepted in a packet (default {@value Json#DEFAULT_MAX_DEPTH}); deeper closes the
         * connection.
         *
         * @param n at least 1
         * @return this builder
         */
        public Builder maxDepth(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("maxDepth < 1: " + n);
            }
            this.maxDepth = n;
            return this;
        }

        /**
         * Turns on connection-state recovery with the reference's defaults: {@code maxDisconnectionDuration} 2
         * minutes, {@code skipMiddlewares} true. See {@link #connectionStateRecovery(Duration, boolean)}.
         *
         * @return this builder
         */
        public Builder connectionStateRecovery() {
            return connectionStateRecovery(Duration.ofMinutes(2), true);
        }

        /**
         * Turns on connection-state recovery (the reference's {@code connectionStateRecovery}, socket.io 4.6+): a
         * socket that leaves for a recoverable reason ({@code transport error}, {@code transport close},
         * {@code forced close}, {@code ping timeout}, {@code server shutting down}, {@code forced server close}) is
         * kept by its namespace's adapter; a client that reconnects within {@code maxDisconnectionDuration} with its
         * private id and last offset gets the same id, its rooms, its {@link SocketIoSocket#data()} and every packet
         * broadcast to those rooms meanwhile, and {@link SocketIoSocket#recovered()} is true. Every broadcast
         * (and every {@code emit} without acknowledgement) is then kept that long, with its offset as last argument.
         * The default adapter becomes {@link SessionAwareAdapter}.
         *
         * @param maxDisconnectionDuration how long a state and a packet are kept; positive
         * @param skipMiddlewares          whether a recovered socket skips the namespace's middlewares
         * @return this builder
         */
        public Builder connectionStateRecovery(Duration maxDisconnectionDuration, boolean skipMiddlewares) {
            if (maxDisconnectionDuration.isNegative() || maxDisconnectionDuration.isZero()) {
                throw new IllegalArgumentException("maxDisconnectionDuration must be positive: "
                        + maxDisconnectionDuration);
            }
            this.maxDisconnection = maxDisconnectionDuration;
            this.skipMiddlewares = skipMiddlewares;
            return this;
        }

        /**
         * The adapter of each namespace (default {@link InMemoryAdapter}, or {@link SessionAwareAdapter} with
         * connection-state recovery).
         *
         * @param factory makes the adapter of a namespace
         * @return this builder
         */
        public Builder adapter(Function<Namespace, Adapter> factory) {
            this.adapterFactory = factory;
            return this;
        }

        /**
         * Builds the Engine.IO server with this server's path and connection handler, and this server on it (not
         * started).
         *
         * @return the server
         */
        public SocketIoServer build() {
            return new SocketIoServer(this);
        }
    }
}
