package dev.engineionio.timer;

import java.util.Arrays;

/**
 * A hashed timer wheel of deadlines in nanoseconds, after Agrona's {@code DeadlineTimerWheel}
 * ({@code org.agrona.DeadlineTimerWheel}): deadlines are primitive {@code long}s, a timer id packs its slot and its
 * index in that slot so that {@link #cancel(long)} is O(1), and {@link #poll(long, Handler, int)} takes the current
 * time as an argument.
 *
 * <h2>Threads</h2>
 * Not thread-safe. A wheel is owned by one event-loop thread and every method is called on that thread only
 * (including from inside a {@link Handler}). Other threads reach it by handing a command to the loop.
 *
 * <h2>Time</h2>
 * All times are {@code System.nanoTime()}-style nanoseconds ({@code ...Ns}) chosen by the caller; the wheel never
 * reads a clock. Deadlines are compared as {@code deadlineNs - nowNs <= 0}, so the arithmetic survives the wrap of a
 * nanosecond counter as long as live deadlines lie within 2<sup>62</sup> ns (146 years) of "now". A timer expires at
 * the first {@code poll} whose {@code nowNs} is at or past its deadline, at most one tick late if polls are that
 * sparse. A deadline already in the past expires at the next poll.
 *
 * <h2>Layout and memory (the deliberate difference from Agrona)</h2>
 * {@code ticksPerWheel} slots (a power of two) of {@code tickNs} each (a power of two). Agrona keeps every slot in one
 * flat {@code long[]} of {@code ticksPerWheel × slotCapacity} and doubles <em>every</em> slot when one is full, so
 * its memory is {@code ticksPerWheel ×} the largest burst ever armed in one tick (1,000 deadlines armed in the same
 * millisecond of a 4096-slot wheel cost 4096 × 1024 entries, ~48 MB). Here each slot has its own pair of arrays
 * (a {@code long[]} of deadlines and an {@code Object[]} of targets, 12 bytes per entry with compressed oops):
 * <ul>
 *   <li>a slot's arrays are allocated on its first timer, with room for {@code slotCapacity} timers;</li>
 *   <li>a full slot doubles its own arrays only (amortised O(1); ids stay valid, entries keep their index);</li>
 *   <li>when a slot becomes empty, its scan mark and free list are reset, and if it had grown past
 *       {@code retainedSlotCapacity} its arrays are released (the next timer in that slot allocates
 *       {@code slotCapacity} again), so a one-off burst does not pin memory; a slot at or under
 *       {@code retainedSlotCapacity} keeps its arrays, so a steady load allocates nothing.</li>
 * </ul>
 * A slot's capacity is therefore below twice the most timers it has held at once since it was last empty (ids
 * cannot move, so a slot shrinks only when empty), or {@code retainedSlotCapacity} for a slot that has been used;
 * an unused slot costs about 20 bytes of bookkeeping. A burst costs memory in the slots it lands in only, and only
 * until they empty. Freed entries of a slot form an intrusive free list threaded through its deadline array; entries never
 * used since the slot was last empty lie above a per-slot high-water mark. Nothing is allocated per schedule, cancel
 * or expiry in steady state: only a slot's first timer, its growth, and its first timer after a release allocate.
 *
 * <h2>Cost</h2>
 * {@link #schedule} and {@link #cancel} are O(1). {@link #poll} looks at each tick's slot once and, for a slot that
 * holds timers, scans its entries below the high-water mark (the most timers the slot held at once since it was last
 * empty, not its capacity); empty slots cost one array read each. {@link #nextExpiryUpperBoundNs} is O(ticksPerWheel)
 * in the worst case.
 *
 * <h2>Timer ids</h2>
 * {@code id = (slot << 32) | indexInSlot}. An id is valid from {@link #schedule} until the timer expires (the handler's
 * call is the notice) or is cancelled; after that the caller must forget it, because the entry is reused by later
 * timers. {@link #NULL_TIMER} ({@code -1}) is never a valid id and is safe to cancel.
 *
 * <h2>Limits</h2>
 * {@code ticksPerWheel} from 2 to 2<sup>24</sup>; a slot holds at most 2<sup>30</sup> timers (a schedule beyond that
 * throws {@link IllegalStateException}); {@code slotCapacity} (initial, default used by the driver: 4) and
 * {@code retainedSlotCapacity} (default {@link #DEFAULT_RETAINED_SLOT_CAPACITY}) are powers of two up to
 * 2<sup>30</sup>; no limit on the number of timers other than memory.
 *
 * @param <T> the owner of a timer, handed back on expiry (never {@code null})
 */
