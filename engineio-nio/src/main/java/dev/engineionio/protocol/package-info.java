/**
 * The Engine.IO codec, protocol versions 3 and 4 (exported: usable without the server, e.g. by another I/O layer or a
 * client).
 *
 * <ul>
 * <li>{@link dev.engineionio.protocol.PayloadDecoder}: polling POST bodies (v4 {@code \x1e}-separated, v3
 *     length-prefixed text and binary payloads, JSONP form bodies) and WebSocket message payloads, reported packet by
 *     packet to a {@link dev.engineionio.protocol.PacketHandler} as spans of the caller's buffer;</li>
 * <li>{@link dev.engineionio.protocol.PacketEncoder}: packets, payloads, the handshake JSON and error bodies, written
 *     straight into a caller's {@link java.nio.ByteBuffer}, each with a {@code measure} method giving its exact
 *     size; {@link dev.engineionio.protocol.Jsonp} wraps a payload for JSONP polling;</li>
 * <li>{@link dev.engineionio.protocol.DecodeStatus} and {@link dev.engineionio.protocol.EngineError}: every outcome
 *     enumerated with its answer on the wire (HTTP status, WebSocket close code, close reason, JSON error body);</li>
 * <li>{@link dev.engineionio.protocol.PacketType}, {@link dev.engineionio.protocol.ProtocolVersion},
 *     {@link dev.engineionio.protocol.PacketBatch} and {@link dev.engineionio.protocol.Utf8}.</li>
 * </ul>
 *
 * <p>Sans-I/O: nothing here touches a socket or a clock, keeps a reference to a caller's buffer after a call, or
 * allocates per packet (except the {@code String}s a caller asks for). The encoders are stateless and thread-safe;
 * a {@link dev.engineionio.protocol.PayloadDecoder} belongs to one thread. The wire formats follow
 * {@code engine.io-parser} 5.2.3 (v4) and {@code engine.io}'s {@code parser-v3}, byte for byte; see each class for its
 * format and limits.
 */
package dev.engineionio.protocol;
