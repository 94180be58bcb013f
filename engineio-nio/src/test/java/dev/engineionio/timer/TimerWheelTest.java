package dev.engineionio.timer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Timer wheel behaviour on a fake clock: every "now" is an argument, nothing sleeps. */
class TimerWheelTest {

    private static final long TICK = 1024; // ns
    private static final int SLOTS = 8;

    /** Records expiries in order. */
    private static final class Recorder implements TimerWheel.Handler<String> {
        final List<String> expired = new ArrayList<>();
        final List<Long> times = new ArrayList<>();

        @Override
        public void onTimerExpiry(long timerId, String target, long nowNs) {
            expired.add(target);
            times.add(nowNs);
        }
    }

    private static TimerWheel<String> wheel(long startNs) {
        return new TimerWheel<>(startNs, TICK, SLOTS, 2);
    }

    @Test
    void expiresExactlyAtDeadlineNotBefore() {
        TimerWheel<String> w = wheel(0);
        Recorder r = new Recorder();
        w.schedule(5000, "a");
        assertEquals(0, w.poll(4999, r, 100));
        assertEquals(1, w.poll(5000, r, 100));
        assertEquals(List.of("a"), r.expired);
        assertEquals(0, w.timerCount());
    }

    @Test
    void edgeOfTickDeadlines() {
        TimerWheel<String> w = wheel(0);
        Recorder r = new Recorder();
        w.schedule(TICK - 1, "lastOfTick0");
        w.schedule(TICK, "firstOfTick1");
        w.schedule(2 * TICK - 1, "lastOfTick1");
        assertEquals(0, w.poll(TICK - 2, r, 100));
        assertEquals(1, w.poll(TICK - 1, r, 100));
        assertEquals(1, w.poll(TICK, r, 100));
        assertEquals(0, w.poll(2 * TICK - 2, r, 100));
        assertEquals(1, w.poll(2 * TICK - 1, r, 100));
        assertEquals(List.of("lastOfTick0", "firstOfTick1", "lastOfTick1"), r.expired);
    }

    @Test
    void deadlineInThePastExpiresAtNextPoll() {
        TimerWheel<String> w = wheel(0);
        Recorder r = new Recorder();
        w.poll(10 * TICK, r, 100);
        w.schedule(3, "past");
        w.schedule(10 * TICK, "now");
        assertEquals(2, w.poll(10 * TICK, r, 100));
        assertEquals(Set.of("past", "now"), new HashSet<>(r.expired));
    }

    @Test
    void cancelBeforeExpiryPreventsIt() {
        TimerWheel<String> w = wheel(0);
        Recorder r = new Recorder();
        long id = w.schedule(3000, "a");
        long other = w.schedule(3000, "b");
        assertEquals(3000, w.deadline(id, -1));
        assertEquals("a", w.target(id));
        assertTrue(w.cancel(id));
        assertFalse(w.cancel(id), "second cancel of the same id");
        assertEquals(-1, w.deadline(id, -1));
        assertNull(w.target(id));
        assertEquals(1, w.poll(10_000, r, 100));
        assertEquals(List.of("b"), r.expired);
        assertFalse(w.cancel(other), "cancel after expiry");
    }

    @Test
    void cancelOfNullOrGarbageIdsIsFalse() {
        TimerWheel<String> w = wheel(0);
        assertFalse(w.cancel(TimerWheel.NULL_TIMER));
        assertFalse(w.cancel(((long) SLOTS << 32)));
        assertFalse(w.cancel(1L << 31));
        assertFalse(w.cancel(0));
    }

