package dev.engineionio.server;

import dev.engineionio.driver.EventLoop;
import dev.engineionio.driver.LoopLocal;
import dev.engineionio.http.HttpQuery;
import dev.engineionio.http.HttpResponseWriter;
import dev.engineionio.session.RequestFacts;
import dev.engineionio.session.RequestVerdict;
import dev.engineionio.websocket.WebSocketHandshake;
import java.nio.ByteBuffer;

/**
 * Per-loop scratch of the server layer: one response writer, one query reader, one WebSocket handshake, the
 * Engine.IO request facts and verdict, and a growable heap buffer. Made on first use on each loop; used by that
 * loop's thread only, each object for the length of one call (nothing is kept across calls).
 */
final class LoopState {

    private static final LoopLocal<LoopState> KEY = LoopLocal.withInitial(LoopState::new);

    final HttpResponseWriter writer = new HttpResponseWriter();
    final HttpQuery query = new HttpQuery(256);
    final WebSocketHandshake handshake = new WebSocketHandshake();
    final RequestFacts facts = new RequestFacts();
    final RequestVerdict verdict = new RequestVerdict();
    /** Spare zlib streams and compression scratch for permessage-deflate connections of this loop. */
    final dev.engineionio.websocket.ZlibPool zlib = new dev.engineionio.websocket.ZlibPool();
    private HttpCompression compression;

    /** The loop's compressor, made on first use. */
    HttpCompression compression() {
        if (compression == null) {
            compression = new HttpCompression();
        }
        return compression;
    }

    /**
     * WebSocket message decoders lent to this loop's connections while they read (see {@code WsConnection}): a
     * connection between messages holds none. At most {@link #MAX_SPARE_DECODERS} are kept.
     */
    static final int MAX_SPARE_DECODERS = 64;
    final dev.engineionio.websocket.WebSocketMessageDecoder[] spareDecoders =
            new dev.engineionio.websocket.WebSocketMessageDecoder[MAX_SPARE_DECODERS];
    int spareDecoderCount;

    /** Engine.IO per-loop codec state, made on first use ({@link #engine}). */
    private EngineIo.EngineLoop engine;
    private ByteBuffer scratch = ByteBuffer.allocate(4096);

    /** This loop's Engine.IO codec state, made for {@code e} on first use. */
    EngineIo.EngineLoop engine(EngineIo e) {
        if (engine == null) {
            engine = new EngineIo.EngineLoop(e);
        }
        return engine;
    }

    static LoopState of(EventLoop loop) {
        return loop.local(KEY);
    }

    /** A cleared heap buffer of at least {@code minBytes} (grown by doubling, kept for the next call). */
    ByteBuffer scratch(int minBytes) {
        if (scratch.capacity() < minBytes) {
            scratch = ByteBuffer.allocate(Math.max(minBytes, scratch.capacity() * 2));
        }
        scratch.clear();
        return scratch;
    }
}
