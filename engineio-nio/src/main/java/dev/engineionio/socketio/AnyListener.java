package dev.engineionio.socketio;

import java.util.List;

/**
 * A listener for every event of a socket ({@link SocketIoSocket#onAny}), or for every event it sends
 * ({@link SocketIoSocket#onAnyOutgoing}, then {@code ack} is a no-op).
 *
 * <p>Incoming: called on the socket's event loop before the event's own listeners. Outgoing: called on the thread
 * that emits.
 */
@FunctionalInterface
public interface AnyListener {

    /**
     * An event.
     *
     * @param event the event name
     * @param args  the arguments after the name
     * @param ack   the acknowledgement (incoming only; never null)
     */
    void onEvent(String event, List<Object> args, Ack ack);
}