    @Test
    void handlerMayRescheduleAndCancelFromInside() {
        TimerWheel<String> w = wheel(0);
        List<String> seen = new ArrayList<>();
        long[] victim = new long[1];
        TimerWheel.Handler<String> h = new TimerWheel.Handler<>() {
            int rounds;

            @Override
            public void onTimerExpiry(long timerId, String target, long nowNs) {
                seen.add(target + "@" + nowNs);
                if (target.equals("periodic") && ++rounds < 3) {
                    w.schedule(nowNs + 2 * TICK, "periodic");
                }
                if (target.equals("killer")) {
                    assertTrue(w.cancel(victim[0]));
                }
            }
        };
        w.schedule(TICK, "periodic");
        w.schedule(TICK, "killer");
        victim[0] = w.schedule(2 * TICK, "victim");
        w.poll(TICK, h, 100);
        w.poll(3 * TICK, h, 100);
        w.poll(5 * TICK, h, 100);
        w.poll(7 * TICK, h, 100);
        assertEquals(0, w.timerCount());
        assertTrue(seen.contains("killer@" + TICK));
        assertFalse(seen.stream().anyMatch(s -> s.startsWith("victim")));
        assertEquals(3, seen.stream().filter(s -> s.startsWith("periodic")).count());
        assertTrue(seen.contains("periodic@" + 5 * TICK));
    }

    @Test
    void rescheduleIntoThePastFromHandlerIsBoundedByLimit() {
        TimerWheel<String> w = wheel(0);
        int[] calls = new int[1];
        w.schedule(0, "again");
        TimerWheel.Handler<String> h = (id, t, now) -> {
            calls[0]++;
            w.schedule(now - 1, t);
        };
        int n = w.poll(0, h, 5);
        assertTrue(n >= 1 && n <= 5, "expired " + n);
        assertEquals(1, w.timerCount());
        assertEquals(calls[0], n);
    }

