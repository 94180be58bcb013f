package dev.engineionio.socketio;

import dev.engineionio.EngineSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A broadcast target (the reference's {@code BroadcastOperator}): a namespace's sockets in some rooms, less some
 * rooms. Immutable: {@link #to}, {@link #except} return new operators. Any thread.
 *
 * <pre>{@code
 * io.of("/").to("room1").except("room2").emit("news", "hello");
 * socket.broadcast().emit("joined", socket.id());   // everyone but socket
 * }</pre>
 */
public final class BroadcastOperator {

    private final Namespace nsp;
    private final BroadcastOptions opts;

    BroadcastOperator(Namespace nsp, Set<String> rooms, Set<String> except) {
        this(nsp, new BroadcastOptions(rooms, except));
    }

    private BroadcastOperator(Namespace nsp, BroadcastOptions opts) {
        this.nsp = nsp;
        this.opts = opts;
    }

    private static Set<String> plus(Set<String> s, String room) {
        Set<String> n = new LinkedHashSet<>(s);
        n.add(room);
        return Collections.unmodifiableSet(n);
    }

    /**
     * Targets a room too (the union of the rooms is reached).
     *
     * @param room the room
     * @return a new operator
     */
    public BroadcastOperator to(String room) {
        return new BroadcastOperator(nsp, new BroadcastOptions(plus(opts.rooms(), room), opts.except(),
                opts.volatileFlag(), opts.compress(), opts.local()));
    }

    /**
     * The same as {@link #to}.
     *
     * @param room the room
     * @return a new operator
     */
    public BroadcastOperator in(String room) {
        return to(room);
    }

    /**
     * Excludes the sockets of a room.
     *
     * @param room the room
     * @return a new operator
     */
    public BroadcastOperator except(String room) {
        return new BroadcastOperator(nsp, new BroadcastOptions(opts.rooms(), plus(opts.except(), room),
                opts.volatileFlag(), opts.compress(), opts.local()));
    }

    /**
     * Sets the {@code volatile} flag (the reference's {@code io.volatile}): a recipient whose transport cannot take a
     * write at that moment ({@link EngineSocket#isWritable()}, checked on its loop) does not get the event, and
     * connection-state recovery does not keep it for missed-packet replay.
     *
     * @return a new operator
     */
    public BroadcastOperator volatileFlag() {
        return new BroadcastOperator(nsp, new BroadcastOptions(opts.rooms(), opts.except(), true, opts.compress(),
                opts.local()));
    }

    /**
     * Sets the {@code compress} flag (the reference's {@code compress(boolean)}; true by default). Honestly: the flag
     * is only carried to the adapter and to {@link SocketIoSocket#writeEncoded(SocketIoParser.Encoded,
     * BroadcastOptions)}; {@link EngineSocket} has no per-message compression switch, so the engine's
     * {@code perMessageDeflate} (when on) compresses by its threshold whatever the flag says.
     *
     * @param compress whether the data may be compressed
     * @return a new operator
     */
    public BroadcastOperator compress(boolean compress) {
        return new BroadcastOperator(nsp, new BroadcastOptions(opts.rooms(), opts.except(), opts.volatileFlag(),
                compress, opts.local()));
    }

    /**
     * Sets the {@code local} flag (the reference's {@code io.local}): only the sockets of this server. The default
     * in-memory adapter knows no other server, so every broadcast is local; the flag reaches the adapter
     * ({@link BroadcastOptions#local()}) for a cluster adapter to honour.
     *
     * @return a new operator
     */
    public BroadcastOperator local() {
        return new BroadcastOperator(nsp, new BroadcastOptions(opts.rooms(), opts.except(), opts.volatileFlag(),
                opts.compress(), true));
    }

    BroadcastOptions options() {
        return opts;
    }

    /**
     * Sends an event to every selected socket; the packet is encoded once for all.
     *
     * @param event the event name (not a reserved one: {@code connect}, {@code disconnect}, ...)
     * @param args  the arguments ({@link Json} values, {@code byte[]} for binary)
     * @throws IllegalArgumentException for a reserved event name
     */
    public void emit(String event, Object... args) {
        SocketIoSocket.checkEvent(event);
        List<Object> data = new ArrayList<>(args.length + 1);
        data.add(event);
        Collections.addAll(data, args);
        nsp.adapter().broadcast(new SocketIoPacket(PacketType.EVENT, nsp.name(), SocketIoPacket.NO_ID, data),
                options());
    }

    /**
     * Sends an event to every selected socket and collects their acknowledgements (the reference's
     * {@code timeout(ms).emitWithAck(...)} on a broadcast). The timeout runs on the event loop of one of the server's
     * sessions.
     *
     * @param timeout how long to wait for every acknowledgement
     * @param event   the event name
     * @param args    the arguments
     * @return the first argument of each client's acknowledgement, in arrival order, once every recipient answered
     *         (at once with an empty list when none was reached); completes exceptionally with an
     *         {@link AckTimeoutException} carrying the responses received when some did not answer in time
     */
    public CompletableFuture<List<Object>> emitWithAck(Duration timeout, String event, Object... args) {
        SocketIoSocket.checkEvent(event);
        List<Object> data = new ArrayList<>(args.length + 1);
        data.add(event);
        Collections.addAll(data, args);
        CompletableFuture<List<Object>> f = new CompletableFuture<>();
        List<Object> responses = new ArrayList<>();
        int[] expected = {-1};
        AtomicBoolean done = new AtomicBoolean();
        EngineSocket.Timer[] timer = new EngineSocket.Timer[1];
        Runnable check = () -> {
            List<Object> copy = null;
            synchronized (responses) {
                if (expected[0] >= 0 && responses.size() >= expected[0] && done.compareAndSet(false, true)) {
                    copy = new ArrayList<>(responses);
                }
            }
            if (copy != null) {
                EngineSocket.Timer t = timer[0];
                if (t != null) {
                    t.cancel();
                }
                f.complete(copy);
            }
        };
        long id = nsp.adapter().broadcastWithAck(
                new SocketIoPacket(PacketType.EVENT, nsp.name(), SocketIoPacket.NO_ID, data), options(),
                count -> {
                    synchronized (responses) {
                        expected[0] = count;
                    }
                    check.run();
                },
                reply -> {
                    synchronized (responses) {
                        responses.add(reply.isEmpty() ? null : reply.get(0));
                    }
                    check.run();
                });
        if (done.get()) {
            return f;
        }
        Runnable expire = () -> {
            if (done.compareAndSet(false, true)) {
                for (SocketIoSocket s : nsp.sockets().values()) {
                    s.forgetAck(id);
                }
                synchronized (responses) {
                    f.completeExceptionally(new AckTimeoutException(responses));
                }
            }
        };
        java.util.Iterator<EngineSocket> any = nsp.server().engine().clients().values().iterator();
        if (any.hasNext()) {
            timer[0] = any.next().schedule(timeout, expire);
            if (done.get()) {
                timer[0].cancel();
            }
        } else {
            expire.run(); // recipients but no session left to time on: they are gone
        }
        return f;
    }

    /**
     * The selected sockets of this server.
     *
     * @return a snapshot
     */
    public List<SocketIoSocket> fetchSockets() {
        return nsp.adapter().fetchSockets(options());
    }

    /**
     * Makes the selected sockets join a room.
     *
     * @param room the room
     */
    public void socketsJoin(String room) {
        for (SocketIoSocket s : fetchSockets()) {
            s.join(room);
        }
    }

    /**
     * Makes the selected sockets leave a room.
     *
     * @param room the room
     */
    public void socketsLeave(String room) {
        for (SocketIoSocket s : fetchSockets()) {
            s.leave(room);
        }
    }

    /**
     * Disconnects the selected sockets ({@link SocketIoSocket#disconnect}).
     *
     * @param close whether to close their connections too
     */
    public void disconnectSockets(boolean close) {
        for (SocketIoSocket s : fetchSockets()) {
            s.disconnect(close);
        }
    }
}
