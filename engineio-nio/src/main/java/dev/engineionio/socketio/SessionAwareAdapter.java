package dev.engineionio.socketio;

import dev.engineionio.EngineSocket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The in-memory adapter with connection-state recovery (npm {@code socket.io-adapter}'s {@code SessionAwareAdapter}),
 * the default when the server has {@link SocketIoServer.Builder#connectionStateRecovery}: every broadcast EVENT without
 * an acknowledgement id and not {@code volatile} gets an offset appended as its last argument and is kept for
 * {@code maxDisconnectionDuration}; a socket that leaves for a recoverable reason is kept as long; a client that comes
 * back with its {@code pid} and last offset in time gets its id, rooms, data and the kept packets addressed to its
 * rooms after that offset.
 *
 * <p>Expiry: this layer reads no clock. Each kept session and each kept packet is dropped by a task scheduled
 * {@code maxDisconnectionDuration} ahead on an Engine.IO session's loop ({@link EngineSocket#schedule}): the leaving
 * session for a socket's state; any open session, else one of a kept state, for a packet (a packet's task drops every
 * packet kept before it too). A packet broadcast while no session is open and no state is kept is not kept (nobody
 * could ask for it). The reference sweeps instead every 60 s by wall clock, so its packets live up to a minute longer.
 *
 * <p>Offsets: unique strings ({@code <random prefix>.<counter>} in the reference's yeast alphabet); the reference uses
 * a timestamp-based yeast id. Clients treat them as opaque.
 *
 * <p>Threads: any thread; the kept state is guarded by this object's monitor. With broadcasts from several threads
 * at once, the order kept is the order of taking the monitor, which may differ from the order of the writes.
 */
public class SessionAwareAdapter extends InMemoryAdapter {

    private static final char[] ALPHABET =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_".toCharArray();

    private final Duration maxDisconnection;
    private final String offsetPrefix = SocketIoServer.generateId().substring(0, 8);
    private final Map<String, Kept> sessions = new HashMap<>();
    private final ArrayDeque<StoredPacket> packets = new ArrayDeque<>();
    private long seq;

    private record Kept(PersistedSession session, EngineSocket timers) {
    }

    private static final class StoredPacket {
        final String id;
        final BroadcastOptions opts;
        final List<Object> data;

        StoredPacket(String id, BroadcastOptions opts, List<Object> data) {
            this.id = id;
            this.opts = opts;
            this.data = data;
        }
    }

    /**
     * An adapter for a namespace of a server with connection-state recovery.
     *
     * @param nsp the namespace
     */
    public SessionAwareAdapter(Namespace nsp) {
        super(nsp);
        this.maxDisconnection = nsp.server().maxDisconnection();
        if (maxDisconnection == null) {
            throw new IllegalStateException("the server has no connectionStateRecovery");
        }
    }

    @Override
    public void persistSession(PersistedSession session, EngineSocket timers) {
        Kept k = new Kept(session, timers);
        synchronized (this) {
            sessions.put(session.pid(), k);
        }
        timers.schedule(maxDisconnection, () -> {
            synchronized (this) {
                sessions.remove(session.pid(), k);
            }
        });
    }

    @Override
    public synchronized CompletableFuture<PersistedSession> restoreSession(String pid, String offset) {
        Kept k = sessions.get(pid);
        if (k == null) {
            return CompletableFuture.completedFuture(null); // unknown, or expired
        }
        PersistedSession s = k.session();
        List<List<Object>> missed = new ArrayList<>();
        boolean found = false;
        for (StoredPacket p : packets) {
            if (found) {
                if (shouldInclude(s.rooms(), p.opts)) {
                    missed.add(p.data);
                }
            } else if (p.id.equals(offset)) {
                found = true;
            }
        }
        if (!found) {
            return CompletableFuture.completedFuture(null); // the offset may be too old
        }
        // as the reference, the state stays kept until it expires (a second restore within the delay works too)
        return CompletableFuture.completedFuture(new PersistedSession(s.sid(), s.pid(), s.rooms(), s.data(),
                List.copyOf(missed)));
    }

    /** The reference's {@code shouldIncludePacket}. */
    private static boolean shouldInclude(Set<String> sessionRooms, BroadcastOptions opts) {
        boolean included = opts.rooms().isEmpty();
        for (String room : sessionRooms) {
            if (opts.except().contains(room)) {
                return false;
            }
            if (!included && opts.rooms().contains(room)) {
                included = true;
            }
        }
        return included;
    }

    @Override
    public void broadcast(SocketIoPacket packet, BroadcastOptions opts) {
        if (packet.type() == PacketType.EVENT && packet.id() == SocketIoPacket.NO_ID && !opts.volatileFlag()) {
            EngineSocket timers = timerSession();
            if (timers != null) {
                List<Object> data = new ArrayList<>(packet.args().size() + 1);
                data.addAll(packet.args());
                StoredPacket stored;
                synchronized (this) {
                    String id = nextOffset();
                    data.add(id);
                    stored = new StoredPacket(id, opts, data);
                    packets.addLast(stored);
                }
                timers.schedule(maxDisconnection, () -> expireThrough(stored));
                packet = new SocketIoPacket(packet.type(), packet.nsp(), packet.id(), data);
            }
        }
        super.broadcast(packet, opts);
    }

    /** Drops {@code last} and every packet kept before it. */
    private synchronized void expireThrough(StoredPacket last) {
        if (!packets.contains(last)) {
            return;
        }
        Iterator<StoredPacket> it = packets.iterator();
        while (it.hasNext()) {
            StoredPacket p = it.next();
            it.remove();
            if (p == last) {
                return;
            }
        }
    }

    private EngineSocket timerSession() {
        Iterator<EngineSocket> open = nsp.server().engine().clients().values().iterator();
        if (open.hasNext()) {
            return open.next();
        }
        synchronized (this) {
            Iterator<Kept> kept = sessions.values().iterator();
            return kept.hasNext() ? kept.next().timers() : null;
        }
    }

    private String nextOffset() {
        long n = seq++;
        StringBuilder sb = new StringBuilder(offsetPrefix).append('.');
        int start = sb.length();
        do {
            sb.insert(start, ALPHABET[(int) (n % 64)]);
            n /= 64;
        } while (n > 0);
        return sb.toString();
    }

    /**
     * The number of packets kept for recovery (tests and monitoring).
     *
     * @return the count
     */
    public synchronized int keptPackets() {
        return packets.size();
    }

    /**
     * The number of socket states kept for recovery (tests and monitoring).
     *
     * @return the count
     */
    public synchronized int keptSessions() {
        return sessions.size();
    }
}