public final class TimerWheel<T> {

    /** Called for each expired timer, on the thread that calls {@link #poll}. */
    @FunctionalInterface
    public interface Handler<T> {
        /**
         * The timer {@code timerId} of {@code target} has expired at {@code nowNs}. Its entry is already free: the
         * handler may schedule (even into the same slot) or cancel other timers; the id is no longer valid.
         */
        void onTimerExpiry(long timerId, T target, long nowNs);
    }

    /** The id that is never given to a timer. */
    public static final long NULL_TIMER = -1L;

    /**
     * Default of {@code retainedSlotCapacity}: a slot that empties keeps arrays of up to 64 entries (~0.8 kB), larger
     * ones are released. With the driver's 4096 slots this bounds what a past peak can pin to ~3 MB, and only after
     * every slot has held more than 32 timers at once (over 130,000 live timers).
     */
    public static final int DEFAULT_RETAINED_SLOT_CAPACITY = 64;

    private static final int NO_FREE = -1;
    private static final int MAX_SLOT_CAPACITY = 1 << 30;
    private static final long[] NO_DEADLINES = new long[0];
    private static final Object[] NO_TARGETS = new Object[0];

    private final int tickShift;
    private final long tickNs;
    private final int wheelMask;
    private final int ticksPerWheel;
    private final int initialSlotCapacity;
    private final int retainedSlotCapacity;

    /**
     * deadlines[slot][index]; a free entry below the high-water mark holds the index of the next free entry of its
     * slot. An unallocated slot holds the shared empty array.
     */
    private final long[][] deadlines;
    /** targets parallel to deadlines; {@code null} marks a free entry. */
    private final Object[][] targets;
    /** Head of each slot's free list (indexes below its high-water mark), or {@link #NO_FREE}. */
    private final int[] freeHead;
    /** Entries {@code [0, highWater)} of a slot have been used since it was last empty; poll scans only those. */
    private final int[] highWater;
    private final int[] slotCount;
    /** A bit per slot, set while the slot holds a timer: {@link #nextExpiryUpperBoundNs} scans 64 slots a word. */
    private final long[] occupied;

    private long timerCount;
    /** Sum of the slots' array lengths (entries allocated). */
    private long totalCapacity;
    /** The tick whose slot poll looks at first; only moves forward. */
    private long currentTick;
    /** Start of {@link #currentTick} in ns. */
    private long currentTickStartNs;
    /** Where a poll stopped by its limit resumes inside the current slot. */
    private int pollIndex;
    /** During a poll: the tick of the poll's "now" (timers scheduled into the past go there). */
    private long pollTargetTick;
    private boolean polling;

    /**
     * A wheel whose emptied slots keep up to {@link #DEFAULT_RETAINED_SLOT_CAPACITY} entries (or
     * {@code slotCapacity} if larger).
     *
     * @param startTimeNs   the time of tick 0, usually the loop's "now" at start
     * @param tickNs        tick resolution in ns, a power of two (e.g. {@code 1 << 20} ≈ 1.05 ms)
     * @param ticksPerWheel number of slots, a power of two
     * @param slotCapacity  timers per slot allocated on a slot's first timer, a power of two (grows by doubling)
     */
    public TimerWheel(long startTimeNs, long tickNs, int ticksPerWheel, int slotCapacity) {
        this(startTimeNs, tickNs, ticksPerWheel, slotCapacity,
            Math.max(slotCapacity, DEFAULT_RETAINED_SLOT_CAPACITY));
    }

