/**
 * The public API of engineio-nio: {@link dev.engineionio.EngineServer} (built with its builder, the reference's
 * options), {@link dev.engineionio.EngineSocket} (one Engine.IO session), raw WebSocket endpoints
 * ({@link dev.engineionio.WebSocketHandler}, {@link dev.engineionio.WebSocketSession}) and the fallback HTTP handler
 * ({@link dev.engineionio.HttpHandler}, {@link dev.engineionio.HttpRequest}, {@link dev.engineionio.HttpResponse}).
 *
 * <p>Callbacks run on event-loop threads and must not block; {@code send} and {@code close} methods may be called
 * from any thread.
 */
package dev.engineionio;
