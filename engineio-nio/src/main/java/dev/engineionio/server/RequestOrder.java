package dev.engineionio.server;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The order in which one session's requests are acted on (see "Request order" in {@link EngineIo}): a ticket
 * dispenser and a turn. Every request for the session takes a ticket ({@link #takeTicket}) on the loop that read it;
 * the owner loop acts on them in ticket order. A request whose turn has not come waits ({@link #park}) until the
 * requests before it were acted on ({@link #beginTurn}) or gave up their turn ({@link #abandon}); then it is woken
 * ({@link #wake}). Once the session has closed ({@link #isClosed}), order no longer matters: every waiting request is
 * woken and every request may act.
 *
 * <p>A base class of {@link EngineSocketImpl} rather than an object of its own, so that a session pays three fields
 * (12 bytes) for it and no object. Tickets are {@code int}s compared by difference, so they may wrap.
 *
 * <p>Threads: {@link #takeTicket} any thread (one atomic add: the only shared write on the data path); everything
 * else the owner loop's thread. {@link #wake} is called on the owner loop, from inside {@link #beginTurn},
 * {@link #abandon} or {@link #onSessionClosed}: it must not act on the request there (the caller is in the middle of
 * another request) but schedule it, e.g. for the loop's next pass.
 *
 * @param <T> what waits: a request's connection
 */
abstract class RequestOrder<T> {

    private static final VarHandle NEXT_TICKET;

    static {
        try {
            NEXT_TICKET = MethodHandles.lookup().findVarHandle(RequestOrder.class, "nextTicket", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The next ticket to hand out; any thread, through {@link #NEXT_TICKET}. */
    @SuppressWarnings("unused") // through NEXT_TICKET
    private volatile int nextTicket;
    /** The ticket of the request whose turn it is; owner loop. */
    private int turn;
    /** Requests that came before their turn: null (nearly always) or a {@link Waiting}; owner loop. */
    private Waiting<T> waiting;

    RequestOrder() {
        this(0);
    }

    /** With a first ticket other than 0 (tests: wrap-around). */
    RequestOrder(int firstTicket) {
        this.nextTicket = firstTicket;
        this.turn = firstTicket;
    }

    /** Whether the session has closed (then order no longer matters); owner loop. */
    abstract boolean isClosed();

    /** {@code request}'s turn came (or the session closed): act on it soon, not inside this call; owner loop. */
    abstract void wake(T request);

    /** A place in the order, taken by the loop that read the request, right after reading its head; any thread. */
    final int takeTicket() {
        return (int) NEXT_TICKET.getAndAdd(this, 1);
    }

    /** Whether the request holding {@code ticket} may be acted on now; owner loop. */
    final boolean isTurn(int ticket) {
        return ticket == turn || isClosed();
    }

    /** The request holding {@code ticket} is acted on now: the next one's turn; owner loop. */
    final void beginTurn(int ticket) {
        if (ticket - turn >= 0) {
            turn = ticket + 1;
        }
        if (waiting != null) {
            wakeTurn();
        }
    }

    /** {@code request} holds {@code ticket}, whose turn has not come: it waits; owner loop. */
    final void park(T request, int ticket) {
        if (waiting == null) {
            waiting = new Waiting<>();
        }
        waiting.add(ticket, request);
    }

    /**
     * The request holding {@code ticket} will never be acted on (its connection closed before its turn, on its way
     * to the owner loop or while it waited): its turn is skipped, now or when it comes; owner loop.
     */
    final void abandon(T request, int ticket) {
        if (waiting != null) {
            waiting.remove(request);
        }
        if (ticket == turn) {
            turn++;
            if (waiting != null) {
                wakeTurn();
            }
        } else if (ticket - turn > 0) {
            if (waiting == null) {
                waiting = new Waiting<>();
            }
            waiting.add(ticket, null); // a hole: skipped when its turn comes
        }
    }

    /** The session closed: every waiting request is woken (and gets the answer for a closed session); owner loop. */
    final void onSessionClosed() {
        if (waiting != null) {
            wakeTurn();
        }
    }

    /** Requests waiting (holes not counted); owner loop. */
    final int waitingCount() {
        Waiting<T> w = waiting;
        if (w == null) {
            return 0;
        }
        int n = 0;
        for (int i = 0; i < w.count; i++) {
            if (w.requests[i] != null) {
                n++;
            }
        }
        return n;
    }

    /** Wakes the request whose turn it is, skipping holes; every waiting request once the session has closed. */
    private void wakeTurn() {
        Waiting<T> w = waiting;
        boolean closed = isClosed();
        int i = 0;
        while (i < w.count) {
            if (!closed && w.tickets[i] != turn) {
                i++;
                continue;
            }
            T request = w.requests[i];
            w.removeAt(i);
            if (request == null) {
                turn++;
                i = 0; // a hole: look again for the next turn
                continue;
            }
            wake(request);
            if (!closed) {
                break; // one turn at a time: the woken request advances the turn when it acts
            }
        }
        if (w.count == 0) {
            waiting = null;
        }
    }

    /** Waiting requests with their tickets, in no particular order; a null request is a hole. */
    private static final class Waiting<T> {
        int[] tickets = new int[2];
        @SuppressWarnings("unchecked")
        T[] requests = (T[]) new Object[2];
        int count;

        void add(int ticket, T request) {
            if (count == tickets.length) {
                tickets = Arrays.copyOf(tickets, count * 2);
                requests = Arrays.copyOf(requests, count * 2);
            }
            tickets[count] = ticket;
            requests[count++] = request;
        }

        void remove(T request) {
            for (int i = 0; i < count; i++) {
                if (requests[i] == request) {
                    removeAt(i);
                    return;
                }
            }
        }

        void removeAt(int i) {
            count--;
            System.arraycopy(tickets, i + 1, tickets, i, count - i);
            System.arraycopy(requests, i + 1, requests, i, count - i);
            requests[count] = null;
        }
    }
}
