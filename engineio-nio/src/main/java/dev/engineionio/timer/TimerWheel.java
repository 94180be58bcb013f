package dev.engineionio.timer;

import java.util.Arrays;

/**
 * A hashed timer wheel of deadlines in nanoseconds, after Agrona's {@code DeadlineTimerWheel}: deadlines live in one
 * primitive {@code long[]} laid out slot by slot, a timer id packs its slot and its index in that slot so that
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
 * {@code ticksPerWheel} slots (a power of two) of {@code tickNs} each (a power of two); each slot has room for
 * {@code slotCapacity} timers. Per timer: one {@code long} deadline and one target reference. When one slot is full,
 * every slot doubles (amortised O(1); the only allocation, and rare). Free entries of a slot form an intrusive free
 * list threaded through the deadline array itself, so schedule is O(1) too. Nothing is allocated per schedule, cancel
 * or expiry in steady state.
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

    /** deadlines[slot * slotCapacity + index]; a free entry holds the index of the next free entry of its slot. */
    private long[] deadlines;
    /** targets parallel to deadlines; {@code null} marks a free entry. */
    private Object[] targets;
    private int slotCapacity;
    private int slotShift;
    private final int[] freeHead;
    private final int[] slotCount;

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
        this.slotCapacity = slotCapacity;
        this.slotShift = Integer.numberOfTrailingZeros(slotCapacity);
        this.deadlines = new long[ticksPerWheel * slotCapacity];
        this.targets = new Object[ticksPerWheel * slotCapacity];
        this.freeHead = new int[ticksPerWheel];
        this.slotCount = new int[ticksPerWheel];
        for (int s = 0; s < ticksPerWheel; s++) {
            chainFree(s, 0, slotCapacity);
        }
        this.currentTick = 0;
        this.currentTickStartNs = startTimeNs;
    }

    /** Threads the entries {@code [from, to)} of {@code slot} onto the front of its free list. */
    private void chainFree(int slot, int from, int to) {
        int base = slot << slotShift;
        int next = from == 0 ? NO_FREE : freeHead[slot];
        for (int i = to - 1; i >= from; i--) {
            deadlines[base + i] = next;
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

    /** Current per-slot capacity (grows by doubling). */
    public int slotCapacity() {
        return slotCapacity;
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
            grow();
            index = freeHead[slot];
        }
        int at = (slot << slotShift) + index;
        freeHead[slot] = (int) deadlines[at];
        deadlines[at] = deadlineNs;
        targets[at] = target;
        slotCount[slot]++;
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
        int at = entry(timerId);
        if (at < 0) {
            return false;
        }
        free(at, (int) (timerId >>> 32), (int) timerId);
        return true;
    }

    /** The deadline of a live timer, or {@code defaultValue} if the id names none. */
    public long deadline(long timerId, long defaultValue) {
        int at = entry(timerId);
        return at < 0 ? defaultValue : deadlines[at];
    }

    /** The target of a live timer, or {@code null}. */
    @SuppressWarnings("unchecked")
    public T target(long timerId) {
        int at = entry(timerId);
        return at < 0 ? null : (T) targets[at];
    }

    private int entry(long timerId) {
        if (timerId < 0) {
            return -1;
        }
        long slot = timerId >>> 32;
        long index = timerId & 0xFFFF_FFFFL;
        if (slot >= ticksPerWheel || index >= slotCapacity) {
            return -1;
        }
        int at = ((int) slot << slotShift) + (int) index;
        return targets[at] == null ? -1 : at;
    }

    private void free(int at, int slot, int index) {
        targets[at] = null;
        deadlines[at] = freeHead[slot];
        freeHead[slot] = index;
        slotCount[slot]--;
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
                    int base = slot << slotShift;
                    for (int n = 0; n < slotCapacity; n++) {
                        int i = start + n;
                        if (i >= slotCapacity) {
                            i -= slotCapacity;
                        }
                        int at = base + i;
                        Object target = targets[at];
                        if (target != null && deadlines[at] - nowNs <= 0) {
                            if (expired == limit) {
                                pollIndex = i;
                                return expired;
                            }
                            free(at, slot, i);
                            expired++;
                            handler.onTimerExpiry(((long) slot << 32) | i, (T) target, nowNs);
                            // A handler that grew the wheel moved this slot's base.
                            base = slot << slotShift;
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
     * {@code nowNs + maxWaitNs}. Costs O(ticksPerWheel) in the worst case: call it only before blocking.
     */
    public long nextExpiryUpperBoundNs(long nowNs, long maxWaitNs) {
        long limitNs = nowNs + maxWaitNs;
        if (timerCount == 0) {
            return limitNs;
        }
        for (int t = 0; t < ticksPerWheel; t++) {
            if (slotCount[(int) (currentTick + t) & wheelMask] > 0) {
                long endNs = currentTickStartNs + ((long) (t + 1) << tickShift);
                return endNs - limitNs < 0 ? endNs : limitNs;
            }
        }
        return limitNs;
    }

    /** Removes every timer without calling the handler. */
    public void clear() {
        Arrays.fill(targets, null);
        for (int s = 0; s < ticksPerWheel; s++) {
            slotCount[s] = 0;
            chainFree(s, 0, slotCapacity);
        }
        timerCount = 0;
    }

    private void grow() {
        int oldCapacity = slotCapacity;
        if (oldCapacity >= INITIAL_SLOT_CAPACITY_MAX) {
            throw new IllegalStateException("timer wheel slot full: " + oldCapacity);
        }
        int newCapacity = oldCapacity << 1;
        long[] newDeadlines = new long[ticksPerWheel * newCapacity];
        Object[] newTargets = new Object[ticksPerWheel * newCapacity];
        for (int s = 0; s < ticksPerWheel; s++) {
            System.arraycopy(deadlines, s * oldCapacity, newDeadlines, s * newCapacity, oldCapacity);
            System.arraycopy(targets, s * oldCapacity, newTargets, s * newCapacity, oldCapacity);
        }
        deadlines = newDeadlines;
        targets = newTargets;
        slotCapacity = newCapacity;
        slotShift = Integer.numberOfTrailingZeros(newCapacity);
        for (int s = 0; s < ticksPerWheel; s++) {
            // Free lists hold in-slot indexes, so they survive the move; the new half goes on their front.
            int oldHead = freeHead[s];
            int base = s << slotShift;
            int next = oldHead;
            for (int i = newCapacity - 1; i >= oldCapacity; i--) {
                newDeadlines[base + i] = next;
                next = i;
            }
            freeHead[s] = next;
        }
    }

    private static NullPointerException nullTarget() {
        return new NullPointerException("target");
    }
}
