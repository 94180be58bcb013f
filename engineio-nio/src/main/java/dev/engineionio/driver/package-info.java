/**
 * The NIO driver: the only package of engineio-nio that touches {@code java.nio.channels} or reads a clock. Internal
 * (not exported by the module).
 *
 * <ul>
 * <li>{@link dev.engineionio.driver.NioDriver}: listen sockets, loops, accept, shutdown.
 * <li>{@link dev.engineionio.driver.EventLoop}: one thread, its duty cycle, its command queue, per-loop slots
 * ({@link dev.engineionio.driver.LoopLocal}).
 * <li>{@link dev.engineionio.driver.Connection}: input retention, output queue, backpressure, deadline, close.
 * <li>{@link dev.engineionio.driver.ConnectionHandler}: the SPI protocol layers implement, with the buffer contract;
 * {@link dev.engineionio.driver.HandlerFactory} makes the first handler of each connection.
 * <li>{@link dev.engineionio.driver.DriverConfig}: every limit with its default; {@link
 * dev.engineionio.driver.NanoClock}: the injectable clock; {@link dev.engineionio.driver.CloseCause}: why a
 * connection closed.
 * </ul>
 *
 * <p>Threading in one line: a connection, its handler and everything they touch belong to one loop thread; other
 * threads get in only through {@link dev.engineionio.driver.EventLoop#execute(Runnable)} or {@link
 * dev.engineionio.driver.Connection#send(java.nio.ByteBuffer)}.
 */
package dev.engineionio.driver;
