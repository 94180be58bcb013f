package dev.engineionio.driver;

/**
 * Makes the first handler of each accepted connection (e.g. an HTTP request parser). Called on the connection's event
 * loop thread, once per connection, before {@link ConnectionHandler#onOpen(Connection, long)}. It may keep per-loop
 * state through {@link Connection#loop()}. An exception closes that connection only ({@link CloseCause#HANDLER_ERROR},
 * no {@code onClose} since it has no handler).
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
}