    /**
     * @param startTimeNs          the time of tick 0, usually the loop's "now" at start
     * @param tickNs               tick resolution in ns, a power of two (e.g. {@code 1 << 20} ≈ 1.05 ms)
     * @param ticksPerWheel        number of slots, a power of two
     * @param slotCapacity         timers per slot allocated on a slot's first timer, a power of two (grows by doubling)
     * @param retainedSlotCapacity a slot that becomes empty releases its arrays if they are larger than this; a power
     *                             of two, at least {@code slotCapacity}
     */
    public TimerWheel(long startTimeNs, long tickNs, int ticksPerWheel, int slotCapacity, int retainedSlotCapacity) {
        if (tickNs <= 0 || Long.bitCount(tickNs) != 1) {
            throw new IllegalArgumentException("tickNs must be a positive power of two: " + tickNs);
        }
        if (ticksPerWheel < 2 || ticksPerWheel > (1 << 24) || Integer.bitCount(ticksPerWheel) != 1) {
            throw new IllegalArgumentException("ticksPerWheel must be a power of two in [2, 2^24]: " + ticksPerWheel);
        }
        if (slotCapacity < 1 || slotCapacity > MAX_SLOT_CAPACITY || Integer.bitCount(slotCapacity) != 1) {
            throw new IllegalArgumentException("slotCapacity must be a power of two in [1, 2^30]: " + slotCapacity);
        }
        if (retainedSlotCapacity < slotCapacity || retainedSlotCapacity > MAX_SLOT_CAPACITY
            || Integer.bitCount(retainedSlotCapacity) != 1) {
            throw new IllegalArgumentException(
                "retainedSlotCapacity must be a power of two in [slotCapacity, 2^30]: " + retainedSlotCapacity);
        }
        this.tickNs = tickNs;
        this.tickShift = Long.numberOfTrailingZeros(tickNs);
        this.ticksPerWheel = ticksPerWheel;
        this.wheelMask = ticksPerWheel - 1;
        this.initialSlotCapacity = slotCapacity;
        this.retainedSlotCapacity = retainedSlotCapacity;
        this.deadlines = new long[ticksPerWheel][];
        this.targets = new Object[ticksPerWheel][];
        Arrays.fill(deadlines, NO_DEADLINES);
        Arrays.fill(targets, NO_TARGETS);
        this.freeHead = new int[ticksPerWheel];
        Arrays.fill(freeHead, NO_FREE);
        this.highWater = new int[ticksPerWheel];
        this.slotCount = new int[ticksPerWheel];
        this.occupied = new long[(ticksPerWheel + 63) >>> 6];
        this.currentTick = 0;
        this.currentTickStartNs = startTimeNs;
    }

    /** Tick resolution in ns. */
    public long tickNs() {
        return tickNs;
    }

    /** Number of slots. */
    public int ticksPerWheel() {
        return ticksPerWheel;
    }

    /** Live timers. */
    public long timerCount() {
        return timerCount;
    }

    /**
     * The capacity of the largest slot now allocated, or the initial {@code slotCapacity} if none is larger. Slots
     * grow and shrink independently; this is a diagnostic and costs O(ticksPerWheel).
     */
    public int slotCapacity() {
        int max = initialSlotCapacity;
        for (long[] d : deadlines) {
            max = Math.max(max, d.length);
        }
        return max;
    }

    /** Start in ns of the tick that poll looks at first. */
    public long currentTickStartNs() {
        return currentTickStartNs;
    }

    /** Entries allocated over all slots (what the wheel holds in memory: 12 bytes each with compressed oops). */
    long totalCapacity() {
        return totalCapacity;
    }

    /** Entries allocated for {@code slot} (0 if its arrays are not allocated). */
    int slotCapacity(int slot) {
        return deadlines[slot].length;
    }

    /** Entries of {@code slot} that a poll of it scans. */
    int slotHighWater(int slot) {
        return highWater[slot];
    }

    /** Slots whose arrays are allocated. */
    int allocatedSlots() {
        int n = 0;
        for (long[] d : deadlines) {
            if (d.length != 0) {
                n++;
            }
        }
        return n;
    }

    /**
     * Schedules a timer.
     *
     * @param deadlineNs when it expires (a past deadline expires at the next poll)
     * @param target     handed back to the handler on expiry; not {@code null}
     * @return the timer id, valid until expiry or cancel
     * @throws IllegalStateException if the slot already holds 2<sup>30</sup> timers
     */
    public long schedule(long deadlineNs, T target) {
        if (target == null) {
            throw nullTarget();
        }
        long fromCurrent = deadlineNs - currentTickStartNs;
        long tick = fromCurrent <= 0 ? currentTick : currentTick + (fromCurrent >> tickShift);
        if (polling && tick < pollTargetTick) {
            // The poll has passed (or is passing) this tick: put it where this poll, or the next, will look.
            tick = pollTargetTick;
        }
        int slot = (int) tick & wheelMask;
        long[] d = deadlines[slot];
        int index = freeHead[slot];
        if (index != NO_FREE) {
            freeHead[slot] = (int) d[index];
        } else {
            index = highWater[slot];
            if (index == d.length) {
                d = grow(slot);
            }
            highWater[slot] = index + 1;
        }
        d[index] = deadlineNs;
        targets[slot][index] = target;
        if (slotCount[slot]++ == 0) {
            occupied[slot >>> 6] |= 1L << slot;
        }
        timerCount++;
        return ((long) slot << 32) | index;
    }

