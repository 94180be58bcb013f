package dev.engineionio.socketio;

import java.util.Set;

/**
 * Whom a broadcast reaches, and how: the sockets in any of {@code rooms} (every socket of the namespace when empty),
 * less the sockets in any of {@code except}; with the reference's flags.
 *
 * @param rooms        the target rooms (unmodifiable)
 * @param except       the excluded rooms (unmodifiable)
 * @param volatileFlag the reference's {@code volatile}: a recipient whose transport cannot take a write now
 *                     ({@link dev.engineionio.EngineSocket#isWritable()}) does not get the packet, and connection-state
 *                     recovery does not keep it
 * @param compress     the reference's {@code compress} (true unless {@code compress(false)}). Carried to the adapter
 *                     and to {@link SocketIoSocket#writeEncoded(SocketIoParser.Encoded, BroadcastOptions)} only: the
 *                     engine's {@code perMessageDeflate} (when on) compresses by its threshold whatever the flag says
 * @param local        the reference's {@code local}: only this server's sockets. The in-memory adapter is single-server,
 *                     so every broadcast is local; a cluster adapter must not forward a local broadcast
 */
public record BroadcastOptions(Set<String> rooms, Set<String> except, boolean volatileFlag, boolean compress,
                               boolean local) {

    /**
     * Options without flags (not volatile, compress true, not local).
     *
     * @param rooms  the target rooms (unmodifiable)
     * @param except the excluded rooms (unmodifiable)
     */
    public BroadcastOptions(Set<String> rooms, Set<String> except) {
        this(rooms, except, false, true, false);
    }
}
