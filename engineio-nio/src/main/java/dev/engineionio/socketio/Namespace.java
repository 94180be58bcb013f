package dev.engineionio.socketio;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A Socket.IO namespace ({@code io.of("/chat")}): its middlewares, its connected sockets, its rooms (the
 * {@link Adapter}) and broadcasts to them. A namespace made by a dynamic pattern ({@link SocketIoServer#of(
 * java.util.function.Predicate)}) shares its parent's middlewares and connection listeners.
 *
 * <p>Threads: every method may be called from any thread. Middlewares and connection listeners run on the event
 * loop of the connecting socket.
 */
public final class Namespace {

    private final SocketIoServer server;
    private final String name;
    private final Namespace parent;
    private final Adapter adapter;
    private final Map<String, SocketIoSocket> sockets = new ConcurrentHashMap<>();
    private final List<Middleware> middlewares;
    private final List<Consumer<SocketIoSocket>> connectionListeners;
    private final AtomicLong ids = new AtomicLong();

    Namespace(SocketIoServer server, String name, Namespace parent) {
        this.server = server;
        this.name = name;
        this.parent = parent;
        this.middlewares = parent != null ? parent.middlewares : new CopyOnWriteArrayList<>();
        this.connectionListeners = parent != null ? parent.connectionListeners : new CopyOnWriteArrayList<>();
        this.adapter = server.adapterFactory().apply(this);
    }

    /**
     * The name ({@code /}, {@code /chat}).
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The server.
     *
     * @return the server
     */
    public SocketIoServer server() {
        return server;
    }

    /**
     * The rooms and broadcasts of this namespace.
     *
     * @return the adapter
     */
    public Adapter adapter() {
        return adapter;
    }

    /**
     * Adds a middleware, run for each connecting socket after those added before.
     *
     * @param middleware the middleware
     * @return this namespace
     */
    public Namespace use(Middleware middleware) {
        middlewares.add(middleware);
        return this;
    }

    /**
     * Adds a listener for connected sockets (the {@code connection} event): called on the socket's loop after the
     * client got its CONNECT packet.
     *
     * @param listener the listener
     * @return this namespace
     */
    public Namespace onConnection(Consumer<SocketIoSocket> listener) {
        connectionListeners.add(listener);
        return this;
    }

    /**
     * The connected sockets by id.
     *
     * @return an unmodifiable live view
     */
    public Map<String, SocketIoSocket> sockets() {
        return Collections.unmodifiableMap(sockets);
    }

    SocketIoSocket socket(String id) {
        return sockets.get(id);
    }

    long nextAckId() {
        return ids.getAndIncrement();
    }

    /**
     * Targets a room.
     *
     * @param room the room
     * @return a broadcast operator
     */
    public BroadcastOperator to(String room) {
        return all().to(room);
    }

    /**
     * The same as {@link #to}.
     *
     * @param room the room
     * @return a broadcast operator
     */
    public BroadcastOperator in(String room) {
        return all().to(room);
    }

    /**
     * Targets every socket except those of a room.
     *
     * @param room the room
     * @return a broadcast operator
     */
    public BroadcastOperator except(String room) {
        return all().except(room);
    }

    /**
     * Every socket, with the {@code volatile} flag ({@link BroadcastOperator#volatileFlag()}).
     *
     * @return a broadcast operator
     */
    public BroadcastOperator volatileFlag() {
        return all().volatileFlag();
    }

    /**
     * Every socket, with the {@code compress} flag (carried only: {@link BroadcastOperator#compress(boolean)}).
     *
     * @param compress whether the data may be compressed
     * @return a broadcast operator
     */
    public BroadcastOperator compress(boolean compress) {
        return all().compress(compress);
    }

    /**
     * Every socket of this server only ({@link BroadcastOperator#local()}).
     *
     * @return a broadcast operator
     */
    public BroadcastOperator local() {
        return all().local();
    }

    private BroadcastOperator all() {
        return new BroadcastOperator(this, Set.of(), Set.of());
    }

    /**
     * Sends an event to every socket of the namespace.
     *
     * @param event the event
     * @param args  the arguments
     */
    public void emit(String event, Object... args) {
        all().emit(event, args);
    }

    /**
     * The sockets of the namespace.
     *
     * @return a snapshot
     */
    public List<SocketIoSocket> fetchSockets() {
        return all().fetchSockets();
    }

