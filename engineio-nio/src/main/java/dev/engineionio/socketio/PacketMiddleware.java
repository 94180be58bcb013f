package dev.engineionio.socketio;

import java.util.List;

/**
 * A socket middleware ({@link SocketIoSocket#use}): runs for each incoming event of the socket, in the order added,
 * before the event's listeners (and after the {@link SocketIoSocket#onAny} listeners, as the reference).
 *
 * <p>Called on the socket's event loop. It may finish later, from any thread. {@code next.fail(message, data)} drops
 * the event and calls the socket's {@link SocketIoSocket#onError} listeners with the message; the connection lives.
 */
@FunctionalInterface
public interface PacketMiddleware {

    /**
     * Decides about an incoming event; must eventually call {@code next.proceed()} or {@code next.fail(...)}, once.
     *
     * @param event the event name
     * @param args  the arguments (the listeners get the same list: a middleware may change it)
     * @param next  the continuation
     */
    void handle(String event, List<Object> args, Middleware.Next next);
}
