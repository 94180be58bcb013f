package dev.engineionio.socketio;

import dev.engineionio.EngineSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One client's connection to one namespace (the reference's server-side {@code Socket}).
 *
 * <h2>Threads</h2>
 * A socket lives on the event loop of its Engine.IO session: every listener ({@link #on}, {@link #onAny},
 * {@link #onDisconnecting}, {@link #onDisconnect}) runs there, one at a time, in wire order. {@link #emit},
 * {@link #emitWithAck}, {@link #join}, {@link #leave}, {@link #disconnect}, the broadcast operators and the listener
 * registrations may be called from any thread: emitted packets are encoded on the calling thread and queued to the
 * loop; packets emitted by one thread keep their order. {@link #disconnect} runs on the loop (queued when called
 * elsewhere).
 */
public final class SocketIoSocket {

    private static final DateTimeFormatter JS_DATE =
            DateTimeFormatter.ofPattern("EEE MMM dd yyyy HH:mm:ss 'GMT+0000 (Coordinated Universal Time)'",
                    Locale.ROOT).withZone(ZoneOffset.UTC);

    private static final Ack NO_ACK = new Ack() {
        @Override
        public boolean isRequested() {
            return false;
        }

        @Override
        public void send(Object... args) {
        }
    };

    private final Namespace nsp;
    private final Client client;
    private final String id;
    private final Handshake handshake;
    private final Map<Long, Consumer<List<Object>>> acks = new ConcurrentHashMap<>();
    private final Map<String, List<EventListener>> listeners = new ConcurrentHashMap<>();
    private final List<AnyListener> anyListeners = new CopyOnWriteArrayList<>();
    private final List<AnyListener> anyOutgoingListeners = new CopyOnWriteArrayList<>();
    private final List<DisconnectListener> disconnectingListeners = new CopyOnWriteArrayList<>();
    private final List<DisconnectListener> disconnectListeners = new CopyOnWriteArrayList<>();
    private final List<Consumer<String>> errorListeners = new CopyOnWriteArrayList<>();
    private final List<PacketMiddleware> middlewares = new CopyOnWriteArrayList<>();
    private volatile boolean connected;
    private volatile boolean cleanedUp;
    private volatile Object data;
    private final String pid;
    private final boolean recovered;

    /** The reasons after which connection-state recovery keeps the socket's state (the reference's list). */
    static final Set<String> RECOVERABLE_DISCONNECT_REASONS = Set.of("transport error", "transport close",
            "forced close", "ping timeout", "server shutting down", "forced server close");

    SocketIoSocket(Namespace nsp, Client client, Map<String, Object> auth, PersistedSession previous) {
        this.nsp = nsp;
        this.client = client;
        EngineSocket es = client.engine();
        if (previous != null) {
            this.id = previous.sid();
            this.pid = previous.pid();
        } else {
            if (es.protocol() == 3) {
                this.id = "/".equals(nsp.name()) ? es.id() : nsp.name() + "#" + es.id();
            } else {
                this.id = SocketIoServer.generateId();
            }
            this.pid = nsp.server().recoveryEnabled() ? SocketIoServer.generateId() : null;
        }
        Map<String, List<String>> headers = es.handshakeHeaders();
        long now = System.currentTimeMillis(); // wall-clock metadata for the application, not a timer
        this.handshake = new Handshake(headers, JS_DATE.format(Instant.ofEpochMilli(now)), es.remoteIp(),
                headers.containsKey("origin"), false, now, es.handshakeUrl(), es.handshakeQuery(),
                Collections.unmodifiableMap(auth));
        if (previous != null) {
            // as the reference's constructor: rooms, data, then the missed packets (written before the CONNECT; the
            // client delivers them once connected)
            nsp.adapter().addAll(id, previous.rooms());
            this.data = previous.data();
            for (List<Object> missed : previous.missedPackets()) {
                packet(new SocketIoPacket(PacketType.EVENT, nsp.name(), SocketIoPacket.NO_ID, missed));
            }
            this.recovered = true;
        } else {
            this.recovered = false;
        }
    }

    /**
     * Whether this socket is a recovered one (connection-state recovery): same id, rooms and data as before a
     * temporary disconnection, the missed packets sent.
     *
     * @return true when recovered
     */
    public boolean recovered() {
        return recovered;
    }

    /**
     * The socket id: 20 random URL-safe characters, not the Engine.IO session id (protocol 4: the session id, with
     * {@code <nsp>#} before it outside {@code /}, as the reference).
     *
     * @return the id
     */
    public String id() {
        return id;
    }

    /**
     * The namespace.
     *
     * @return the namespace
     */
    public Namespace nsp() {
        return nsp;
    }

    /**
     * The connection details.
     *
     * @return the handshake
     */
    public Handshake handshake() {
        return handshake;
    }

    /**
     * The Engine.IO session under this socket (shared by the client's sockets of every namespace).
     *
     * @return the session
     */
    public EngineSocket conn() {
        return client.engine();
    }

    /**
     * The application's object for this socket (the reference's {@code socket.data}).
     *
     * @return the object, or null
     */
    public Object data() {
        return data;
    }

    /**
     * Sets the application's object. Any thread.
     *
     * @param value the object
     */
    public void data(Object value) {
        this.data = value;
    }

    /**
     * Whether the socket is connected to its namespace.
     *
     * @return true while connected
     */
    public boolean connected() {
        return connected;
    }

    /**
     * The rooms of the socket (its own id room included).
     *
     * @return a snapshot
     */
    public Set<String> rooms() {
        return nsp.adapter().socketRooms(id);
    }

    // ------------------------------------------------------------------------------------------ listeners

    /**
     * Adds a listener for an event.
     *
     * @param event    the event name
     * @param listener the listener
     * @return this socket
     */
    public SocketIoSocket on(String event, EventListener listener) {
        listeners.computeIfAbsent(event, k -> new CopyOnWriteArrayList<>()).add(listener);
        return this;
    }

    /**
     * Removes a listener added by {@link #on}.
     *
     * @param event    the event name
     * @param listener the listener
     * @return this socket
     */
    public SocketIoSocket off(String event, EventListener listener) {
        List<EventListener> l = listeners.get(event);
        if (l != null) {
            l.remove(listener);
        }
        return this;
    }

    /**
     * Adds a socket middleware, run for each incoming event after those added before (the reference's
     * {@code socket.use}).
     *
     * @param middleware the middleware
     * @return this socket
     */
    public SocketIoSocket use(PacketMiddleware middleware) {
        middlewares.add(middleware);
        return this;
    }

    /**
     * Adds a listener for every incoming event, called before the event's own listeners.
     *
     * @param listener the listener
     * @return this socket
     */
    public SocketIoSocket onAny(AnyListener listener) {
        anyListeners.add(listener);
        return this;
    }

    /**
     * Adds a listener for every incoming event, before the others added with {@link #onAny}.
     *
     * @param listener the listener
     * @return this socket
     */
    public SocketIoSocket prependAny(AnyListener listener) {
        anyListeners.add(0, listener);
        return this;
    }

    /**
     * Removes a listener added by {@link #onAny} (every one when null).
     *
     * @param listener the listener, or null
     * @return this socket
     */
    public SocketIoSocket offAny(AnyListener listener) {
        if (listener == null) {
            anyListeners.clear();
        } else {
            anyListeners.remove(listener);
        }
        return this;
    }

    /**
     * Adds a listener for every event this socket sends (emits and broadcasts that reach it).
     *
     * @param listener the listener
     * @return this socket
     */
    public SocketIoSocket onAnyOutgoing(AnyListener listener) {
        anyOutgoingListeners.add(listener);
        return this;
    }

    /**
     * Adds a listener for {@code disconnecting}: the socket is leaving, still in its rooms.
     *
     * @param listener the listener
     * @return this socket
     */
    public SocketIoSocket onDisconnecting(DisconnectListener listener) {
        disconnectingListeners.add(listener);
        return this;
    }

    /**
     * Adds a listener for {@code disconnect}: the socket has left.
     *
     * @param listener the listener
     * @return this socket
     */
    public SocketIoSocket onDisconnect(DisconnectListener listener) {
        disconnectListeners.add(listener);
        return this;
    }

    /**
     * Adds a listener for {@code error}: the client's messages could not be decoded (the connection then closes), or
     * a socket middleware refused an event (the connection lives).
     *
     * @param listener called with the parser's error message, or the middleware's
     * @return this socket
     */
    public SocketIoSocket onError(Consumer<String> listener) {
        errorListeners.add(listener);
        return this;
    }

    // ------------------------------------------------------------------------------------------ emitting

    static void checkEvent(String event) {
        if (event == null) {
            throw new NullPointerException("event");
        }
        if (SocketIoParser.RESERVED_EVENTS.contains(event)) {
            throw new IllegalArgumentException("\"" + event + "\" is a reserved event name");
        }
    }

    /**
     * Sends an event to this client. When the last argument is an {@link AckCallback}, it is not sent but called
     * with the client's acknowledgement (no timeout: see {@link #emitWithAck}).
     *
     * @param event the event name (not reserved)
     * @param args  the arguments ({@link Json} values, {@code byte[]} for binary)
     * @throws IllegalArgumentException for a reserved event name
     * @throws JsonException            if an argument has no JSON form
     */
    public void emit(String event, Object... args) {
        int n = args.length;
        Consumer<List<Object>> ack = null;
        if (n > 0 && args[n - 1] instanceof AckCallback) {
            ack = ((AckCallback) args[n - 1])::onAck;
            n--;
        }
        emitPacket(event, args, n, ack, DEFAULT_FLAGS);
    }

    private static final BroadcastOptions DEFAULT_FLAGS = new BroadcastOptions(Set.of(), Set.of());

    /**
     * Emits with the {@code volatile} flag (the reference's {@code socket.volatile.emit}): the event is dropped when
     * the client's transport cannot take a write at that moment ({@link EngineSocket#isWritable()}, checked on the
     * socket's loop), and connection-state recovery does not keep it.
     *
     * @return an emitter with the flag
     */
    public Emitter volatileFlag() {
        return new Emitter(new BroadcastOptions(Set.of(), Set.of(), true, true, false));
    }

    /**
     * Emits with the {@code compress} flag (the reference's {@code socket.compress(false).emit}). Honestly: the flag
     * is carried only; the engine's {@code perMessageDeflate} (when on) compresses by its threshold whatever it says.
     *
     * @param compress whether the data may be compressed
     * @return an emitter with the flag
     */
    public Emitter compress(boolean compress) {
        return new Emitter(new BroadcastOptions(Set.of(), Set.of(), false, compress, false));
    }

    /**
     * {@link #emit} with flags ({@link #volatileFlag()}, {@link #compress(boolean)}). Immutable; any thread.
     */
    public final class Emitter {
        private final BroadcastOptions flags;

        private Emitter(BroadcastOptions flags) {
            this.flags = flags;
        }

        /**
         * Adds the {@code volatile} flag.
         *
         * @return a new emitter
         */
        public Emitter volatileFlag() {
            return new Emitter(new BroadcastOptions(Set.of(), Set.of(), true, flags.compress(), false));
        }

        /**
         * Sets the {@code compress} flag (carried only, see {@link SocketIoSocket#compress(boolean)}).
         *
         * @param compress whether the data may be compressed
         * @return a new emitter
         */
        public Emitter compress(boolean compress) {
            return new Emitter(new BroadcastOptions(Set.of(), Set.of(), flags.volatileFlag(), compress, false));
        }

        /**
         * As {@link SocketIoSocket#emit}, with these flags.
         *
         * @param event the event name (not reserved)
         * @param args  the arguments; an {@link AckCallback} last is called with the acknowledgement
         */
        public void emit(String event, Object... args) {
            int n = args.length;
            Consumer<List<Object>> ack = null;
            if (n > 0 && args[n - 1] instanceof AckCallback) {
                ack = ((AckCallback) args[n - 1])::onAck;
                n--;
            }
            emitPacket(event, args, n, ack, flags);
        }
    }

    private long emitPacket(String event, Object[] args, int n, Consumer<List<Object>> ack, BroadcastOptions flags) {
        checkEvent(event);
        List<Object> payload = new ArrayList<>(n + 1);
        payload.add(event);
        for (int i = 0; i < n; i++) {
            payload.add(args[i]);
        }
        long ackId = SocketIoPacket.NO_ID;
        if (ack != null) {
            ackId = nsp.nextAckId();
            acks.put(ackId, ack);
        }
        SocketIoPacket p = new SocketIoPacket(PacketType.EVENT, nsp.name(), ackId, payload);
        if (nsp.server().recoveryEnabled()) {
            // as the reference: through the adapter to the socket's own room, so that the packet is kept
            nsp.adapter().broadcast(p, new BroadcastOptions(Set.of(id), Set.of(), flags.volatileFlag(),
                    flags.compress(), false));
        } else {
            notifyOutgoing(p);
            client.write(SocketIoParser.encode(p), flags.volatileFlag());
        }
        return ackId;
    }

    /**
     * Sends an event and waits for the client's acknowledgement, at most {@code timeout} (the reference's
     * {@code socket.timeout(ms).emitWithAck(...)}). The timeout runs on the socket's loop clock.
     *
     * @param timeout how long to wait
     * @param event   the event name
     * @param args    the arguments
     * @return the acknowledgement's arguments; completes exceptionally with an {@link AckTimeoutException} (a
     *         {@link TimeoutException}: {@code operation has timed out}) when none came in time
     */
    public CompletableFuture<List<Object>> emitWithAck(Duration timeout, String event, Object... args) {
        CompletableFuture<List<Object>> f = new CompletableFuture<>();
        AtomicBoolean done = new AtomicBoolean();
        EngineSocket.Timer[] timer = new EngineSocket.Timer[1];
        long ackId = emitPacket(event, args, args.length, reply -> {
            if (done.compareAndSet(false, true)) {
                EngineSocket.Timer t = timer[0];
                if (t != null) {
                    t.cancel();
                }
                f.complete(reply);
            }
        }, DEFAULT_FLAGS);
        timer[0] = client.engine().schedule(timeout, () -> {
            if (done.compareAndSet(false, true)) {
                acks.remove(ackId);
                f.completeExceptionally(new AckTimeoutException(List.of()));
            }
        });
        return f;
    }

    /**
     * A callback for a client's acknowledgement, given as the last argument of {@link #emit}.
     */
    @FunctionalInterface
    public interface AckCallback {
        /**
         * The client acknowledged.
         *
         * @param args the acknowledgement's arguments
         */
        void onAck(List<Object> args);
    }

    /**
     * Sends a {@code message} event (the reference's {@code send}).
     *
     * @param args the arguments
     */
    public void send(Object... args) {
        emit("message", args);
    }

    /**
     * Targets a room, from this socket: the broadcast excludes this socket.
     *
     * @param room the room
     * @return a broadcast operator
     */
    public BroadcastOperator to(String room) {
        return broadcast().to(room);
    }

    /**
     * The same as {@link #to}.
     *
     * @param room the room
     * @return a broadcast operator
     */
    public BroadcastOperator in(String room) {
        return broadcast().to(room);
    }

    /**
     * Every socket of the namespace except this one and those in {@code room}.
     *
     * @param room the room
     * @return a broadcast operator
     */
    public BroadcastOperator except(String room) {
        return broadcast().except(room);
    }

    /**
     * Every socket of the namespace on this server except this one ({@link BroadcastOperator#local()}).
     *
     * @return a broadcast operator
     */
    public BroadcastOperator local() {
        return broadcast().local();
    }

    /**
     * Every socket of the namespace except this one.
     *
     * @return a broadcast operator
     */
    public BroadcastOperator broadcast() {
        return new BroadcastOperator(nsp, Set.of(), Set.of(id));
    }

    /**
     * Joins a room. Ignored once the socket has disconnected.
     *
     * @param room the room
     * @return this socket
     */
    public SocketIoSocket join(String room) {
        if (!cleanedUp) {
            nsp.adapter().addAll(id, Set.of(room));
        }
        return this;
    }

    /**
     * Leaves a room.
     *
     * @param room the room
     * @return this socket
     */
    public SocketIoSocket leave(String room) {
        nsp.adapter().del(id, room);
        return this;
    }

    /**
     * Disconnects from the namespace: the client gets a DISCONNECT packet and the reason is
     * {@code server namespace disconnect}. With {@code close}, every namespace of the client is disconnected so and
     * the connection is closed. Any thread (runs on the socket's loop).
     *
     * @param close whether to close the connection too
     */
    public void disconnect(boolean close) {
        client.engine().execute(() -> {
            if (!connected) {
                return;
            }
            if (close) {
                client.disconnectAll();
            } else {
                packet(new SocketIoPacket(PacketType.DISCONNECT, nsp.name(), SocketIoPacket.NO_ID, null));
                onClose("server namespace disconnect", null);
            }
        });
    }

    // ------------------------------------------------------------------------------------------ internals

    /**
     * Writes an already-encoded packet to this socket's connection (the adapter's broadcast path: one encoding for
     * every recipient). Dropped once the connection is closed. Any thread.
     *
     * @param encoded the packet
     */
    public void writeEncoded(SocketIoParser.Encoded encoded) {
        client.write(encoded, false);
    }

    /**
     * {@link #writeEncoded(SocketIoParser.Encoded)} with a broadcast's flags: with {@code volatileFlag} the packet is
     * dropped when the transport cannot take a write ({@link EngineSocket#isWritable()}, checked on the socket's
     * loop); {@code compress} changes nothing (the engine has no per-message switch). Any thread.
     *
     * @param encoded the packet
     * @param opts    the broadcast's options (only the flags are read)
     */
    public void writeEncoded(SocketIoParser.Encoded encoded, BroadcastOptions opts) {
        client.write(encoded, opts.volatileFlag());
    }

    void packet(SocketIoPacket p) {
        client.write(SocketIoParser.encode(p), false);
    }

    /** Registers the handler of an acknowledgement id (a broadcast with acknowledgements). */
    void expectAck(long ackId, Consumer<List<Object>> handler) {
        acks.put(ackId, handler);
    }

    /** Forgets an acknowledgement id (its broadcast timed out). */
    void forgetAck(long ackId) {
        acks.remove(ackId);
    }

    void notifyOutgoing(SocketIoPacket p) {
        if (anyOutgoingListeners.isEmpty()) {
            return;
        }
        List<Object> d = p.args();
        if (d.isEmpty()) {
            return;
        }
        String ev = String.valueOf(d.get(0));
        List<Object> rest = d.subList(1, d.size());
        for (AnyListener l : anyOutgoingListeners) {
            l.onEvent(ev, rest, NO_ACK);
        }
    }

    void onConnect() {
        connected = true;
        join(id);
        Object payload = null;
        if (client.protocol() != 3) {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("sid", id);
            if (pid != null) {
                m.put("pid", pid); // connection-state recovery: the private id the client presents to come back
            }
            payload = m;
        }
        packet(new SocketIoPacket(PacketType.CONNECT, nsp.name(), SocketIoPacket.NO_ID, payload));
    }

    /** An incoming packet for this socket; loop. */
    void onPacket(SocketIoPacket p) {
        switch (p.type()) {
            case EVENT:
            case BINARY_EVENT:
                onEvent(p);
                break;
            case ACK:
            case BINARY_ACK:
                Consumer<List<Object>> ack = acks.remove(p.id());
                if (ack != null) {
                    ack.accept(p.args());
                }
                break;
            case DISCONNECT:
                onClose("client namespace disconnect", null);
                break;
            default:
                break;
        }
    }

    private void onEvent(SocketIoPacket p) {
        List<Object> d = p.args();
        if (d.isEmpty()) {
            return; // the reference emits nothing for an EVENT without data
        }
        Object first = d.get(0);
        String event;
        if (first instanceof Number) {
            StringBuilder sb = new StringBuilder();
            Json.number((Number) first, sb);
            event = sb.toString();
        } else {
            event = (String) first;
        }
        List<Object> args = new ArrayList<>(d.subList(1, d.size()));
        Ack ack = p.id() == SocketIoPacket.NO_ID ? NO_ACK : new PacketAck(p.id());
        for (AnyListener l : anyListeners) {
            l.onEvent(event, args, ack);
        }
        run(List.copyOf(middlewares), 0, event, args, ack);
    }

    /** The reference's {@code run}: the socket middlewares in order, then the listeners (if still connected). */
    private void run(List<PacketMiddleware> fns, int i, String event, List<Object> args, Ack ack) {
        if (i == fns.size()) {
            dispatch(event, args, ack);
            return;
        }
        AtomicBoolean called = new AtomicBoolean();
        Middleware.Next next = new Middleware.Next() {
            @Override
            public void proceed() {
                if (called.compareAndSet(false, true)) {
                    client.engine().execute(() -> run(fns, i + 1, event, args, ack));
                }
            }

            @Override
            public void fail(String message, Object data) {
                if (called.compareAndSet(false, true)) {
                    client.engine().execute(() -> onError(message));
                }
            }
        };
        fns.get(i).handle(event, args, next);
    }

    private void dispatch(String event, List<Object> args, Ack ack) {
        if (!connected) {
            return;
        }
        List<EventListener> ls = listeners.get(event);
        if (ls != null) {
            for (EventListener l : ls) {
                l.onEvent(args, ack);
            }
        }
    }

    /** The reference's {@code ack(id)}: sends once. */
    private final class PacketAck implements Ack {
        private final long ackId;
        private final AtomicBoolean sent = new AtomicBoolean();

        PacketAck(long ackId) {
            this.ackId = ackId;
        }

        @Override
        public boolean isRequested() {
            return true;
        }

        @Override
        public void send(Object... args) {
            if (sent.compareAndSet(false, true)) {
                List<Object> l = new ArrayList<>(args.length);
                Collections.addAll(l, args);
                packet(new SocketIoPacket(PacketType.ACK, nsp.name(), ackId, l));
            }
        }
    }

    void onError(String message) {
        for (Consumer<String> l : errorListeners) {
            l.accept(message);
        }
    }

    /** The reference's {@code _onclose}; loop. */
    void onClose(String reason, String description) {
        if (!connected) {
            return;
        }
        for (DisconnectListener l : disconnectingListeners) {
            safe(() -> l.onDisconnect(reason, description));
        }
        if (pid != null && RECOVERABLE_DISCONNECT_REASONS.contains(reason)) {
            nsp.adapter().persistSession(new PersistedSession(id, pid, rooms(), data, List.of()), client.engine());
        }
        cleanup();
        client.remove(this);
        connected = false;
        for (DisconnectListener l : disconnectListeners) {
            safe(() -> l.onDisconnect(reason, description));
        }
    }

    private static void safe(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            SocketIoServer.LOG.log(System.Logger.Level.WARNING, "disconnect listener threw", e);
        }
    }

    void cleanup() {
        nsp.adapter().delAll(id);
        nsp.remove(this);
        cleanedUp = true;
    }

    @Override
    public String toString() {
        return "SocketIoSocket[" + nsp.name() + " " + id + "]";
    }
}