    /**
     * Cancels a live timer.
     *
     * @return {@code true} if the id named a live timer (now cancelled), {@code false} for {@link #NULL_TIMER} or an
     *     id out of range or already free
     */
    public boolean cancel(long timerId) {
        if (!live(timerId)) {
            return false;
        }
        free((int) (timerId >>> 32), (int) timerId);
        return true;
    }

    /** The deadline of a live timer, or {@code defaultValue} if the id names none. */
    public long deadline(long timerId, long defaultValue) {
        return live(timerId) ? deadlines[(int) (timerId >>> 32)][(int) timerId] : defaultValue;
    }

    /** The target of a live timer, or {@code null}. */
    @SuppressWarnings("unchecked")
    public T target(long timerId) {
        return live(timerId) ? (T) targets[(int) (timerId >>> 32)][(int) timerId] : null;
    }

    private boolean live(long timerId) {
        if (timerId < 0) {
            return false;
        }
        long slot = timerId >>> 32;
        long index = timerId & 0xFFFF_FFFFL;
        return slot < ticksPerWheel && index < highWater[(int) slot] && targets[(int) slot][(int) index] != null;
    }

    private void free(int slot, int index) {
        timerCount--;
        if (--slotCount[slot] == 0) {
            occupied[slot >>> 6] &= ~(1L << slot);
            // Empty: forget the free list and the scan mark; release a slot that a burst grew.
            Object[] t = targets[slot];
            if (t.length > retainedSlotCapacity) {
                totalCapacity -= t.length;
                deadlines[slot] = NO_DEADLINES;
                targets[slot] = NO_TARGETS;
            } else {
                t[index] = null;
            }
            freeHead[slot] = NO_FREE;
            highWater[slot] = 0;
            return;
        }
        targets[slot][index] = null;
        deadlines[slot][index] = freeHead[slot];
        freeHead[slot] = index;
    }

    /**
     * Expires every timer whose deadline is at or before {@code nowNs}, at most {@code limit} of them, calling the
     * handler for each. A poll stopped by the limit resumes where it stopped at the next call. When polls are more
     * than one wheel turn apart, one full turn is scanned (which finds every expired timer) and the wheel jumps ahead.
     * A slot's scan covers its entries below its high-water mark only.
     *
     * @return the number of timers expired by this call
     */
    @SuppressWarnings("unchecked")
    public int poll(long nowNs, Handler<? super T> handler, int limit) {
        long elapsed = nowNs - currentTickStartNs;
        long targetTick = elapsed <= 0 ? currentTick : currentTick + (elapsed >> tickShift);
        if (timerCount == 0) {
            moveTo(targetTick);
            return 0;
        }
        int expired = 0;
        long ticksToScan = Math.min(targetTick - currentTick, ticksPerWheel - 1L);
        pollTargetTick = targetTick;
        polling = true;
        try {
            for (long t = 0; t <= ticksToScan; t++) {
                int slot = (int) currentTick & wheelMask;
                if (slotCount[slot] > 0) {
                    // Circular scan from where a limited poll stopped: every used entry of the slot is looked at
                    // with this nowNs, including ones before the resume point that have expired since.
                    int used = highWater[slot];
                    int start = pollIndex < used ? pollIndex : 0;
                    long[] d = deadlines[slot];
                    Object[] tg = targets[slot];
                    int hw = used;
                    for (int n = 0; n < used; n++) {
                        int i = start + n;
                        if (i >= used) {
                            i -= used;
                        }
                        if (i >= hw) {
                            continue;
                        }
                        Object target = tg[i];
                        if (target != null && d[i] - nowNs <= 0) {
                            if (expired == limit) {
                                pollIndex = i;
                                return expired;
                            }
                            free(slot, i);
                            expired++;
                            handler.onTimerExpiry(((long) slot << 32) | i, (T) target, nowNs);
                            // The slot may have emptied (released, mark reset) or grown by the handler's schedules.
                            d = deadlines[slot];
                            tg = targets[slot];
                            hw = highWater[slot];
                        }
                    }
                }
                pollIndex = 0;
                if (t < ticksToScan) {
                    currentTick++;
                    currentTickStartNs += tickNs;
                }
            }
            moveTo(targetTick);
            return expired;
        } finally {
            polling = false;
        }
    }

