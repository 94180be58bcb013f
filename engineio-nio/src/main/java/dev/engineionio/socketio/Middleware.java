package dev.engineionio.socketio;

/**
 * A namespace middleware ({@link Namespace#use}): runs for each socket before it connects, in the order added.
 *
 * <p>Called on the socket's event loop. It may finish later, from any thread: {@link Next} marshals back to the loop.
 */
@FunctionalInterface
public interface Middleware {

    /**
     * Decides about a connecting socket; must eventually call {@code next.proceed()} or {@code next.fail(...)}, once.
     *
     * @param socket the socket (not yet connected: its {@link SocketIoSocket#handshake()} and
     *               {@link SocketIoSocket#data()} are usable)
     * @param next   the continuation
     */
    void handle(SocketIoSocket socket, Next next);

    /**
     * The continuation of a middleware. Any thread; only the first call counts.
     */
    interface Next {
        /** Lets the socket go on to the next middleware, or connect. */
        void proceed();

        /**
         * Refuses the socket: the client gets CONNECT_ERROR {@code {"message":message,"data":data}} (protocol 4:
         * {@code data}, or {@code message} when data is null) and no {@code connection} is emitted.
         *
         * @param message the error message
         * @param data    extra data (a {@link Json} value), or null
         */
        void fail(String message, Object data);
    }
}