    @Test
    void manyTimersInOneSlotGrowTheWheel() {
        TimerWheel<String> w = wheel(0);
        Recorder r = new Recorder();
        int n = 1000;
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(w.schedule(3 * TICK + (i % TICK), "t" + i));
        }
        assertTrue(w.slotCapacity() >= n);
        for (int i = 0; i < n; i += 2) {
            assertTrue(w.cancel(ids.get(i)));
        }
        assertEquals(n / 2, w.poll(4 * TICK, r, Integer.MAX_VALUE));
        for (int i = 1; i < n; i += 2) {
            assertTrue(r.expired.contains("t" + i));
        }
    }

    @Test
    void idsStayValidAcrossGrowth() {
        TimerWheel<String> w = wheel(0);
        long first = w.schedule(5 * TICK, "first");
        for (int i = 0; i < 100; i++) {
            w.schedule(5 * TICK, "x" + i);
        }
        assertEquals("first", w.target(first));
        assertEquals(5 * TICK, w.deadline(first, -1));
        assertTrue(w.cancel(first));
    }

    @Test
    void timersBeyondOneTurnWaitForTheirRound() {
        TimerWheel<String> w = wheel(0);
        Recorder r = new Recorder();
        long turn = TICK * SLOTS;
        w.schedule(TICK, "soon");
        w.schedule(turn + TICK, "nextTurn");
        w.schedule(3 * turn + TICK, "thirdTurn");
        for (long now = 0; now <= 4 * turn; now += TICK / 2) {
            w.poll(now, r, 100);
            if (now < turn + TICK) {
                assertFalse(r.expired.contains("nextTurn"), "early at " + now);
            }
            if (now < 3 * turn + TICK) {
                assertFalse(r.expired.contains("thirdTurn"), "early at " + now);
            }
        }
        assertEquals(List.of("soon", "nextTurn", "thirdTurn"), r.expired);
        assertEquals(List.of(TICK, turn + TICK, 3 * turn + TICK), r.times);
    }

    @Test
    void aLongGapScansOneTurnAndJumps() {
        TimerWheel<String> w = wheel(0);
        Recorder r = new Recorder();
        for (int i = 0; i < 50; i++) {
            w.schedule(i * 37L * TICK, "t" + i);
        }
        w.schedule(1_000_000L * TICK, "far");
        assertEquals(50, w.poll(500_000L * TICK, r, 1000));
        assertEquals(500_000L * TICK, w.currentTickStartNs());
        assertEquals(0, w.poll(1_000_000L * TICK - 1, r, 1000));
        assertEquals(1, w.poll(1_000_000L * TICK, r, 1000));
    }

    @Test
    void expiryLimitStopsAndResumes() {
        TimerWheel<String> w = wheel(0);
        Recorder r = new Recorder();
        for (int i = 0; i < 10; i++) {
            w.schedule(TICK, "a" + i);
            w.schedule(3 * TICK, "b" + i);
        }
        assertEquals(4, w.poll(5 * TICK, r, 4));
        assertEquals(4, w.poll(5 * TICK, r, 4));
        assertEquals(4, w.poll(5 * TICK, r, 4));
        assertEquals(4, w.poll(5 * TICK, r, 4));
        assertEquals(4, w.poll(5 * TICK, r, 4));
        assertEquals(0, w.poll(5 * TICK, r, 4));
        assertEquals(20, new HashSet<>(r.expired).size());
        assertEquals(0, w.timerCount());
    }

    @Test
    void limitedPollStillFindsEntriesBeforeItsResumePoint() {
        TimerWheel<String> w = wheel(0);
        Recorder r = new Recorder();
        w.schedule(TICK + 10, "late");  // index 0 of slot 1
        w.schedule(TICK, "e1");
        w.schedule(TICK, "e2");
        assertEquals(1, w.poll(TICK, r, 1)); // stops inside slot 1
        assertEquals(2, w.poll(TICK + 10, r, 10));
        assertEquals(Set.of("e1", "e2", "late"), new HashSet<>(r.expired));
    }

    @Test
    void comparesAcrossTheNanoTimeWrap() {
        long start = Long.MAX_VALUE - 3 * TICK;
        TimerWheel<String> w = wheel(start);
        Recorder r = new Recorder();
        long deadline = start + 5 * TICK; // overflows to a negative number
        assertTrue(deadline < 0);
        w.schedule(deadline, "wrapped");
        assertEquals(0, w.poll(start + 4 * TICK, r, 10));
        assertEquals(0, w.poll(deadline - 1, r, 10));
        assertEquals(1, w.poll(deadline, r, 10));
    }

    @Test
    void seededRandomAgreesWithAModel() {
        Random random = new Random(42);
        TimerWheel<Integer> w = new TimerWheel<>(0, TICK, 16, 1);
        java.util.Map<Integer, Long> model = new java.util.HashMap<>();
        java.util.Map<Integer, Long> ids = new java.util.HashMap<>();
        long now = 0;
        int next = 0;
        List<Integer> expiredNow = new ArrayList<>();
        TimerWheel.Handler<Integer> h = (id, t, n) -> expiredNow.add(t);
        for (int step = 0; step < 20_000; step++) {
            int op = random.nextInt(10);
            if (op < 5) {
                long d = now + random.nextInt((int) (TICK * 40)) - TICK;
                int key = next++;
                ids.put(key, w.schedule(d, key));
                model.put(key, d);
            } else if (op < 7 && !model.isEmpty()) {
                Integer key = model.keySet().iterator().next();
                assertTrue(w.cancel(ids.remove(key)));
                model.remove(key);
            } else {
                now += random.nextInt((int) (TICK * 3));
                expiredNow.clear();
                w.poll(now, h, Integer.MAX_VALUE);
                for (Integer key : expiredNow) {
                    Long d = model.remove(key);
                    ids.remove(key);
                    assertTrue(d != null && d - now <= 0, "expired early: " + key);
                }
                for (java.util.Map.Entry<Integer, Long> e : model.entrySet()) {
                    assertTrue(e.getValue() - now > 0, "missed " + e.getKey() + " due " + e.getValue() + " now " + now);
                }
            }
            assertEquals(model.size(), w.timerCount());
        }
    }

    @Test
    void nextExpiryUpperBound() {
        TimerWheel<String> w = wheel(0);
        assertEquals(1000 + 50_000, w.nextExpiryUpperBoundNs(1000, 50_000));
        w.schedule(3 * TICK + 5, "x");
        long bound = w.nextExpiryUpperBoundNs(0, 1_000_000);
        assertTrue(bound >= 3 * TICK + 5 && bound <= 4 * TICK, "bound " + bound);
        assertEquals(100, w.nextExpiryUpperBoundNs(0, 100));
    }

    @Test
    void seededRandomNextExpiryBoundAgreesWithAFullScan() {
        for (int ticks : new int[] {2, 16, 64, 256}) {
            Random random = new Random(7 + ticks);
            TimerWheel<Integer> w = new TimerWheel<>(0, TICK, ticks, 1);
            java.util.Map<Integer, Long> ids = new java.util.HashMap<>();
            long now = 0;
            int next = 0;
            TimerWheel.Handler<Integer> h = (id, t, n) -> ids.remove(t);
            for (int step = 0; step < 5_000; step++) {
                int op = random.nextInt(10);
                if (op < 4) {
                    long d = now + random.nextInt((int) (TICK * ticks * 3)) - TICK;
                    int key = next++;
                    ids.put(key, w.schedule(d, key));
                } else if (op < 6 && !ids.isEmpty()) {
                    Integer key = ids.keySet().iterator().next();
                    assertTrue(w.cancel(ids.remove(key)));
                } else if (op < 8) {
                    now += random.nextInt((int) (TICK * 3));
                    w.poll(now, h, Integer.MAX_VALUE);
                } else {
                    now += random.nextInt((int) TICK); // "now" a little ahead of the wheel's last poll
                }
                long maxWait = random.nextInt(4) == 0 ? Long.MAX_VALUE / 4 : random.nextInt((int) (TICK * ticks * 2));
                assertEquals(fullScanBound(w, ids.values(), ticks, now, maxWait), w.nextExpiryUpperBoundNs(now, maxWait),
                        "ticks " + ticks + " step " + step);
            }
        }
    }

    /** The bound as a scan of every slot from the current tick (the slot of a timer is the high half of its id). */
    private static long fullScanBound(TimerWheel<?> w, java.util.Collection<Long> liveIds, int ticks, long now,
                                      long maxWait) {
        long limit = now + maxWait;
        if (liveIds.isEmpty()) {
            return limit;
        }
        Set<Integer> slots = new HashSet<>();
        for (long id : liveIds) {
            slots.add((int) (id >>> 32));
        }
        long currentTick = w.currentTickStartNs() / TICK;
        for (int t = 0; t < ticks; t++) {
            if (slots.contains((int) (currentTick + t) & (ticks - 1))) {
                long end = w.currentTickStartNs() + (t + 1) * TICK;
                return end - limit < 0 ? end : limit;
            }
        }
        return limit;
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> new TimerWheel<String>(0, 1000, 8, 2));
        assertThrows(IllegalArgumentException.class, () -> new TimerWheel<String>(0, 1024, 7, 2));
        assertThrows(IllegalArgumentException.class, () -> new TimerWheel<String>(0, 1024, 8, 3));
        assertThrows(NullPointerException.class, () -> wheel(0).schedule(1, null));
    }

    @Test
    void clearDropsEverything() {
        TimerWheel<String> w = wheel(0);
        Recorder r = new Recorder();
        w.schedule(1, "a");
        w.schedule(TICK * 3, "b");
        w.clear();
        assertEquals(0, w.timerCount());
        assertEquals(0, w.poll(TICK * 100, r, 100));
        w.schedule(TICK * 101, "c");
        assertEquals(1, w.poll(TICK * 101, r, 100));
    }

    // ---- per-slot memory: growth of one slot only, release after a burst, high-water scan ----

    private static final long DRIVER_TICK = 1L << 20;
    private static final int DRIVER_SLOTS = 4096;

    @Test
    void emptyWheelAllocatesNoSlot() {
        TimerWheel<String> w = new TimerWheel<>(0, DRIVER_TICK, DRIVER_SLOTS, 4);
        assertEquals(0, w.totalCapacity());
        assertEquals(0, w.allocatedSlots());
        long id = w.schedule(7 * DRIVER_TICK, "x");
        assertEquals(7, id >>> 32);
        assertEquals(1, w.allocatedSlots());
        assertEquals(4, w.slotCapacity(7));
        assertEquals(4, w.totalCapacity());
    }

    @Test
    void burstInOneTickGrowsOnlyThatSlotAndIsReleasedAfterExpiry() {
        TimerWheel<Integer> w = new TimerWheel<>(0, DRIVER_TICK, DRIVER_SLOTS, 4);
        int burst = 10_000;
        long deadline = 5 * DRIVER_TICK + 17;
        for (int i = 0; i < burst; i++) {
            w.schedule(deadline, i);
        }
        w.schedule(9 * DRIVER_TICK, -1); // a neighbour
        // One slot of 16,384 entries and one of 4: not 4096 x 16,384 (the flat layout's 67M entries).
        assertEquals(16_384, w.slotCapacity(5));
        assertEquals(4, w.slotCapacity(9));
        assertEquals(2, w.allocatedSlots());
        assertEquals(16_384 + 4, w.totalCapacity());
        assertEquals(16_384, w.slotCapacity());

        boolean[] seen = new boolean[burst];
        int[] count = new int[1];
        TimerWheel.Handler<Integer> h = (id, t, now) -> {
            assertTrue(t >= 0 && !seen[t], "expired twice or wrong target: " + t);
            seen[t] = true;
            count[0]++;
        };
        assertEquals(0, w.poll(deadline - 1, h, Integer.MAX_VALUE));
        assertEquals(burst, w.poll(deadline, h, Integer.MAX_VALUE));
        assertEquals(burst, count[0]);
        // The burst's slot is released, the neighbour (at the retained size) is untouched.
        assertEquals(0, w.slotCapacity(5));
        assertEquals(0, w.slotHighWater(5));
        assertEquals(4, w.totalCapacity());
        assertEquals(1, w.timerCount());
        // The slot is usable again and starts small.
        w.schedule(5 * DRIVER_TICK + DRIVER_SLOTS * DRIVER_TICK, 0);
        assertEquals(4, w.slotCapacity(5));
    }

    @Test
    void limitedPollsThroughABurstExpireEachTimerOnceAndReleaseTheSlot() {
        TimerWheel<Integer> w = new TimerWheel<>(0, TICK, SLOTS, 1);
        int burst = 1000;
        for (int i = 0; i < burst; i++) {
            w.schedule(2 * TICK + i % 7, i);
        }
        assertEquals(1024, w.totalCapacity());
        boolean[] seen = new boolean[burst];
        TimerWheel.Handler<Integer> h = (id, t, now) -> {
            assertFalse(seen[t], "twice: " + t);
            seen[t] = true;
        };
        int total = 0;
        int rounds = 0;
        while (total < burst) {
            int n = w.poll(3 * TICK, h, 64);
            assertTrue(n > 0 && n <= 64);
            total += n;
            assertTrue(++rounds <= burst / 64 + 1);
        }
        assertEquals(0, w.poll(3 * TICK, h, 64));
        assertEquals(0, w.timerCount());
        assertEquals(0, w.totalCapacity());
    }

    @Test
    void idsStayValidAcrossASlotsGrowthAndCancelWorksAfterIt() {
        TimerWheel<String> w = new TimerWheel<>(0, TICK, SLOTS, 1);
        long[] ids = new long[300];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = w.schedule(4 * TICK + i, "t" + i);
            assertEquals(4, ids[i] >>> 32);
        }
        assertEquals(512, w.slotCapacity(4));
        for (int i = 0; i < ids.length; i++) {
            assertEquals("t" + i, w.target(ids[i]), "id of timer " + i);
            assertEquals(4 * TICK + i, w.deadline(ids[i], -1));
        }
        // Cancel every other one after the growth; a cancelled id is dead, the others still expire.
        for (int i = 0; i < ids.length; i += 2) {
            assertTrue(w.cancel(ids[i]));
            assertFalse(w.cancel(ids[i]));
            assertNull(w.target(ids[i]));
        }
        Recorder r = new Recorder();
        assertEquals(ids.length / 2, w.poll(5 * TICK, r, Integer.MAX_VALUE));
        for (int i = 1; i < ids.length; i += 2) {
            assertTrue(r.expired.contains("t" + i));
        }
        assertEquals(0, w.totalCapacity(), "grown past the retained size and emptied: released");
        // Cancelling every timer of a grown slot releases it too.
        long a = w.schedule(13 * TICK, "a");
        long[] more = new long[100];
        for (int i = 0; i < more.length; i++) {
            more[i] = w.schedule(13 * TICK, "m");
        }
        assertTrue(w.slotCapacity(13 & (SLOTS - 1)) > 64);
        assertTrue(w.cancel(a));
        for (long id : more) {
            assertTrue(w.cancel(id));
        }
        assertEquals(0, w.totalCapacity());
        assertFalse(w.cancel(a));
        assertEquals(0, w.poll(20 * TICK, r, 100));
    }

    @Test
    void aSlotAtOrUnderTheRetainedSizeKeepsItsArraysWhenEmpty() {
        TimerWheel<String> w = new TimerWheel<>(0, TICK, SLOTS, 2, 8);
        Recorder r = new Recorder();
        for (int i = 0; i < 8; i++) {
            w.schedule(TICK, "k" + i);
        }
        assertEquals(8, w.slotCapacity(1));
        assertEquals(8, w.poll(TICK, r, 100));
        assertEquals(8, w.slotCapacity(1), "kept: a steady load of 8 per tick allocates nothing");
        assertEquals(0, w.slotHighWater(1));
        assertEquals(8, w.totalCapacity());
        for (int i = 0; i < 9; i++) {
            w.schedule(TICK + SLOTS * TICK, "g" + i);
        }
        assertEquals(16, w.slotCapacity(1));
        assertEquals(9, w.poll(TICK + SLOTS * TICK, r, 100));
        assertEquals(0, w.slotCapacity(1), "grown past 8 then emptied: released");
    }

    @Test
    void theScanMarkFollowsTheMostTimersHeldSinceTheSlotWasEmpty() {
        TimerWheel<String> w = new TimerWheel<>(0, TICK, SLOTS, 4, 64);
        long[] ids = new long[40];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = w.schedule(3 * TICK, "s" + i);
        }
        assertEquals(64, w.slotCapacity(3));
        assertEquals(40, w.slotHighWater(3), "a poll scans 40 entries, not the capacity of 64");
        for (int i = 0; i < 39; i++) {
            assertTrue(w.cancel(ids[i]));
        }
        long reused = w.schedule(3 * TICK, "reused");
        assertTrue((int) reused < 40, "freed entries are reused before the mark moves");
        assertEquals(40, w.slotHighWater(3));
        assertTrue(w.cancel(reused));
        assertTrue(w.cancel(ids[39]));
        assertEquals(0, w.slotHighWater(3), "empty: the mark is reset");
        assertEquals(0, w.schedule(3 * TICK, "first") & 0xFFFF_FFFFL);
        assertEquals(1, w.slotHighWater(3));
    }

    @Test
    void handlerReschedulingIntoASlotItJustReleased() {
        TimerWheel<Integer> w = new TimerWheel<>(0, TICK, SLOTS, 1, 2);
        int burst = 100;
        for (int i = 0; i < burst; i++) {
            w.schedule(2 * TICK, i);
        }
        List<Integer> seen = new ArrayList<>();
        long turn = SLOTS * TICK;
        TimerWheel.Handler<Integer> h = (id, t, now) -> {
            seen.add(t);
            if (w.timerCount() == 0 && t >= 0) {
                // The slot has just emptied and been released: schedule into it again (next turn).
                w.schedule(2 * TICK + turn, -1);
                assertEquals(1, w.slotCapacity(2));
            }
        };
        assertEquals(burst, w.poll(2 * TICK, h, Integer.MAX_VALUE));
        assertEquals(1, w.timerCount());
        assertEquals(0, w.poll(2 * TICK + turn - 1, h, Integer.MAX_VALUE));
        assertEquals(1, w.poll(2 * TICK + turn, h, Integer.MAX_VALUE));
        assertEquals(burst + 1, seen.size());
        assertEquals(-1, seen.get(burst));
    }

    @Test
    void clearReleasesGrownSlots() {
        TimerWheel<String> w = new TimerWheel<>(0, TICK, SLOTS, 2, 4);
        for (int i = 0; i < 100; i++) {
            w.schedule(TICK, "b");
        }
        w.schedule(2 * TICK, "small");
        w.clear();
        assertEquals(0, w.timerCount());
        assertEquals(2, w.totalCapacity(), "the small slot is kept, the grown one released");
        Recorder r = new Recorder();
        assertEquals(0, w.poll(10 * TICK, r, 100));
    }

    @Test
    void rejectsBadRetainedCapacity() {
        assertThrows(IllegalArgumentException.class, () -> new TimerWheel<String>(0, TICK, SLOTS, 4, 2));
        assertThrows(IllegalArgumentException.class, () -> new TimerWheel<String>(0, TICK, SLOTS, 4, 12));
        assertThrows(IllegalArgumentException.class, () -> new TimerWheel<String>(0, TICK, SLOTS, 4, 1 << 31));
        assertEquals(4, new TimerWheel<String>(0, TICK, SLOTS, 4, 4).slotCapacity());
    }

    @Test
    void seededRandomWithBurstsAndLimitedPollsAgreesWithAModel() {
        for (long seed = 1; seed <= 5; seed++) {
            Random random = new Random(seed);
            // Tiny initial and retained sizes so that allocation, growth and release happen all the time.
            TimerWheel<Integer> w = new TimerWheel<>(0, TICK, 16, 1, 2);
            java.util.Map<Integer, Long> model = new java.util.HashMap<>();
            java.util.Map<Integer, Long> ids = new java.util.HashMap<>();
            long[] now = {0};
            int next = 0;
            List<Integer> expiredNow = new ArrayList<>();
            TimerWheel.Handler<Integer> h = (id, t, n) -> {
                expiredNow.add(t);
                assertEquals(-1, w.deadline(id, -1), "an expired id is dead");
            };
            for (int step = 0; step < 10_000; step++) {
                int op = random.nextInt(12);
                if (op < 4) {
                    long d = now[0] + random.nextInt((int) (TICK * 40)) - TICK;
                    int key = next++;
                    ids.put(key, w.schedule(d, key));
                    model.put(key, d);
                } else if (op == 4) {
                    long d = now[0] + random.nextInt((int) (TICK * 40));
                    int n = 1 + random.nextInt(60);
                    for (int i = 0; i < n; i++) {
                        int key = next++;
                        ids.put(key, w.schedule(d, key));
                        model.put(key, d);
                    }
                } else if (op < 8 && !model.isEmpty()) {
                    Integer key = model.keySet().iterator().next();
                    long id = ids.remove(key);
                    assertEquals(key, w.target(id));
                    assertEquals(model.get(key), w.deadline(id, -1));
                    assertTrue(w.cancel(id));
                    model.remove(key);
                } else {
                    now[0] += random.nextInt((int) (TICK * 3));
                    int limit = random.nextBoolean() ? Integer.MAX_VALUE : 1 + random.nextInt(20);
                    expiredNow.clear();
                    int n = w.poll(now[0], h, limit);
                    assertEquals(expiredNow.size(), n);
                    for (Integer key : expiredNow) {
                        Long d = model.remove(key);
                        ids.remove(key);
                        assertTrue(d != null && d - now[0] <= 0, "expired early: " + key);
                    }
                    if (n < limit) {
                        for (java.util.Map.Entry<Integer, Long> e : model.entrySet()) {
                            assertTrue(e.getValue() - now[0] > 0, "missed " + e.getKey() + " now " + now[0]);
                        }
                    }
                }
                assertEquals(model.size(), w.timerCount());
                // Memory bound: a slot holds at most max(retained, 2 x the most timers it held since it was
                // last empty, its high-water mark), and the total is the sum of the slots.
                long sum = 0;
                for (int s = 0; s < 16; s++) {
                    int cap = w.slotCapacity(s);
                    assertTrue(cap <= Math.max(2, 2 * w.slotHighWater(s)), "slot " + s + " capacity " + cap);
                    sum += cap;
                }
                assertEquals(sum, w.totalCapacity());
            }
        }
    }
}