    /**
     * Makes every socket join a room.
     *
     * @param room the room
     */
    public void socketsJoin(String room) {
        all().socketsJoin(room);
    }

    /**
     * Makes every socket leave a room.
     *
     * @param room the room
     */
    public void socketsLeave(String room) {
        all().socketsLeave(room);
    }

    /**
     * Disconnects every socket.
     *
     * @param close whether to close the connections too
     */
    public void disconnectSockets(boolean close) {
        all().disconnectSockets(close);
    }

    // ------------------------------------------------------------------------------------------ connecting (loop)

    /** The reference's {@code _add}: middlewares, then connect or CONNECT_ERROR; on the client's loop. */
    void add(Client client, Map<String, Object> auth, Consumer<SocketIoSocket> onConnected) {
        Object pid = auth.get("pid");
        Object offset = auth.get("offset");
        if (server.recoveryEnabled() && pid instanceof String && offset instanceof String) {
            // the reference's _createSocket: try to restore the state kept for this private id
            java.util.concurrent.CompletableFuture<PersistedSession> restored;
            try {
                restored = adapter.restoreSession((String) pid, (String) offset);
            } catch (RuntimeException e) {
                SocketIoServer.LOG.log(System.Logger.Level.WARNING, "restoreSession threw", e);
                restored = java.util.concurrent.CompletableFuture.completedFuture(null);
            }
            restored.whenComplete((session, error) -> client.engine().execute(
                    () -> create(client, auth, error == null ? session : null, onConnected)));
            return;
        }
        create(client, auth, null, onConnected);
    }

    private void create(Client client, Map<String, Object> auth, PersistedSession previous,
                        Consumer<SocketIoSocket> onConnected) {
        SocketIoSocket socket = new SocketIoSocket(this, client, auth, previous);
        if (server.skipMiddlewares() && socket.recovered() && client.isOpen()) {
            finish(socket, client, onConnected, null, null, false);
            return;
        }
        List<Middleware> fns = List.copyOf(middlewares);
        run(fns, 0, socket, client, onConnected);
    }

    private void run(List<Middleware> fns, int i, SocketIoSocket socket, Client client,
                     Consumer<SocketIoSocket> onConnected) {
        if (i == fns.size()) {
            finish(socket, client, onConnected, null, null, false);
            return;
        }
        AtomicBoolean called = new AtomicBoolean();
        Middleware.Next next = new Middleware.Next() {
            @Override
            public void proceed() {
                if (called.compareAndSet(false, true)) {
                    client.engine().execute(() -> run(fns, i + 1, socket, client, onConnected));
                }
            }

            @Override
            public void fail(String message, Object data) {
                if (called.compareAndSet(false, true)) {
                    client.engine().execute(() -> finish(socket, client, onConnected, message, data, true));
                }
            }
        };
        try {
            fns.get(i).handle(socket, next);
        } catch (RuntimeException e) {
            next.fail(String.valueOf(e.getMessage()), null);
        }
    }

    private void finish(SocketIoSocket socket, Client client, Consumer<SocketIoSocket> onConnected, String message,
                        Object data, boolean failed) {
        if (!client.isOpen()) {
            socket.cleanup();
            return;
        }
        if (failed) {
            socket.cleanup();
            Object payload;
            if (client.protocol() == 3) {
                payload = data != null ? data : message;
            } else {
                Map<String, Object> m = new java.util.LinkedHashMap<>();
                m.put("message", message);
                if (data != null) {
                    m.put("data", data);
                }
                payload = m;
            }
            socket.packet(new SocketIoPacket(PacketType.CONNECT_ERROR, name, SocketIoPacket.NO_ID, payload));
            return;
        }
        sockets.put(socket.id(), socket);
        socket.onConnect();
        onConnected.accept(socket);
        for (Consumer<SocketIoSocket> l : connectionListeners) {
            try {
                l.accept(socket);
            } catch (RuntimeException e) {
                SocketIoServer.LOG.log(System.Logger.Level.WARNING, "connection listener threw", e);
            }
        }
    }

    void remove(SocketIoSocket socket) {
        sockets.remove(socket.id(), socket);
    }

    Namespace parent() {
        return parent;
    }

    @Override
    public String toString() {
        return "Namespace[" + name + "]";
    }
}
