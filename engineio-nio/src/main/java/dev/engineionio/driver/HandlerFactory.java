package dev.engineionio.driver;

/**
 * Makes the first handler of each accepted connection (e.g. an HTTP request parser). Called on the connection's event
 * loop thread, once per connection, before {@link ConnectionHandler#onOpen(Connection, long)}. It may keep per-loop
 * state through {@link Connection#loop()}. An exception closes that connection only ({@link CloseCause#HANDLER_ERROR},
 * no {@code onClose} since it has no handler).
 *
 * <p>At {@link NioDriver#close(long)} it also hears of each loop's shutdown, on that loop's thread: {@link
 * #onShutdown} when it begins (after the listen sockets closed, before the connections' {@link
 * ConnectionHandler#onShutdown}), {@link #onShutdownEnd} once it ends (every connection closed, or the grace over),
 * before the loop closes what is left. Both default to nothing; an exception is logged.
 */
@FunctionalInterface
public interface HandlerFactory {

    /** The handler for a new connection; never {@code null}. */
    ConnectionHandler newHandler(Connection connection);

    /**
     * Whether its handlers place their connections ({@link Connection#placement}): then, with several loops, a plain
     * connection stays on the accepting loop until its first request is read (see {@link EventLoop}, "First reads in
     * arrival order"), and the handler moves it home. False (the default): connections go to their loop round-robin
     * at accept.
     */
    default boolean placesConnections() {
        return false;
    }

    /**
     * The shutdown of {@code loop} begins: tell the application state this loop owns (e.g. sessions) to finish.
     * Loop thread.
     */
    default void onShutdown(EventLoop loop, long nowNs) {
    }

    /**
     * The shutdown of {@code loop} ends (its connections have closed, or the grace period is over): close what this
     * loop still owns; the loop then closes its remaining connections ({@link CloseCause#SHUTDOWN}) and stops. Loop
     * thread.
     */
    default void onShutdownEnd(EventLoop loop, long nowNs) {
    }
}
