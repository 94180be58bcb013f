package dev.engineionio.socketio;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The default {@link Adapter}: rooms in this process, as npm {@code socket.io-adapter}'s in-memory adapter (room to
 * socket ids, socket id to rooms; an empty room is deleted).
 *
 * <p>Threads: any thread; the maps are guarded by this object's monitor. A broadcast selects its recipients under
 * the monitor, then writes outside it; the packet is encoded once, before, for every recipient.
 */
public class InMemoryAdapter implements Adapter {

    /** The namespace. */
    protected final Namespace nsp;
    private final Map<String, Set<String>> rooms = new HashMap<>();
    private final Map<String, Set<String>> sids = new LinkedHashMap<>();

    /**
     * An adapter for a namespace.
     *
     * @param nsp the namespace
     */
    public InMemoryAdapter(Namespace nsp) {
        this.nsp = nsp;
    }

    @Override
    public synchronized void addAll(String id, Set<String> roomsToJoin) {
        Set<String> mine = sids.computeIfAbsent(id, k -> new LinkedHashSet<>());
        for (String room : roomsToJoin) {
            mine.add(room);
            rooms.computeIfAbsent(room, k -> new LinkedHashSet<>()).add(id);
        }
    }

    @Override
    public synchronized void del(String id, String room) {
        Set<String> mine = sids.get(id);
        if (mine != null) {
            mine.remove(room);
        }
        delFromRoom(room, id);
    }

    private void delFromRoom(String room, String id) {
        Set<String> r = rooms.get(room);
        if (r != null) {
            r.remove(id);
            if (r.isEmpty()) {
                rooms.remove(room);
            }
        }
    }

    @Override
    public synchronized void delAll(String id) {
        Set<String> mine = sids.remove(id);
        if (mine != null) {
            for (String room : mine) {
                delFromRoom(room, id);
            }
        }
    }

    @Override
    public void broadcast(SocketIoPacket packet, BroadcastOptions opts) {
        SocketIoPacket p = new SocketIoPacket(packet.type(), nsp.name(), packet.id(), packet.data());
        SocketIoParser.Encoded encoded = SocketIoParser.encode(p);
        for (SocketIoSocket s : fetchSockets(opts)) {
            s.notifyOutgoing(p);
            s.writeEncoded(encoded, opts);
        }
    }

    @Override
    public long broadcastWithAck(SocketIoPacket packet, BroadcastOptions opts,
                                 java.util.function.IntConsumer clientCount,
                                 java.util.function.Consumer<List<Object>> ack) {
        long id = nsp.nextAckId();
        SocketIoPacket p = new SocketIoPacket(packet.type(), nsp.name(), id, packet.data());
        SocketIoParser.Encoded encoded = SocketIoParser.encode(p);
        List<SocketIoSocket> targets = fetchSockets(opts);
        for (SocketIoSocket s : targets) {
            s.expectAck(id, ack);
            s.notifyOutgoing(p);
            s.writeEncoded(encoded, opts);
        }
        clientCount.accept(targets.size());
        return id;
    }

    @Override
    public synchronized Set<String> sockets(Set<String> roomSet) {
        Set<String> out = new LinkedHashSet<>();
        for (SocketIoSocket s : select(new BroadcastOptions(roomSet, Set.of()))) {
            out.add(s.id());
        }
        return out;
    }

    @Override
    public synchronized Set<String> socketRooms(String id) {
        Set<String> mine = sids.get(id);
        return mine == null ? Set.of() : new LinkedHashSet<>(mine);
    }

    @Override
    public synchronized List<SocketIoSocket> fetchSockets(BroadcastOptions opts) {
        return select(opts);
    }

    @Override
    public synchronized Set<String> rooms() {
        return new HashSet<>(rooms.keySet());
    }

    /** The reference's {@code apply}: union of the rooms (or every socket) less the except rooms; under the lock. */
    private List<SocketIoSocket> select(BroadcastOptions opts) {
        Set<String> except = new HashSet<>();
        for (String room : opts.except()) {
            Set<String> r = rooms.get(room);
            if (r != null) {
                except.addAll(r);
            }
        }
        List<SocketIoSocket> out = new ArrayList<>();
        if (!opts.rooms().isEmpty()) {
            boolean oneRoom = opts.rooms().size() == 1; // no duplicates to skip: no per-recipient set entry
            Set<String> seen = oneRoom ? null : new HashSet<>();
            for (String room : opts.rooms()) {
                Set<String> r = rooms.get(room);
                if (r == null) {
                    continue;
                }
                for (String id : r) {
                    if (except.contains(id) || (!oneRoom && !seen.add(id))) {
                        continue;
                    }
                    SocketIoSocket s = nsp.socket(id);
                    if (s != null) {
                        out.add(s);
                    }
                }
            }
        } else {
            for (String id : sids.keySet()) {
                if (except.contains(id)) {
                    continue;
                }
                SocketIoSocket s = nsp.socket(id);
                if (s != null) {
                    out.add(s);
                }
            }
        }
        return out;
    }
}