    private void moveTo(long tick) {
        if (tick > currentTick) {
            currentTickStartNs += (tick - currentTick) << tickShift;
            currentTick = tick;
            pollIndex = 0;
        }
    }

    /**
     * An upper bound on the time of the next expiry, for a selector timeout: the end of the first non-empty slot's
     * tick, scanning at most one wheel turn from the current tick; "none" is reported as {@code nowNs + maxWaitNs}.
     * Only the slots whose tick starts before {@code nowNs + maxWaitNs} are looked at (a later one would give the limit
     * anyway), 64 at a time in a bitmap of non-empty slots: at most
     * {@code min(ticksPerWheel, maxWaitNs / tickNs + 1) / 64 + 2} words (17 for 1 s of 1 ms ticks, where a scan of the
     * slot counters cost 1 to 4 µs per select and was the top frame of a polling profile).
     *
     * @param nowNs     the current time
     * @param maxWaitNs the longest wait the caller accepts
     * @return the bound, at most {@code nowNs + maxWaitNs}
     */
    public long nextExpiryUpperBoundNs(long nowNs, long maxWaitNs) {
        long limitNs = nowNs + maxWaitNs;
        if (timerCount == 0) {
            return limitNs;
        }
        // Slots t >= span end after limitNs: span * tickNs > limitNs - currentTickStartNs.
        long untilLimit = limitNs - currentTickStartNs;
        long span = untilLimit < 0 ? 1 : Math.min(ticksPerWheel, (untilLimit >> tickShift) + 1);
        int start = (int) currentTick & wheelMask;
        long t = 0;
        while (t < span) {
            int slot = (start + (int) t) & wheelMask;
            long bits = occupied[slot >>> 6] >>> (slot & 63);
            if (bits != 0) {
                t += Long.numberOfTrailingZeros(bits);
                if (t >= span) {
                    break;
                }
                long endNs = currentTickStartNs + ((t + 1) << tickShift);
                return endNs - limitNs < 0 ? endNs : limitNs;
            }
            // no timer from this slot to the end of its word (or of the wheel, if that comes first)
            t += Math.min(slot | 63, wheelMask) - slot + 1;
        }
        return limitNs;
    }

    /** Removes every timer without calling the handler; slots grown past {@code retainedSlotCapacity} are released. */
    public void clear() {
        for (int s = 0; s < ticksPerWheel; s++) {
            Object[] t = targets[s];
            if (t.length > retainedSlotCapacity) {
                totalCapacity -= t.length;
                deadlines[s] = NO_DEADLINES;
                targets[s] = NO_TARGETS;
            } else {
                Arrays.fill(t, 0, highWater[s], null);
            }
            slotCount[s] = 0;
            highWater[s] = 0;
            freeHead[s] = NO_FREE;
        }
        Arrays.fill(occupied, 0L);
        timerCount = 0;
    }

    /** Allocates (first timer) or doubles the arrays of a full slot; entries keep their indexes. */
    private long[] grow(int slot) {
        long[] old = deadlines[slot];
        int oldCapacity = old.length;
        if (oldCapacity >= MAX_SLOT_CAPACITY) {
            throw slotFull(oldCapacity);
        }
        int newCapacity = oldCapacity == 0 ? initialSlotCapacity : oldCapacity << 1;
        long[] d = Arrays.copyOf(old, newCapacity);
        deadlines[slot] = d;
        targets[slot] = Arrays.copyOf(targets[slot], newCapacity);
        totalCapacity += newCapacity - oldCapacity;
        return d;
    }

    private static IllegalStateException slotFull(int capacity) {
        return new IllegalStateException("timer wheel slot full: " + capacity);
    }

    private static NullPointerException nullTarget() {
        return new NullPointerException("target");
    }
}
