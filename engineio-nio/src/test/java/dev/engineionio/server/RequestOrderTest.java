package dev.engineionio.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link RequestOrder}: tickets, turns, waiting, holes and the close, without loops or sockets. */
class RequestOrderTest {

    /** Records what it wakes; the session's closed flag is set by the test. */
    static final class Order extends RequestOrder<String> {
        final List<String> woken = new ArrayList<>();
        boolean closed;

        Order() {
        }

        Order(int firstTicket) {
            super(firstTicket);
        }

        @Override
        boolean isClosed() {
            return closed;
        }

        @Override
        void wake(String request) {
            woken.add(request);
        }
    }

    @Test
    void requestsTakingTicketsInTurnActAtOnce() {
        Order o = new Order();
        for (int i = 0; i < 5; i++) {
            int t = o.takeTicket();
            assertEquals(i, t);
            assertTrue(o.isTurn(t));
            o.beginTurn(t);
        }
        assertEquals(List.of(), o.woken);
        assertEquals(0, o.waitingCount());
    }

    @Test
    void aLaterRequestWaitsForAnEarlierOneStillOnItsWay() {
        Order o = new Order();
        int get = o.takeTicket(); // read on another loop: moving to the owner
        int post = o.takeTicket(); // read later on the owner loop
        assertFalse(o.isTurn(post));
        o.park("post", post);
        assertEquals(1, o.waitingCount());
        assertTrue(o.isTurn(get), "the GET arrives");
        o.beginTurn(get);
        assertEquals(List.of("post"), o.woken, "the POST's turn");
        assertTrue(o.isTurn(post));
        o.beginTurn(post);
        assertEquals(0, o.waitingCount());
    }

    @Test
    void waitersAreWokenOneTurnAtATimeInTicketOrder() {
        Order o = new Order();
        int first = o.takeTicket();
        int[] t = new int[4];
        for (int i = 0; i < t.length; i++) {
            t[i] = o.takeTicket();
        }
        // Parked out of order (they came from different loops).
        o.park("c", t[2]);
        o.park("a", t[0]);
        o.park("d", t[3]);
        o.park("b", t[1]);
        o.beginTurn(first);
        assertEquals(List.of("a"), o.woken, "only the next turn is woken");
        assertFalse(o.isTurn(t[1]));
        o.beginTurn(t[0]);
        o.beginTurn(t[1]);
        o.beginTurn(t[2]);
        assertEquals(List.of("a", "b", "c", "d"), o.woken);
        o.beginTurn(t[3]);
        assertEquals(0, o.waitingCount());
    }

    @Test
    void anAbandonedTurnIsSkippedNowOrWhenItComes() {
        Order o = new Order();
        int moving = o.takeTicket();
        int lost = o.takeTicket();
        int waiting = o.takeTicket();
        o.park("waiting", waiting);
        o.abandon("lost", lost); // a hole, ahead of the turn
        assertEquals(List.of(), o.woken);
        o.abandon("moving", moving); // the turn itself gives up: the hole is skipped too
        assertEquals(List.of("waiting"), o.woken);
        assertTrue(o.isTurn(waiting));
        o.beginTurn(waiting);
        assertEquals(0, o.waitingCount());
        int next = o.takeTicket();
        assertTrue(o.isTurn(next));
    }

    @Test
    void aParkedRequestThatCloses() {
        Order o = new Order();
        int moving = o.takeTicket();
        int parked = o.takeTicket();
        int after = o.takeTicket();
        o.park("parked", parked);
        o.park("after", after);
        o.abandon("parked", parked); // its connection closed while it waited
        assertEquals(1, o.waitingCount());
        o.beginTurn(moving);
        assertEquals(List.of("after"), o.woken);
    }

    @Test
    void theSessionsCloseWakesEveryWaiterAndEndsTheOrder() {
        Order o = new Order();
        int moving = o.takeTicket();
        o.park("x", o.takeTicket());
        o.park("y", o.takeTicket());
        o.closed = true;
        o.onSessionClosed();
        assertEquals(List.of("x", "y"), o.woken);
        assertEquals(0, o.waitingCount());
        assertTrue(o.isTurn(o.takeTicket()), "closed: any request may act (and gets the closed-session answer)");
        o.beginTurn(moving); // the moving one arrives late: nothing left to wake
        assertEquals(2, o.woken.size());
    }

    @Test
    void ticketsWrapAround() {
        Order o = new Order(Integer.MAX_VALUE - 1);
        int a = o.takeTicket();
        int b = o.takeTicket();
        int c = o.takeTicket();
        assertEquals(Integer.MIN_VALUE, c);
        o.park("c", c);
        o.park("b", b);
        o.beginTurn(a);
        assertEquals(List.of("b"), o.woken);
        o.beginTurn(b);
        assertEquals(List.of("b", "c"), o.woken);
        o.beginTurn(c);
        assertTrue(o.isTurn(o.takeTicket()));
    }

    /**
     * Seeded random schedules: tickets taken in order, requests arriving at the owner in any order (some abandoned);
     * every request that is not abandoned acts exactly once, in ticket order.
     */
    @Test
    void anyArrivalOrderActsInTicketOrder() {
        Random random = new Random(12);
        for (int round = 0; round < 500; round++) {
            Order o = new Order(random.nextInt());
            int n = 1 + random.nextInt(12);
            int[] tickets = new int[n];
            for (int i = 0; i < n; i++) {
                tickets[i] = o.takeTicket();
            }
            boolean[] abandoned = new boolean[n];
            List<Integer> arrival = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                abandoned[i] = random.nextInt(5) == 0;
                arrival.add(i);
            }
            java.util.Collections.shuffle(arrival, random);
            List<Integer> acted = new ArrayList<>();
            for (int i : arrival) {
                if (abandoned[i]) {
                    o.abandon("r" + i, tickets[i]);
                } else if (o.isTurn(tickets[i])) {
                    acted.add(i);
                    o.beginTurn(tickets[i]);
                } else {
                    o.park("r" + i, tickets[i]);
                }
                // Woken requests act (as the loop's next commands), possibly waking more.
                while (!o.woken.isEmpty()) {
                    int w = Integer.parseInt(o.woken.remove(0).substring(1));
                    assertTrue(o.isTurn(tickets[w]));
                    acted.add(w);
                    o.beginTurn(tickets[w]);
                }
            }
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (!abandoned[i]) {
                    expected.add(i);
                }
            }
            assertEquals(expected, acted, "round " + round + ", arrival " + arrival);
            assertEquals(0, o.waitingCount());
        }
    }
}
