package dev.engineionio.socketio;

import dev.engineionio.EngineSocket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A namespace's rooms and broadcasts (the reference's {@code Adapter}). One per namespace, made by the factory given
 * to {@link SocketIoServer.Builder#adapter}; {@link InMemoryAdapter} is the default. A cluster adapter keeps this
 * contract for the local sockets and forwards broadcasts to the other servers.
 *
 * <p>Threads: every method may be called from any thread (sockets of one namespace live on several event loops);
 * an implementation synchronizes its own state. A broadcast must encode the packet once
 * ({@link SocketIoParser#encode}) and hand the same encoding to every recipient
 * ({@link SocketIoSocket#writeEncoded}).
 */
public interface Adapter {

    /**
     * Adds a socket to rooms.
     *
     * @param id    the socket id
     * @param rooms the rooms
     */
    void addAll(String id, Set<String> rooms);

    /**
     * Removes a socket from a room.
     *
     * @param id   the socket id
     * @param room the room
     */
    void del(String id, String room);

    /**
     * Removes a socket from every room.
     *
     * @param id the socket id
     */
    void delAll(String id);

    /**
     * Sends a packet to the sockets the options select.
     *
     * @param packet the packet (its namespace is set to this adapter's)
     * @param opts   whom
     */
    void broadcast(SocketIoPacket packet, BroadcastOptions opts);

    /**
     * Sends a packet that asks for an acknowledgement to the sockets the options select (the reference's
     * {@code broadcastWithAck}): gives the packet a fresh ack id of the namespace, registers {@code ack} for it on
     * each recipient, writes the one encoding to each, then reports how many were reached.
     *
     * @param packet      the packet (an EVENT)
     * @param opts        whom
     * @param clientCount called once with the number of recipients
     * @param ack         called with each recipient's acknowledgement arguments, on the recipient's loop
     * @return the ack id given to the packet
     */
    long broadcastWithAck(SocketIoPacket packet, BroadcastOptions opts, java.util.function.IntConsumer clientCount,
                          java.util.function.Consumer<List<Object>> ack);

    /**
     * The ids of the sockets in any of the rooms (every socket when empty).
     *
     * @param rooms the rooms
     * @return a snapshot
     */
    Set<String> sockets(Set<String> rooms);

    /**
     * The rooms of a socket.
     *
     * @param id the socket id
     * @return a snapshot (empty when none)
     */
    Set<String> socketRooms(String id);

    /**
     * The local sockets the options select.
     *
     * @param opts whom
     * @return a snapshot
     */
    List<SocketIoSocket> fetchSockets(BroadcastOptions opts);

    /**
     * The room names that have at least one socket.
     *
     * @return a snapshot
     */
    Set<String> rooms();

    /**
     * Keeps a socket's state for connection-state recovery (the reference's {@code persistSession}); called by a
     * socket that leaves for a recoverable reason while the server has {@code connectionStateRecovery}. The default
     * keeps nothing.
     *
     * @param session the state (no missed packets)
     * @param timers  the session whose loop may time the state's expiry ({@link EngineSocket#schedule}: its tasks
     *                run also after it closed)
     */
    default void persistSession(PersistedSession session, EngineSocket timers) {
    }

    /**
     * The state kept for a private session id, with the packets missed since {@code offset} (the reference's
     * {@code restoreSession}). The default has none.
     *
     * @param pid    the private session id the client presents
     * @param offset the id of the last packet the client got
     * @return the state, or null (unknown or expired pid, or an offset no longer kept); may complete on any thread
     */
    default CompletableFuture<PersistedSession> restoreSession(String pid, String offset) {
        return CompletableFuture.completedFuture(null);
    }

    /** Releases what the adapter holds (the server closes). */
    default void close() {
    }
}
