package dev.engineionio.session;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The server's sessions by id (the reference's {@code clients} and {@code clientsCount}).
 *
 * <p>Thread-safe: any loop may look a session up (to find its owner loop, or to verify a request); sessions add
 * and remove themselves on their own loop ({@link EngineSession#open} and close). The map is the only structure
 * shared between loops on the data path.
 *
 * <p>Limits: none of its own; the number of sessions is bounded by the connections the driver accepts.
 */
public final class SessionRegistry {
    private final ConcurrentHashMap<String, EngineSession> sessions = new ConcurrentHashMap<>();

    /** The session with id {@code sid}, or {@code null}. */
    public EngineSession get(String sid) {
        return sid == null ? null : sessions.get(sid);
    }

    /** The number of registered (open or closing) sessions, the reference's {@code clientsCount}. */
    public int size() {
        return sessions.size();
    }

    /** Whether a session with this id is registered (for id generators that must avoid collisions). */
    public boolean contains(String sid) {
        return sid != null && sessions.containsKey(sid);
    }

    void add(EngineSession s) {
        EngineSession prev = sessions.putIfAbsent(s.id(), s);
        if (prev != null && prev != s) {
            throw new IllegalStateException("duplicate session id " + s.id());
        }
    }

    void remove(EngineSession s) {
        sessions.remove(s.id(), s);
    }

    /** A snapshot-free iteration over the sessions (weakly consistent), e.g. to close them all at shutdown. */
    public Iterable<EngineSession> sessions() {
        return sessions.values();
    }
}
