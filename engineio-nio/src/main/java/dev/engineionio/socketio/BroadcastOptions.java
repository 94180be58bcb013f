package dev.engineionio.socketio;

import java.util.Set;

/**
 * Whom a broadcast reaches: the sockets in any of {@code rooms} (every socket of the namespace when empty), less the
 * sockets in any of {@code except}.
 *
 * @param rooms  the target rooms (unmodifiable)
 * @param except the excluded rooms (unmodifiable)
 */
public record BroadcastOptions(Set<String> rooms, Set<String> except) {
}
