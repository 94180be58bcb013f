package dev.engineionio.websocket;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * One event loop's stock of zlib streams and compression scratch for permessage-deflate (RFC 7692).
 *
 * <p>A {@code java.util.zip} {@link Deflater} holds about 256 KiB of native memory at the default level (zlib's
 * {@code deflateInit2} with a 15-bit window and memLevel 8), an {@link Inflater} about 40 KiB; both until
 * {@code end()}. Connections whose context is reset after every message (the {@code *_no_context_takeover}
 * parameters) borrow one here for that message and give it back reset, so they cost nothing between messages; a
 * compression is synchronous, so the loop's one spare Deflater serves all of them. At most {@link #MAX_SPARE} of each
 * are kept; one given back to a full pool is ended at once.
 *
 * <p>Every stream this library makes is counted ({@link #liveDeflaters()}, {@link #liveInflaters()}: made and not yet
 * ended, over the whole JVM), so a test can show that none leaks.
 *
 * <p>Not thread-safe: one per loop, used on that loop's thread only (the counters are atomic).
 */
public final class ZlibPool {

    /** Spare Deflaters and Inflaters kept per loop. */
    public static final int MAX_SPARE = 16;

    /** The deflate output scratch kept between messages (bigger ones are dropped after the message). */
    public static final int RETAINED_SCRATCH = 64 * 1024;

    private static final AtomicLong LIVE_DEFLATERS = new AtomicLong();
    private static final AtomicLong LIVE_INFLATERS = new AtomicLong();

    private final Deflater[] deflaters = new Deflater[MAX_SPARE];
    private int deflaterCount;
    private final Inflater[] inflaters = new Inflater[MAX_SPARE];
    private int inflaterCount;
    private ByteBuffer plain = ByteBuffer.allocate(16 * 1024);
    private ByteBuffer deflated = ByteBuffer.allocateDirect(16 * 1024);

    /** Deflaters made by this library and not yet ended (all loops, all servers in this JVM). */
    public static long liveDeflaters() {
        return LIVE_DEFLATERS.get();
    }

    /** Inflaters made by this library and not yet ended (all loops, all servers in this JVM). */
    public static long liveInflaters() {
        return LIVE_INFLATERS.get();
    }

    /** A new raw-deflate compressor (no zlib header: RFC 7692 §7.2.1), default level, counted. */
    public static Deflater newDeflater() {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        LIVE_DEFLATERS.incrementAndGet();
        return d;
    }

    /** A new raw-inflate decompressor (reads any window up to 15 bits), counted. */
    public static Inflater newInflater() {
        Inflater i = new Inflater(true);
        LIVE_INFLATERS.incrementAndGet();
        return i;
    }

    /** Frees a Deflater's native memory; it must not be used again. */
    public static void end(Deflater d) {
        d.end();
        LIVE_DEFLATERS.decrementAndGet();
    }

    /** Frees an Inflater's native memory; it must not be used again. */
    public static void end(Inflater i) {
        i.end();
        LIVE_INFLATERS.decrementAndGet();
    }

    /** A reset Deflater, spare or new. */
    public Deflater takeDeflater() {
        if (deflaterCount > 0) {
            Deflater d = deflaters[--deflaterCount];
            deflaters[deflaterCount] = null;
            return d;
        }
        return newDeflater();
    }

    /** Takes back a Deflater (reset here); ends it when the pool is full. */
    public void giveDeflater(Deflater d) {
        if (deflaterCount < MAX_SPARE) {
            d.reset();
            deflaters[deflaterCount++] = d;
        } else {
            end(d);
        }
    }

    /** A reset Inflater, spare or new. */
    public Inflater takeInflater() {
        if (inflaterCount > 0) {
            Inflater i = inflaters[--inflaterCount];
            inflaters[inflaterCount] = null;
            return i;
        }
        return newInflater();
    }

    /** Takes back an Inflater (reset here); ends it when the pool is full. */
    public void giveInflater(Inflater i) {
        if (inflaterCount < MAX_SPARE) {
            i.reset();
            inflaters[inflaterCount++] = i;
        } else {
            end(i);
        }
    }

    /** Spare streams held now (tests). */
    public int spareCount() {
        return deflaterCount + inflaterCount;
    }

    /** Ends every spare stream (the loop is stopping). */
    public void clear() {
        while (deflaterCount > 0) {
            end(deflaters[--deflaterCount]);
            deflaters[deflaterCount] = null;
        }
        while (inflaterCount > 0) {
            end(inflaters[--inflaterCount]);
            inflaters[inflaterCount] = null;
        }
    }

    /**
     * The loop's plain-text scratch for one outgoing message: cleared, at least {@code minBytes}, limit at
     * {@code minBytes}; valid until the next call on this loop.
     */
    public ByteBuffer plain(int minBytes) {
        if (plain.capacity() < minBytes) {
            plain = ByteBuffer.allocate(Math.max(minBytes, Math.min(2 * plain.capacity(), Integer.MAX_VALUE - 8)));
        }
        plain.clear().limit(minBytes);
        return plain;
    }

    /** Drops a plain scratch grown past {@link #RETAINED_SCRATCH} after its message. */
    void trimPlain() {
        if (plain.capacity() > RETAINED_SCRATCH) {
            plain = ByteBuffer.allocate(16 * 1024);
        }
    }

    /** The loop's deflate output scratch (direct), cleared. */
    ByteBuffer deflated() {
        deflated.clear();
        return deflated;
    }

    /** The deflate output scratch doubled, its written bytes kept (the new one is in write mode after them). */
    ByteBuffer growDeflated(ByteBuffer full) {
        ByteBuffer bigger = ByteBuffer.allocateDirect(full.capacity() * 2);
        full.flip();
        bigger.put(full);
        deflated = bigger;
        return bigger;
    }

    /** Drops a deflate output scratch grown past {@link #RETAINED_SCRATCH} after its message. */
    void trimDeflated() {
        if (deflated.capacity() > RETAINED_SCRATCH) {
            deflated = ByteBuffer.allocateDirect(16 * 1024);
        }
    }
}
