/**
 * The server layer (internal, not exported): the driver handlers and the glue between the sans-I/O layers.
 *
 * <ul>
 * <li>{@link dev.engineionio.server.HttpConnection}: the HTTP/1.1 connection handler (keep-alive, in-order answers to
 *     pipelined requests, 100-continue, timeouts), which is also the per-connection exchange of the internal request
 *     SPI {@link dev.engineionio.server.HttpApp};</li>
 * <li>{@link dev.engineionio.server.ServerCore}: the router (Engine.IO path, raw WebSocket endpoints, fallback
 *     handler, destroyUpgrade) and the driver's handler factory; a WebSocket upgrade on a raw endpoint is checked by
 *     RFC 6455 (a bad version gets {@code 426} with {@code Sec-WebSocket-Version: 13}), one on the Engine.IO path by
 *     npm ws's rules, with ws's {@code 400}/{@code 405} answers and their text bodies, as the reference;</li>
 * <li>{@link dev.engineionio.server.WsConnection}: the RFC 6455 connection handler;</li>
 * <li>{@link dev.engineionio.server.EngineIo}, {@link dev.engineionio.server.EngineExchange},
 *     {@link dev.engineionio.server.EngineWsBridge}, {@link dev.engineionio.server.EngineSocketImpl}: Engine.IO over
 *     them.</li>
 * </ul>
 *
 * <h2>Threads and cross-loop sessions</h2>
 * Every object here is used by one event loop at a time. A session belongs to the loop of its handshake; a later
 * request (poll, POST, upgrade) for it that arrives on a connection of another loop moves that connection to the
 * session's loop before it is handled ({@link dev.engineionio.driver.Connection#transferTo}): the request head is
 * left unconsumed, the parser reset, and the bytes presented again on the owner loop. So a session, its transports
 * and every connection serving it are touched by one thread only, without locks; the only shared structures are the
 * session registry and the sid-to-socket map (concurrent maps, read to find the owner loop).
 */
package dev.engineionio.server;
