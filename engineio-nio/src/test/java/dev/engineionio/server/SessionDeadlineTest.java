package dev.engineionio.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.engineionio.EngineServer;
import dev.engineionio.EngineSocket;
import dev.engineionio.RawClient;
import dev.engineionio.TestClocks;
import dev.engineionio.session.EngineSession;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every kind of input a session gets through the server (handshakes of each transport, polling GETs and POSTs, a
 * probe and its packets, WebSocket messages and closes, SSE streams and their loss, the application's sends and
 * closes, and its own timers on a fake clock) leaves the deadline held on the loop's timer wheel equal to the
 * session's next deadline: none open without one, none closed with one.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SessionDeadlineTest {

    private static final String POLL = "/engine.io/?EIO=4&transport=polling";

    private final AtomicLong clockNs = new AtomicLong(1_000_000_000_000L);
    private final BlockingQueue<EngineSocket> sockets = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private EngineServer server;

    @BeforeEach
    void start() throws Exception {
        server = TestClocks.fake(EngineServer.builder(), clockNs).listen("127.0.0.1", 0).eventLoops(1)
                .pingInterval(Duration.ofMillis(300)).pingTimeout(Duration.ofMillis(200))
                .upgradeTimeout(Duration.ofSeconds(1))
                .transports("polling", "websocket", "sse")
                .onConnection(s -> {
                    s.onMessage(s::send);
                    s.onHeartbeat(() -> events.add("heartbeat"));
                    s.onUpgrade(t -> events.add("upgrade " + t));
                    s.onClose((reason, description) -> events.add("close " + reason));
                    sockets.add(s);
                })
                .build().start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private EngineSocket socket() throws InterruptedException {
        EngineSocket s = sockets.poll(20, TimeUnit.SECONDS);
        assertNotNull(s, "no connection");
        return s;
    }

    private String event() throws InterruptedException {
        String e = events.poll(20, TimeUnit.SECONDS);
        assertNotNull(e, "no server event");
        return e;
    }

    /** Moves the clock and makes the socket's loop run a pass (its due timers fire). */
    private void advance(long ms) {
        clockNs.addAndGet(ms * 1_000_000L);
        TestClocks.wake(server);
    }

    /** On the socket's loop, after the input being handled: the wheel holds the session's next deadline. */
    private void assertArmed(EngineSocket s, boolean open, String after) throws Exception {
        EngineSocketImpl impl = (EngineSocketImpl) s;
        CompletableFuture<long[]> f = new CompletableFuture<>();
        s.execute(() -> f.complete(new long[] {impl.armedDeadlineNs(), impl.sessionDeadlineNs()}));
        long[] d = f.get(20, TimeUnit.SECONDS);
        assertEquals(d[1], d[0], "wheel vs session deadline after " + after);
        if (open) {
            assertNotEquals(EngineSession.NO_DEADLINE, d[0], "an open session has a deadline after " + after);
        } else {
            assertEquals(EngineSession.NO_DEADLINE, d[0], "a closed session has none after " + after);
        }
    }

    private static String sid(String open) {
        int i = open.indexOf("\"sid\":\"") + 7;
        return open.substring(i, i + 20);
    }

    @Test
    void pollingThenUpgradedSessionFollowsEveryInput() throws Exception {
        try (RawClient c = new RawClient(server.port()); RawClient ws = new RawClient(server.port())) {
            String sid = sid(c.get(POLL).text());
            EngineSocket s = socket();
            assertArmed(s, true, "the polling handshake");
            String q = POLL + "&sid=" + sid;
            assertEquals("ok", c.post(q, "4hi").text());
            assertArmed(s, true, "a POST");
            assertEquals("4hi", c.get(q).text());
            assertArmed(s, true, "a GET");
            advance(300);
            assertEquals("2", c.get(q).text(), "the ping timer fired");
            assertArmed(s, true, "the ping timer");
            assertEquals("ok", c.post(q, "3").text());
            assertEquals("heartbeat", event());
            assertArmed(s, true, "a PONG");
            assertEquals(101, ws.upgrade("/engine.io/?EIO=4&transport=websocket&sid=" + sid).status);
            assertArmed(s, true, "a probe request");
            ws.sendText("2probe");
            assertEquals("3probe", ws.readFrame().text());
            assertArmed(s, true, "2probe");
            ws.sendText("5");
            assertEquals("upgrade websocket", event());
            assertArmed(s, true, "the upgrade");
            ws.sendText("4over");
            assertEquals("4over", ws.readFrame().text());
            assertArmed(s, true, "a WebSocket message");
            advance(300);
            assertEquals("2", ws.readFrame().text(), "the ping timer fired");
            assertArmed(s, true, "the ping timer on the WebSocket");
            ws.sendText("3");
            assertEquals("heartbeat", event());
            assertArmed(s, true, "a PONG on the WebSocket");
            ws.sendFrame(0x8, true, new byte[] {0x03, (byte) 0xe8});
            assertEquals("close transport close", event());
            assertArmed(s, false, "the client's close frame");
        }
    }

    @Test
    void applicationClosingAPollingSessionFollowsItsCloseTimerAndTheFinalGet() throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            String sid = sid(c.get(POLL).text());
            EngineSocket s = socket();
            s.send("queued");
            assertArmed(s, true, "an application send");
            s.close();
            assertArmed(s, true, "an application close waiting for a GET");
            assertEquals("4queued", c.get(POLL + "&sid=" + sid).text());
            assertArmed(s, true, "the GET that drained the write buffer");
            assertTrue(c.get(POLL + "&sid=" + sid).text().endsWith("1"));
            assertEquals("close forced close", event());
            assertArmed(s, false, "the GET that carried the close");
        }
    }

    @Test
    void webSocketSessionFollowsItsTimersAndTheApplication() throws Exception {
        try (RawClient ws = new RawClient(server.port())) {
            assertEquals(101, ws.upgrade("/engine.io/?EIO=4&transport=websocket").status);
            assertTrue(ws.readFrame().text().startsWith("0{"));
            EngineSocket s = socket();
            assertArmed(s, true, "the WebSocket handshake");
            s.send("from the application");
            assertEquals("4from the application", ws.readFrame().text());
            assertArmed(s, true, "an application send");
            advance(300);
            assertEquals("2", ws.readFrame().text());
            assertArmed(s, true, "the ping timer");
            advance(200);
            assertEquals("close ping timeout", event());
            assertArmed(s, false, "the ping timeout");
        }
    }

    @Test
    void sseSessionFollowsItsStreamPostsAndStreamLoss() throws Exception {
        String sse = "/engine.io/?EIO=4&transport=sse";
        EngineSocket s;
        String sid;
        try (RawClient stream = new RawClient(server.port())) {
            stream.send(RawClient.request("GET", sse, null));
            assertEquals(200, stream.readHead().status);
            s = socket();
            sid = s.id();
            assertArmed(s, true, "the SSE handshake");
            try (RawClient c = new RawClient(server.port())) {
                assertEquals("ok", c.post(sse + "&sid=" + sid, "4up").text());
            }
            assertArmed(s, true, "a POST");
        }
        // the stream is gone: its timeout closes the session (the loss is seen on some later pass)
        String e;
        do {
            advance(200);
            e = events.poll(50, TimeUnit.MILLISECONDS);
            if (e == null) {
                assertArmed(s, true, "the stream's loss");
            }
        } while (e == null);
        assertEquals("close transport error", e);
        assertArmed(s, false, "the stream timeout");
    }
}
