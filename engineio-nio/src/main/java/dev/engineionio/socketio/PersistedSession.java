package dev.engineionio.socketio;

import java.util.List;
import java.util.Set;

/**
 * What connection-state recovery keeps of a socket that left for a recoverable reason (the reference's
 * {@code Session}): given to {@link Adapter#persistSession}, and returned by {@link Adapter#restoreSession} with the
 * packets the client missed.
 *
 * @param sid           the socket id, given back to the recovered socket
 * @param pid           the private session id the client presents ({@code auth.pid})
 * @param rooms         the rooms the socket was in (its own id room included)
 * @param data          the socket's {@link SocketIoSocket#data()}
 * @param missedPackets the event payloads ({@code [event, args..., offset]}) broadcast to those rooms after the
 *                      client's offset; empty when persisting
 */
public record PersistedSession(String sid, String pid, Set<String> rooms, Object data,
                               List<List<Object>> missedPackets) {
}
