package dev.engineionio.socketio;

import java.util.List;

/**
 * A listener for one event name, given to {@link SocketIoSocket#on}.
 *
 * <p>Called on the socket's event loop (do not block).
 */
@FunctionalInterface
public interface EventListener {

    /**
     * An event arrived.
     *
     * @param args the arguments after the event name (values of the {@link Json} model; {@code byte[]} for binary);
     *             the listener's to keep
     * @param ack  the acknowledgement to send back; never null ({@link Ack#isRequested()} tells if the client
     *             waits for one)
     */
    void onEvent(List<Object> args, Ack ack);
}
