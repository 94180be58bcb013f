package dev.engineionio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.engineionio.driver.EventLoop;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One session's requests are acted on in the order the server read them, whichever loop read them: the engine.io
 * protocol suite's "close / HTTP long-polling / should forcefully close the session" (a GET to be held and a POST of
 * the close packet {@code 1}), with the interleaving that used to lose forced step by step.
 *
 * <p>How the loops are controlled, with no sleep: the {@link HttpHandler} answers {@code /whoami} with its loop
 * thread's name (so the test knows which loop each keep-alive connection landed on) and blocks in {@code /block}
 * until the test releases it (so a loop stands still while the test sends bytes). Requests sent while a loop stands
 * still are read by it in the order they became readable: the selector reports ready sockets in that order (epoll's
 * ready list on Linux), and loopback delivers a write before {@code write} returns. That a loop has read a request
 * that moved away is seen from its connection count, asked on its thread. The clock is fake and still, so no timer
 * fires; socket timeouts and queue polls are failure guards only.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SessionRequestOrderTest {

    private static final Pattern SID = Pattern.compile("\"sid\":\"([A-Za-z0-9_-]{20})\"");

    private final BlockingQueue<String> entered = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> release = new LinkedBlockingQueue<>();
    private final List<RawClient> clients = new ArrayList<>();
    private EngineServer server;

    private void start(int loops) throws Exception {
        server = EngineServer.builder().listen("127.0.0.1", 0).eventLoops(loops).clock(() -> 1_000_000_000_000L)
                .httpHandler((req, res) -> {
                    if (req.path().equals("/block")) {
                        entered.add(req.query());
                        assertNotNull(release.poll(30, TimeUnit.SECONDS), "never released");
                    }
                    res.send(Thread.currentThread().getName());
                })
                .onConnection(s -> s.onMessage(s::send))
                .build().start();
    }

    @AfterEach
    void stop() throws Exception {
        release.add("end");
        release.add("end");
        for (RawClient c : clients) {
            c.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** {@code n} keep-alive connections, grouped by the loop thread that serves each. */
    private Map<String, List<RawClient>> connectionsByLoop(int n) throws Exception {
        Map<String, List<RawClient>> byLoop = new HashMap<>();
        for (int i = 0; i < n; i++) {
            RawClient c = new RawClient(server.port());
            clients.add(c);
            byLoop.computeIfAbsent(c.get("/whoami").text(), k -> new ArrayList<>()).add(c);
        }
        return byLoop;
    }

    private EventLoop loopNamed(String threadName) {
        for (EventLoop l : server.loops()) {
            if (threadName.endsWith("-" + l.index())) {
                return l;
            }
        }
        throw new AssertionError("no loop for thread " + threadName);
    }

    /** {@code value} computed on {@code loop}'s thread (a command: it runs between the loop's events). */
    private static <T> T onLoop(EventLoop loop, Supplier<T> value) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.execute(() -> f.complete(value.get()));
        return f.get(30, TimeUnit.SECONDS);
    }

    /** Asks {@code loop} for its connection count, command after command, until it is {@code expected}. */
    private static void awaitConnectionCount(EventLoop loop, int expected) throws Exception {
        while (onLoop(loop, loop::connectionCount) != expected) {
            Thread.onSpinWait();
        }
    }

    private static String handshake(RawClient c) throws Exception {
        RawClient.Response r = c.get("/engine.io/?EIO=4&transport=polling");
        assertEquals(200, r.status, r.toString());
        Matcher m = SID.matcher(r.text());
        assertTrue(m.find(), r.text());
        return "/engine.io/?EIO=4&transport=polling&sid=" + m.group(1);
    }

    /** Blocks the loop of {@code c} in the handler until {@link #release} gets a token. */
    private void block(RawClient c, String tag) throws Exception {
        c.send(RawClient.request("GET", "/block?" + tag, null));
    }

    private void awaitEntered(String tag) throws Exception {
        assertEquals(tag, entered.poll(30, TimeUnit.SECONDS), "the loop did not reach the blocking handler");
    }

    private void unblock(RawClient c) throws Exception {
        release.add("go");
        assertEquals(200, c.read().status);
    }

    @Test
    void getReadOnAnotherLoopIsHeldBeforeAPostReadLaterOnTheOwnerLoop() throws Exception {
        start(2);
        Map<String, List<RawClient>> byLoop = connectionsByLoop(8);
        assertEquals(2, byLoop.size(), "connections are spread over both loops");
        List<String> names = new ArrayList<>(byLoop.keySet());
        List<RawClient> a = byLoop.get(names.get(0));
        List<RawClient> b = byLoop.get(names.get(1));
        assertTrue(a.size() >= 4 && b.size() >= 1, byLoop.toString());
        RawClient handshake = a.get(0);
        RawClient blocker1 = a.get(1);
        RawClient blocker2 = a.get(2);
        RawClient post = a.get(3);
        RawClient get = b.get(0);
        EventLoop loopB = loopNamed(names.get(1));
        int connectionsOnB = onLoop(loopB, loopB::connectionCount);
        assertEquals(b.size(), connectionsOnB);
        String poll = handshake(handshake); // the session is owned by loop A, the handshake's

        // Loop A stands still while the second blocker and the POST become readable, in that order: its next
        // selector pass reports both, and it handles them in that order.
        block(blocker1, "1");
        awaitEntered("1");
        block(blocker2, "2");
        post.send(RawClient.request("POST", poll, "1"));
        unblock(blocker1);
        awaitEntered("2");
        // Loop A now stands still between the two, its pass already holding the POST. Loop B reads the GET: the GET
        // takes its place in the session's order there and its connection moves to loop A (queued behind the pass).
        get.send(RawClient.request("GET", poll, null));
        // The GET's connection leaves loop B in the read event that took the GET's ticket: once B counts one
        // connection less, the GET has been read and is on its way to loop A.
        awaitConnectionCount(loopB, connectionsOnB - 1);
        // Loop A goes on with its pass and reads the POST before the GET arrives: the POST must wait for it.
        unblock(blocker2);

        RawClient.Response held = get.read();
        assertEquals(200, held.status, held.toString());
        assertEquals("6", held.text(), "the GET was held when the close packet came, and answered with a noop");
        RawClient.Response posted = post.read();
        assertEquals(200, posted.status);
        assertEquals("ok", posted.text());
        assertEquals(400, handshake.get(poll).status, "the session is closed for a later GET");
        assertEquals(0, server.clientsCount());
    }

    @Test
    void firstRequestsOnNewConnectionsAreReadInArrivalOrderWhileTheOtherLoopStandsStill() throws Exception {
        start(2);
        Map<String, List<RawClient>> byLoop = connectionsByLoop(8);
        assertEquals(2, byLoop.size(), "keep-alive connections are spread over both loops");
        String acceptor = null;
        String other = null;
        for (String name : byLoop.keySet()) {
            if (loopNamed(name).index() == 0) {
                acceptor = name;
            } else {
                other = name;
            }
        }
        RawClient handshake = byLoop.get(acceptor).get(0); // the sessions are owned by loop 0, which accepts
        RawClient blocker = byLoop.get(other).get(0);
        block(blocker, "other");
        awaitEntered("other");
        // Loop 1 stands still. Two rounds, the second one connection later in the acceptor's round-robin, so that with
        // connections dealt to loops at accept one round's GET would wait on loop 1 while loop 0 acted on its POST.
        for (int round = 0; round < 2; round++) {
            if (round == 1) {
                clients.add(new RawClient(server.port()));
            }
            String poll = handshake(handshake);
            RawClient get = new RawClient(server.port());
            clients.add(get);
            get.send(RawClient.request("GET", poll, null));
            RawClient post = new RawClient(server.port());
            clients.add(post);
            post.send(RawClient.request("POST", poll, "1"));
            RawClient.Response held = get.read();
            assertEquals(200, held.status, "round " + round + ": " + held);
            assertEquals("6", held.text(), "round " + round + ": the GET was held when the close packet came");
            assertEquals("ok", post.read().text(), "round " + round);
            assertEquals(400, handshake.get(poll).status, "round " + round + ": the session is closed");
        }
        unblock(blocker);
    }

    @Test
    void requestsReadInOneSelectorPassAreActedOnInTheOrderTheyBecameReadable() throws Exception {
        start(1);
        Map<String, List<RawClient>> byLoop = connectionsByLoop(4);
        List<RawClient> c = byLoop.values().iterator().next();
        RawClient handshake = c.get(0);
        RawClient blocker = c.get(1);
        RawClient first = c.get(2);
        RawClient second = c.get(3);

        // GET, then POST: the GET is held, then the close packet answers it with a noop.
        String poll = handshake(handshake);
        block(blocker, "get-first");
        awaitEntered("get-first");
        first.send(RawClient.request("GET", poll, null));
        second.send(RawClient.request("POST", poll, "1"));
        unblock(blocker);
        RawClient.Response get = first.read();
        assertEquals(200, get.status);
        assertEquals("6", get.text());
        assertEquals("ok", second.read().text());
        assertEquals(400, handshake.get(poll).status);

        // POST, then GET, in the same pass: the server does not reorder them (by method or otherwise): the session
        // closes first, and the GET finds it gone.
        poll = handshake(handshake);
        block(blocker, "post-first");
        awaitEntered("post-first");
        second.send(RawClient.request("POST", poll, "1"));
        first.send(RawClient.request("GET", poll, null));
        unblock(blocker);
        assertEquals("ok", second.read().text());
        RawClient.Response late = first.read();
        assertEquals(400, late.status, late.toString());
        assertNotEquals("6", late.text());
    }
}
