package dev.engineionio.timer;

import java.util.Arrays;

/**
 * A hashed timer wheel of deadlines in nanoseconds, after Agrona's {@code DeadlineTimerWheel}: deadlines live in
 * primitive {@code long[]}s (one per slot), a timer id packs its slot and its index in that slot so that
 * {@link #cancel(long)} is O(1), and {@link #poll(long, Handler, int)} takes the current time as an argument.
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
 * <h2>Layout and memory</h2>
 * {@code ticksPerWheel} slots (a power of two) of {@code tickNs} each (a power of two); each slot has its own pair of
 * arrays, a {@code long[]} of deadlines and an {@code Object[]} of targets, with room for {@code slotCapacity} timers
 * at first. When one slot is full, that slot alone doubles (amortised O(1); the only allocation, and rare): a burst of
 * timers with the same deadline (all the sessions opened in one loop iteration share its "now") costs memory in its
 * own slot only, not {@code ticksPerWheel} times over as with one array laid out slot by slot (Agrona's layout, where
 * a burst of 256 equal deadlines made 4096 × 256 entries, 12 MB). Free entries of a slot form an intrusive free list
 * threaded through its deadline array, so schedule is O(1) too. Nothing is allocated per schedule, cancel or expiry
 * in steady state.
 *
 * <h2>Timer ids</h2>
 * {@code id = (slot << 32) | indexInSlot}. An id is valid from {@link #schedule} until the timer expires (the handler's
 * call is the notice) or is cancelled; after that the caller must forget it, because the entry is reused by later
 * timers. {@link #NULL_TIMER} ({@code -1}) is never a valid id and is safe to cancel.
 *
 * <h2>Limits</h2>
 * {@code ticksPerWheel} from 2 to 2<sup>24</sup>; slot capacity at most 2<sup>30</sup>; no limit on the number of
 * timers other than memory.
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

    private static final int NO_FREE = -1;
    private static final int INITIAL_SLOT_CAPACITY_MAX = 1 << 30;

    private final int tickShift;
    private final long tickNs;
    private final int wheelMask;
    private final int ticksPerWheel;

    /** deadlines[slot][index]; a free entry holds the index of the next free entry of its slot. */
    private final long[][] deadlines;
    /** targets parallel to deadlines; {@code null} marks a free entry. */
    private final Object[][] targets;
    /** The largest capacity of any slot. */
    private int maxSlotCapacity;
    /** Entries of all slots together (live or free). */
    private long entryCapacity;
    private final int[] freeHead;
    private final int[] slotCount;
    /** Bit {@code slot & 63} of word {@code slot >>> 6} is set when the slot holds a timer (for the next-expiry scan). */
    private final long[] occupied;

    private long timerCount;
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
     * @param startTimeNs   the time of tick 0, usually the loop's "now" at start
     * @param tickNs        tick resolution in ns, a power of two (e.g. {@code 1 << 20} ≈ 1.05 ms)
     * @param ticksPerWheel number of slots, a power of two
     * @param slotCapacity  initial timers per slot, a power of two (grows by doubling)
     */
    public TimerWheel(long startTimeNs, long tickNs, int ticksPerWheel, int slotCapacity) {
        if (tickNs <= 0 || Long.bitCount(tickNs) != 1) {
            throw new IllegalArgumentException("tickNs must be a positive power of two: " + tickNs);
        }
        if (ticksPerWheel < 2 || ticksPerWheel > (1 << 24) || Integer.bitCount(ticksPerWheel) != 1) {
            throw new IllegalArgumentException("ticksPerWheel must be a power of two in [2, 2^24]: " + ticksPerWheel);
        }
        if (slotCapacity < 1 || slotCapacity > INITIAL_SLOT_CAPACITY_MAX || Integer.bitCount(slotCapacity) != 1) {
            throw new IllegalArgumentException("slotCapacity must be a power of two in [1, 2^30]: " + slotCapacity);
        }
        this.tickNs = tickNs;
        this.tickShift = Long.numberOfTrailingZeros(tickNs);
        this.ticksPerWheel = ticksPerWheel;
        this.wheelMask = ticksPerWheel - 1;
        this.maxSlotCapacity = slotCapacity;
        this.entryCapacity = (long) ticksPerWheel * slotCapacity;
        this.deadlines = new long[ticksPerWheel][];
        this.targets = new Object[ticksPerWheel][];
        this.freeHead = new int[ticksPerWheel];
        this.slotCount = new int[ticksPerWheel];
        this.occupied = new long[(ticksPerWheel + 63) >>> 6];
        for (int s = 0; s < ticksPerWheel; s++) {
            deadlines[s] = new long[slotCapacity];
            targets[s] = new Object[slotCapacity];
            chainFree(s, 0, slotCapacity);
        }
        this.currentTick = 0;
        this.currentTickStartNs = startTimeNs;
    }

    /** Threads the entries {@code [from, to)} of {@code slot} onto the front of its free list. */
    private void chainFree(int slot, int from, int to) {
        long[] d = deadlines[slot];
        int next = from == 0 ? NO_FREE : freeHead[slot];
        for (int i = to - 1; i >= from; i--) {
            d[i] = next;
            next = i;
        }
        freeHead[slot] = next;
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

    /** The largest capacity of any slot (each slot grows by doubling, alone). */
    public int slotCapacity() {
        return maxSlotCapacity;
    }

    /** The capacity of all slots together (live and free entries): what the wheel's memory is proportional to. */
    public long entryCapacity() {
        return entryCapacity;
    }

    /** Start in ns of the tick that poll looks at first. */
    public long currentTickStartNs() {
        return currentTickStartNs;
    }

    /**
     * Schedules a timer.
     *
     * @param deadlineNs when it expires (a past deadline expires at the next poll)
     * @param target     handed back to the handler on expiry; not {@code null}
     * @return the timer id, valid until expiry or cancel
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
        int index = freeHead[slot];
        if (index == NO_FREE) {
            grow(slot);
            index = freeHead[slot];
        }
        long[] d = deadlines[slot];
        freeHead[slot] = (int) d[index];
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

    /** Whether the id names a live timer (in range, entry in use). */
    private boolean live(long timerId) {
        if (timerId < 0) {
            return false;
        }
        long slot = timerId >>> 32;
        long index = timerId & 0xFFFF_FFFFL;
        if (slot >= ticksPerWheel) {
            return false;
        }
        Object[] t = targets[(int) slot];
        return index < t.length && t[(int) index] != null;
    }

    private void free(int slot, int index) {
        targets[slot][index] = null;
        deadlines[slot][index] = freeHead[slot];
        freeHead[slot] = index;
        if (--slotCount[slot] == 0) {
            occupied[slot >>> 6] &= ~(1L << slot);
        }
        timerCount--;
    }

    /**
     * Expires every timer whose deadline is at or before {@code nowNs}, at most {@code limit} of them, calling the
     * handler for each. A poll stopped by the limit resumes where it stopped at the next call. When polls are more
     * than one wheel turn apart, one full turn is scanned (which finds every expired timer) and the wheel jumps ahead.
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
                    // Circular scan from where a limited poll stopped: every entry of the slot is looked at
                    // with this nowNs, including ones before the resume point that have expired since.
                    int start = pollIndex;
                    Object[] ts = targets[slot];
                    long[] ds = deadlines[slot];
                    for (int n = 0; n < ts.length; n++) {
                        int i = start + n;
                        if (i >= ts.length) {
                            i -= ts.length;
                        }
                        Object target = ts[i];
                        if (target != null && ds[i] - nowNs <= 0) {
                            if (expired == limit) {
                                pollIndex = i;
                                return expired;
                            }
                            free(slot, i);
                            expired++;
                            handler.onTimerExpiry(((long) slot << 32) | i, (T) target, nowNs);
                            // A handler that grew this slot replaced its arrays.
                            ts = targets[slot];
                            ds = deadlines[slot];
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
     * tick, scanning at most one wheel turn from the current tick; {@code Long.MAX_VALUE}-like "none" is reported as
     * {@code nowNs + maxWaitNs}. Only the slots whose tick starts before {@code nowNs + maxWaitNs} are looked at (a later
     * one would give the limit anyway), 64 at a time in a bitmap of non-empty slots: at most
     * {@code min(ticksPerWheel, maxWaitNs / tickNs + 1) / 64 + 2} words (17 for 1 s of 1 ms ticks, where a scan of
     * the slot counters cost 1 to 4 µs per select and showed as the top frame of a polling profile).
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

    /** Removes every timer without calling the handler. */
    public void clear() {
        for (int s = 0; s < ticksPerWheel; s++) {
            Arrays.fill(targets[s], null);
            slotCount[s] = 0;
            occupied[s >>> 6] = 0;
            chainFree(s, 0, targets[s].length);
        }
        timerCount = 0;
    }

    /** Doubles the capacity of one full slot; indexes (and so ids) of its live timers stay as they are. */
    private void grow(int slot) {
        int oldCapacity = targets[slot].length;
        if (oldCapacity >= INITIAL_SLOT_CAPACITY_MAX) {
            throw new IllegalStateException("timer wheel slot full: " + oldCapacity);
        }
        int newCapacity = oldCapacity << 1;
        deadlines[slot] = Arrays.copyOf(deadlines[slot], newCapacity);
        targets[slot] = Arrays.copyOf(targets[slot], newCapacity);
        // The free list holds in-slot indexes, so it survives the copy; the new half goes on its front.
        chainFree(slot, oldCapacity, newCapacity);
        entryCapacity += newCapacity - oldCapacity;
        if (newCapacity > maxSlotCapacity) {
            maxSlotCapacity = newCapacity;
        }
    }

    private static NullPointerException nullTarget() {
        return new NullPointerException("target");
    }
}
