package dev.engineionio.driver;

import java.nio.ByteBuffer;

/**
 * A per-event-loop stack of direct buffers of one size ({@link DriverConfig#chunkSize()}): connections take one while
 * they hold a partial input unit or unsent output and give it back when drained, so an idle connection holds none.
 *
 * <p>Thread: the owning loop only. Limits: at most {@code maxPooled} idle buffers are kept; a buffer given back beyond
 * that, or of another size or kind, is dropped for the GC. Buffers are handed out cleared (position 0, limit =
 * capacity).
 */
final class BufferPool {

    private final int chunkSize;
    private final ByteBuffer[] free;
    private int count;
    private long allocated;

    BufferPool(int chunkSize, int maxPooled) {
        this.chunkSize = chunkSize;
        this.free = new ByteBuffer[maxPooled];
    }

    int chunkSize() {
        return chunkSize;
    }

    ByteBuffer acquire() {
        if (count > 0) {
            ByteBuffer b = free[--count];
            free[count] = null;
            return b;
        }
        allocated++;
        return ByteBuffer.allocateDirect(chunkSize);
    }

    /** True if {@code b} is of the pooled kind (and so may be appended to and given back). */
    boolean isPoolable(ByteBuffer b) {
        return b.isDirect() && b.capacity() == chunkSize;
    }

    void release(ByteBuffer b) {
        if (count < free.length && isPoolable(b)) {
            b.clear();
            free[count++] = b;
        }
    }

    /** Idle buffers held. */
    int pooled() {
        return count;
    }

    /** Direct buffers allocated since start (a pool that works keeps this flat). */
    long allocated() {
        return allocated;
    }
}
