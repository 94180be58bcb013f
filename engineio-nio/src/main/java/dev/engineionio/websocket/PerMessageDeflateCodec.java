package dev.engineionio.websocket;

import java.nio.ByteBuffer;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * One connection's permessage-deflate state (RFC 7692 §7.2) once the extension is agreed: which zlib streams it owns
 * or borrows, and the compression of outgoing messages. Decompression is driven by {@link WebSocketMessageDecoder},
 * which takes its {@link Inflater} from {@link #beginInflate()} and gives it back with {@link #endInflate}.
 *
 * <h2>Streams and their owners</h2>
 * <table>
 *   <caption>Where each zlib stream comes from</caption>
 *   <tr><th>agreed</th><th>Inflater (client to server)</th><th>Deflater (server to client)</th></tr>
 *   <tr><td>context takeover (the default)</td><td>owned, made at the first compressed message, kept until
 *       {@link #release()}</td><td>owned, made at the first compressed send, kept until {@link #release()}</td></tr>
 *   <tr><td>{@code client_no_context_takeover} / {@code server_no_context_takeover}</td><td>borrowed from the loop's
 *       {@link ZlibPool} for one message (from its first frame to its last), given back reset</td><td>borrowed from the
 *       pool for one compression, given back reset</td></tr>
 * </table>
 * {@link #release()} must be called on every path that ends the connection: it ends the owned streams (their native
 * memory is freed then, not at garbage collection).
 *
 * <h2>Compression (§7.2.1)</h2>
 * {@link #compress} deflates a message with {@code Z_SYNC_FLUSH} into the loop's direct scratch and drops the
 * {@code 00 00 ff ff} the flush ends with. Whether a message is compressed at all ({@link #compresses}) follows npm ws:
 * every message when the server keeps its context; with {@code server_no_context_takeover}, only messages of at least
 * {@link PerMessageDeflateConfig#threshold()} bytes.
 *
 * <p>Not thread-safe: the connection's loop only.
 */
public final class PerMessageDeflateCodec {

    private static final byte[] NO_INPUT = new byte[0];

    private final ZlibPool pool;
    private final int agreed;
    private final int threshold;
    private Deflater deflater;
    private Inflater inflater;
    private boolean released;

    /**
     * @param pool the loop's pool
     * @param agreed the negotiated parameters ({@link WebSocketHandshake#deflateParams()}, at least 0)
     * @param threshold the config's threshold
     */
    public PerMessageDeflateCodec(ZlibPool pool, int agreed, int threshold) {
        if (agreed < 0) {
            throw new IllegalArgumentException("permessage-deflate was not agreed");
        }
        this.pool = pool;
        this.agreed = agreed;
        this.threshold = threshold;
    }

    /** The agreed parameters (see {@link PerMessageDeflateNegotiator}). */
    public int agreed() {
        return agreed;
    }

    /** Whether a message of {@code length} bytes is sent compressed. */
    public boolean compresses(int length) {
        return !PerMessageDeflateNegotiator.serverNoContextTakeover(agreed) || length >= threshold;
    }

    /** The loop's plain-text scratch for a message of {@code length} bytes, to fill before {@link #compress}. */
    public ByteBuffer plainScratch(int length) {
        return pool.plain(length);
    }

    /**
     * Compresses {@code plain[position, limit)} as one message. Returns the loop's scratch in read mode holding the
     * frame payload (the flush tail removed), valid until the next compression on this loop.
     */
    public ByteBuffer compress(ByteBuffer plain) {
        boolean borrowed = PerMessageDeflateNegotiator.serverNoContextTakeover(agreed);
        Deflater d = borrowed ? pool.takeDeflater() : deflater;
        if (d == null) {
            d = deflater = ZlibPool.newDeflater();
        }
        d.setInput(plain);
        ByteBuffer out = pool.deflated();
        while (true) {
            d.deflate(out, Deflater.SYNC_FLUSH);
            if (out.hasRemaining()) {
                break; // the flush is complete when output space is left over
            }
            out = pool.growDeflated(out);
        }
        d.setInput(NO_INPUT);
        if (borrowed) {
            pool.giveDeflater(d);
        }
        out.flip();
        // Z_SYNC_FLUSH ends with an empty stored block, 00 00 ff ff: RFC 7692 §7.2.1 removes it.
        out.limit(out.limit() - 4);
        return out;
    }

    /** After the compressed bytes were copied out: drops scratch buffers grown for a large message. */
    public void afterCompress() {
        pool.trimDeflated();
        pool.trimPlain();
    }

    /** The Inflater for a compressed message starting now (owned, or borrowed until {@link #endInflate}). */
    Inflater beginInflate() {
        if (PerMessageDeflateNegotiator.clientNoContextTakeover(agreed)) {
            return pool.takeInflater();
        }
        if (inflater == null) {
            inflater = ZlibPool.newInflater();
        }
        return inflater;
    }

    /**
     * The compressed message using {@code i} ended ({@code complete}) or was abandoned (an error, a close): a borrowed
     * stream goes back to the pool; an owned one is kept for the next message, except after an abandoned message,
     * whose half-read state is useless.
     */
    void endInflate(Inflater i, boolean complete) {
        if (PerMessageDeflateNegotiator.clientNoContextTakeover(agreed)) {
            pool.giveInflater(i);
        } else if (!complete && !released) {
            i.reset();
        }
    }

    /** Ends the owned streams; idempotent. Every close path of the connection calls it. */
    public void release() {
        if (released) {
            return;
        }
        released = true;
        if (deflater != null) {
            ZlibPool.end(deflater);
            deflater = null;
        }
        if (inflater != null) {
            ZlibPool.end(inflater);
            inflater = null;
        }
    }

    /** Whether this connection owns a zlib stream now (memory accounting, tests). */
    public boolean ownsStreams() {
        return deflater != null || inflater != null;
    }
}
