/**
 * RFC 6455 WebSocket protocol core, sans I/O: the server's opening handshake, frame tokenising and unmasking, the
 * message layer that enforces the protocol, UTF-8 validation, frame writing, and the permessage-deflate extension. Nothing here touches a socket or a
 * clock; the NIO driver feeds bytes in and flushes the bytes written out.
 *
 * <ul>
 *   <li>{@link dev.engineionio.websocket.WebSocketHandshake}: request checks (400/426 outcomes), subprotocol choice,
 *       {@code Sec-WebSocket-Accept}, the 101 response (RFC 6455 §4.2); also npm ws's checks and rejections, which
 *       the Engine.IO endpoint answers with to match its reference.</li>
 *   <li>{@link dev.engineionio.websocket.WebSocketFrameReader}: frames into header/payload/end events, payload
 *       unmasked in place (§5.2, §5.3); checks no rule.</li>
 *   <li>{@link dev.engineionio.websocket.WebSocketMessageDecoder}: every receive-side rule (§5.1-§5.5, §7.4, §8.1),
 *       {@link dev.engineionio.websocket.WebSocketLimits}, whole-message or streaming delivery to a
 *       {@link dev.engineionio.websocket.WebSocketMessageHandler}; failures as
 *       {@link dev.engineionio.websocket.WebSocketError}.</li>
 *   <li>{@link dev.engineionio.websocket.WebSocketFrameWriter}: unmasked server frames into a caller's buffer.</li>
 *   <li>permessage-deflate (RFC 7692): {@link dev.engineionio.websocket.PerMessageDeflateNegotiator} (the offers, by
 *       npm ws's rules or RFC 7692's, against a {@link dev.engineionio.websocket.PerMessageDeflateConfig}),
 *       {@link dev.engineionio.websocket.PerMessageDeflateCodec} (one connection's zlib streams and compression; the
 *       decoder inflates with it), {@link dev.engineionio.websocket.ZlibPool} (a loop's spare streams and
 *       scratch).</li>
 *   <li>{@link dev.engineionio.websocket.Utf8Validator}, {@link dev.engineionio.websocket.WebSocketMasking},
 *       {@link dev.engineionio.websocket.WebSocketCloseCodes}, {@link dev.engineionio.websocket.WebSocketOpcodes}.</li>
 * </ul>
 *
 * Internal package (not exported by the module): one decoder per connection, one handshake helper per event loop, all
 * called on the owning event loop.
 */
package dev.engineionio.websocket;
