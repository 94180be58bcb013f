package dev.engineionio.socketio;

/**
 * A listener for {@code disconnecting} and {@code disconnect} ({@link SocketIoSocket#onDisconnecting},
 * {@link SocketIoSocket#onDisconnect}).
 *
 * <p>Reasons, as the reference names them: {@code client namespace disconnect} (the client left the namespace),
 * {@code server namespace disconnect} ({@link SocketIoSocket#disconnect}), {@code forced server close} (the server
 * closed the connection: {@code connectTimeout}, a packet for a namespace not joined), {@code server shutting down}
 * ({@link SocketIoServer#close()}), and the Engine.IO close reasons: {@code transport close}, {@code transport error},
 * {@code ping timeout}, {@code parse error}, {@code forced close} (also after a Socket.IO parse error).
 *
 * <p>Called on the socket's event loop.
 */
@FunctionalInterface
public interface DisconnectListener {

    /**
     * The socket is leaving (disconnecting: it is still in its rooms) or has left (disconnect).
     *
     * @param reason      the reason (see the interface)
     * @param description the Engine.IO description, or null
     */
    void onDisconnect(String reason, String description);
}
