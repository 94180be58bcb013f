package dev.engineionio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.engineionio.driver.EventLoop;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link EngineServer#close(Duration)}: listen sockets closed first, held polls answered, WebSocket sessions sent what
 * they had queued and then their close, what is left closed when the grace ends (on the fake clock), and close
 * returning once everything is closed. Raw sockets; waits are failure guards only.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GracefulShutdownTest {

    private static final String PAD = "x".repeat(1000);
    /** Far more than the 64 KiB high-water mark: most of it waits in the session while the client does not read. */
    private static final int BURST = 500;

    private final AtomicLong clockNs = new AtomicLong(5_000_000_000_000L);
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private EngineServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close(Duration.ZERO);
        }
    }

    private EngineServer.Builder builder(int loops) {
        return EngineServer.builder().listen("127.0.0.1", 0).eventLoops(loops).clock(clockNs::get)
                .onConnection(s -> {
                    s.onMessage(m -> {
                        if (m.equals("burst")) {
                            for (int i = 0; i < BURST; i++) {
                                s.send(i + PAD);
                            }
                            events.add("sent");
                        }
                    });
                    s.onClose((r, d) -> events.add("close " + r));
                });
    }

    private String event() throws InterruptedException {
        String e = events.poll(20, TimeUnit.SECONDS);
        assertNotNull(e, "no event");
        return e;
    }

    /** Closes the server on another thread (close blocks); "closed" once it returned. */
    private Thread closeInBackground(Runnable close) {
        Thread t = new Thread(() -> {
            close.run();
            events.add("closed");
        }, "test-closer");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void advance(long ms) {
        clockNs.addAndGet(ms * 1_000_000L);
        server.wakeLoops();
    }

    /**
     * Returns once every loop has run a full pass that started after this call (two commands in a row: the second
     * runs in a pass after the one that ran the first), or has terminated.
     */
    private void passes() throws InterruptedException {
        for (int round = 0; round < 2; round++) {
            for (EventLoop l : server.loops()) {
                CountDownLatch ran = new CountDownLatch(1);
                if (l.offer(ran::countDown)) {
                    // a loop that terminates first drops the command: then it is done anyway
                    for (int i = 0; i < 200 && !ran.await(100, TimeUnit.MILLISECONDS); i++) {
                        if (isTerminated(l)) {
                            break;
                        }
                    }
                }
            }
        }
    }

    private boolean isTerminated(EventLoop l) {
        return !l.offer(() -> { });
    }

    private static RawClient webSocketSession(int port) throws Exception {
        RawClient c = new RawClient(port);
        assertEquals(101, c.upgrade("/engine.io/?EIO=4&transport=websocket").status);
        assertTrue(c.readFrame().text().startsWith("0{"));
        return c;
    }

    private static String sid(RawClient.Response r) {
        Matcher m = Pattern.compile("\"sid\":\"([^\"]+)\"").matcher(r.text());
        assertTrue(m.find(), r.text());
        return m.group(1);
    }

    @Test
    void aWebSocketSessionReceivesEverythingSentBeforeCloseThenTheCloseFrame() throws Exception {
        server = builder(2).build().start();
        try (RawClient c = webSocketSession(server.port())) {
            c.sendText("4burst");
            assertEquals("sent", event());
            // The client has read nothing yet: most of the burst is still queued in the session.
            Thread closer = closeInBackground(() -> server.close(Duration.ofHours(1)));
            for (int i = 0; i < BURST; i++) {
                RawClient.Frame f = c.readFrame();
                assertEquals(1, f.opcode(), "message " + i);
                assertEquals("4" + i + PAD, f.text());
            }
            RawClient.Frame close = c.readFrame();
            assertEquals(0x8, close.opcode());
            assertArrayEquals(new byte[0], close.payload(), "a close frame without status, as ws's close()");
            assertEquals("close forced close", event()); // as the reference: once the close frame is on its way
            c.sendFrame(0x8, true, new byte[0]); // our answer ends the close handshake
            assertArrayEquals(new byte[0], c.readToEof());
            c.close(); // the server's lingering close waits for our EOF
            // Everything closed long before the grace (an hour on the unmoved fake clock): close has returned.
            assertEquals("closed", event());
            closer.join(20_000);
            assertFalse(closer.isAlive());
        }
    }

    @Test
    void aHeldPollIsAnsweredWithTheClosePacketThenItsConnectionCloses() throws Exception {
        server = builder(1).build().start();
        try (RawClient a = new RawClient(server.port())) {
            String sid = sid(a.get("/engine.io/?EIO=4&transport=polling"));
            a.send(RawClient.request("GET", "/engine.io/?EIO=4&transport=polling&sid=" + sid, null));
            passes(); // the one loop has read the GET: nothing is queued, so it is held
            Thread closer = closeInBackground(() -> server.close(Duration.ofHours(1)));
            RawClient.Response r = a.read();
            assertEquals(200, r.status);
            assertEquals("1", r.text());
            assertEquals("close forced close", event());
            assertArrayEquals(new byte[0], a.readToEof());
            a.close(); // the server's lingering close waits for our EOF
            assertEquals("closed", event());
            closer.join(20_000);
            assertFalse(closer.isAlive());
        }
    }

    @Test
    void aPollingSessionWithNoPollHeldClosesAtOnce() throws Exception {
        server = builder(1).build().start();
        try (RawClient a = new RawClient(server.port())) {
            sid(a.get("/engine.io/?EIO=4&transport=polling"));
            a.close();
            Thread closer = closeInBackground(() -> server.close(Duration.ofHours(1)));
            assertEquals("close forced close", event());
            assertEquals("closed", event());
            closer.join(20_000);
        }
    }

    @Test
    void newConnectionsAreRefusedOnceCloseBegan() throws Exception {
        server = builder(2).build().start();
        int port = server.port();
        try (RawClient c = webSocketSession(port)) {
            closeInBackground(() -> server.close(Duration.ofHours(1)));
            // The sessions hear of the shutdown only after the listen sockets are closed.
            assertEquals(0x8, c.readFrame().opcode());
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
            c.sendFrame(0x8, true, new byte[0]);
            assertEquals("close forced close", event());
            c.readToEof();
            c.close();
            assertEquals("closed", event());
        }
    }

    @Test
    void whatIsStillOpenWhenTheGraceEndsIsClosedAndCloseReturns() throws Exception {
        server = builder(2).webSocketCloseTimeout(Duration.ofHours(1)).build().start();
        try (RawClient c = webSocketSession(server.port())) {
            Thread closer = closeInBackground(() -> server.close(Duration.ofSeconds(10)));
            assertEquals(0x8, c.readFrame().opcode());
            assertEquals("close forced close", event());
            // We never answer the close frame: the connection stays until the grace is over.
            passes();
            advance(9_999);
            passes();
            assertTrue(closer.isAlive(), "close returned before the grace ended");
            assertNull(events.peek());
            advance(1);
            assertEquals("closed", event());
            assertArrayEquals(new byte[0], c.readToEof());
            closer.join(20_000);
        }
    }

    @Test
    void closeWithoutArgumentGivesTheBuildersShutdownGrace() throws Exception {
        server = builder(1).webSocketCloseTimeout(Duration.ofHours(1)).shutdownGrace(Duration.ofMinutes(10))
                .build().start();
        try (RawClient c = webSocketSession(server.port())) {
            Thread closer = closeInBackground(server::close);
            assertEquals(0x8, c.readFrame().opcode());
            assertEquals("close forced close", event());
            passes();
            advance(Duration.ofMinutes(10).toMillis() - 1);
            passes();
            assertTrue(closer.isAlive(), "close returned before the configured grace ended");
            advance(1);
            assertEquals("closed", event());
            closer.join(20_000);
        }
    }

    @Test
    void aZeroGraceClosesEverythingAtOnce() throws Exception {
        server = builder(1).webSocketCloseTimeout(Duration.ofHours(1)).build().start();
        try (RawClient c = webSocketSession(server.port())) {
            Thread closer = closeInBackground(() -> server.close(Duration.ZERO));
            assertEquals("close forced close", event());
            assertEquals("closed", event());
            closer.join(20_000);
            c.readToEof(); // whatever made it out before the cut (at most the close frame), then EOF
        }
    }

    @Test
    void aNegativeGraceIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> EngineServer.builder().shutdownGrace(Duration.ofMillis(-1)));
        server = builder(1).build();
        assertThrows(IllegalArgumentException.class, () -> server.close(Duration.ofMillis(-1)));
    }
}
