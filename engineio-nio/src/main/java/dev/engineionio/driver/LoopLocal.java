package dev.engineionio.driver;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A typed per-event-loop slot, like a {@code ThreadLocal} without the hash lookup: upper layers keep one scratch object
 * per loop (a parser scratch buffer, a SHA-1 {@code MessageDigest}) and fetch it with {@link EventLoop#local(LoopLocal)}
 * on the loop thread. Declare instances as {@code static final}; each costs one array slot per loop.
 *
 * <p>Thread-safety: the key is immutable and shareable; the value belongs to one loop and is used on that loop's
 * thread only.
 *
 * @param <T> value type
 */
public final class LoopLocal<T> {

    private static final AtomicInteger NEXT_INDEX = new AtomicInteger();

    final int index;
    final Supplier<? extends T> initial;

    private LoopLocal(Supplier<? extends T> initial) {
        this.index = NEXT_INDEX.getAndIncrement();
        this.initial = initial;
    }

    /** A slot whose value is made by {@code initial} on first use in each loop (on that loop's thread). */
    public static <T> LoopLocal<T> withInitial(Supplier<? extends T> initial) {
        if (initial == null) {
            throw new NullPointerException("initial");
        }
        return new LoopLocal<>(initial);
    }
}
