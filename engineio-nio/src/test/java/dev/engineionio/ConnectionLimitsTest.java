package dev.engineionio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The connection-level limits through {@link EngineServer}: the first request head within {@code requestHeaderTimeout}
 * of the accept, the connection cap ({@code maxConnections}) making room by closing the oldest connection that has not
 * sent a request, and the output water marks. Time runs on a fake clock; socket timeouts are failure guards only.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionLimitsTest {

    private static final Pattern SID = Pattern.compile("\"sid\":\"([A-Za-z0-9_-]{20})\"");

    private final AtomicLong clockNs = new AtomicLong(1_000_000_000_000L);
    private EngineServer server;

    private EngineServer start(Consumer<EngineServer.Builder> tweak) throws Exception {
        EngineServer.Builder b = EngineServer.builder().listen("127.0.0.1", 0).clock(clockNs::get)
                .onConnection(s -> s.onMessage(s::send));
        tweak.accept(b);
        server = b.build().start();
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Moves the fake clock and makes every loop run a pass at the new time. */
    private void advance(long ms) {
        clockNs.addAndGet(ms * 1_000_000L);
        server.wakeLoops();
    }

    /**
     * A complete request on the probe connection. With one event loop its answer proves that the loop has run a pass
     * (and polled its timers) since the request was sent, and so since every earlier {@link #advance}, and that every
     * connection opened before it was accepted.
     */
    private static void probe(RawClient probe) throws Exception {
        assertEquals(404, probe.get("/probe").status);
    }

    private static String sid(RawClient.Response r) {
        Matcher m = SID.matcher(r.text());
        assertTrue(m.find(), r.text());
        return m.group(1);
    }

    @Test
    void aConnectionThatSendsNothingIsClosedWithoutAnAnswerAtRequestHeaderTimeoutAfterTheAccept() throws Exception {
        start(b -> b.eventLoops(1).requestHeaderTimeout(Duration.ofSeconds(10)).idleTimeout(Duration.ofSeconds(60)));
        try (RawClient silent = new RawClient(server.port()); RawClient probe = new RawClient(server.port())) {
            probe(probe); // accepted after silent, on the same loop, at the same fake time
            assertEquals(2, server.openConnections());
            advance(10_000 - 1);
            probe(probe);
            assertEquals(2, server.openConnections(), "closed before requestHeaderTimeout");
            advance(1);
            probe(probe);
            assertEquals(1, server.openConnections(), "still open at requestHeaderTimeout (not idleTimeout)");
            assertArrayEquals(new byte[0], silent.readToEof(), "a silent connection gets no answer");
        }
    }

    @Test
    void theFirstRequestHeadIsDueRequestHeaderTimeoutAfterTheAcceptNotAfterItsFirstByte() throws Exception {
        start(b -> b.eventLoops(1).requestHeaderTimeout(Duration.ofSeconds(10)));
        try (RawClient slow = new RawClient(server.port()); RawClient probe = new RawClient(server.port())) {
            probe(probe);
            advance(9_000);
            slow.send("GET /engine.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: x\r\n");
            probe(probe); // the partial head was sent before the probe's request: read in that pass or earlier
            advance(1_000 - 1);
            probe(probe);
            assertEquals(2, server.openConnections(), "closed before requestHeaderTimeout");
            advance(1);
            assertEquals("HTTP/1.1 408 Request Timeout", slow.readLine());
        }
    }

    @Test
    void aKeepAliveConnectionGetsIdleTimeoutBetweenRequestsAndRequestHeaderTimeoutFromTheNextFirstByte()
            throws Exception {
        start(b -> b.eventLoops(1).requestHeaderTimeout(Duration.ofSeconds(10)).idleTimeout(Duration.ofSeconds(60)));
        try (RawClient c = new RawClient(server.port()); RawClient probe = new RawClient(server.port())) {
            assertEquals(404, c.get("/first").status);
            probe(probe);
            advance(59_000);
            probe(probe);
            assertEquals(2, server.openConnections(), "an idle keep-alive connection has idleTimeout, not 10 s");
            c.send("GET /second HTTP/1.1\r\n");
            probe(probe);
            advance(10_000 - 1);
            probe(probe);
            assertEquals(2, server.openConnections());
            advance(1);
            assertEquals("HTTP/1.1 408 Request Timeout", c.readLine());
        }
    }

    @Test
    void atTheCapANewClientTakesThePlaceOfTheOldestConnectionThatSentNoRequest() throws Exception {
        start(b -> b.eventLoops(2).maxConnections(4));
        try (RawClient poll = new RawClient(server.port());
                RawClient silentOld = new RawClient(server.port());
                RawClient ws = new RawClient(server.port());
                RawClient silentNew = new RawClient(server.port())) {
            // A polling session with a held GET, a WebSocket session, and two connections that send nothing.
            RawClient.Response open = poll.get("/engine.io/?EIO=4&transport=polling");
            assertEquals(200, open.status);
            String sid = sid(open);
            poll.send(RawClient.request("GET", "/engine.io/?EIO=4&transport=polling&sid=" + sid, null)); // held
            assertEquals(101, ws.upgrade("/engine.io/?EIO=4&transport=websocket").status);
            assertTrue(ws.readFrame().text().startsWith("0{"));
            assertEquals(4, server.openConnections());

            try (RawClient fresh = new RawClient(server.port())) {
                // At the cap: the oldest silent connection makes room, the new client is served.
                RawClient.Response r = fresh.get("/engine.io/?EIO=4&transport=polling");
                assertEquals(200, r.status);
                assertArrayEquals(new byte[0], silentOld.readToEof());
                // The sessions live on: a message posted on the new connection reaches the held GET.
                assertEquals(200, fresh.post("/engine.io/?EIO=4&transport=polling&sid=" + sid, "4hello").status);
                RawClient.Response held = poll.read();
                assertEquals("4hello", held.text());
                ws.sendText("4ws");
                assertEquals("4ws", ws.readFrame().text());
                assertEquals(4, server.openConnections());

                try (RawClient second = new RawClient(server.port())) {
                    assertEquals(200, second.get("/engine.io/?EIO=4&transport=polling").status);
                    assertArrayEquals(new byte[0], silentNew.readToEof());
                    assertEquals(4, server.openConnections());
                    // Every open connection has sent a request: a new one is refused, none of them is closed.
                    try (RawClient refused = new RawClient(server.port())) {
                        assertArrayEquals(new byte[0], refused.readToEof());
                    }
                    ws.sendText("4still");
                    assertEquals("4still", ws.readFrame().text());
                    assertEquals(404, second.get("/probe").status);
                    assertEquals(404, fresh.get("/probe").status);
                }
            }
        }
    }

    @Test
    void aHalfSentFirstHeadIsEvictedButAFirstRequestWhoseBodyIsStillComingIsNot() throws Exception {
        start(b -> b.eventLoops(1).maxConnections(3));
        try (RawClient hs = new RawClient(server.port());
                RawClient posting = new RawClient(server.port());
                RawClient halfHead = new RawClient(server.port())) {
            String sid = sid(hs.get("/engine.io/?EIO=4&transport=polling"));
            // posting (older than halfHead): its first request, a POST whose head is complete and whose body is not.
            posting.send("POST /engine.io/?EIO=4&transport=polling&sid=" + sid + " HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Length: 6\r\n\r\n4he");
            halfHead.send("GET /engine.io/?EIO=4&transport=polling HTT");
            probe(hs); // both were read before this answer (one loop)
            try (RawClient fresh = new RawClient(server.port())) {
                assertEquals(200, fresh.get("/engine.io/?EIO=4&transport=polling").status);
                assertArrayEquals(new byte[0], halfHead.readToEof(), "evicted without an answer");
            }
            posting.send("llo");
            RawClient.Response r = posting.read();
            assertEquals(200, r.status);
            assertEquals("ok", r.text());
            assertEquals("4hello", hs.get("/engine.io/?EIO=4&transport=polling&sid=" + sid).text());
        }
    }

    @Test
    void writeWaterMarksAtTheirEdges() throws Exception {
        BlockingQueue<List<Boolean>> seen = new LinkedBlockingQueue<>();
        start(b -> b.writeWaterMarks(100, 1004).webSocket("/raw", new WebSocketHandler() {
            @Override
            public void onText(WebSocketSession session, String text) {
                // One callback: nothing is flushed in between, so the queue is exactly what was sent.
                session.sendText("x".repeat(1000)); // a 4-byte frame head + 1000 bytes: exactly the high mark
                boolean atHigh = session.isWritable();
                session.sendText("");                 // 2 bytes more
                seen.add(List.of(atHigh, session.isWritable()));
            }

            @Override
            public void onBinary(WebSocketSession session, ByteBuffer data) {
            }
        }));
        try (RawClient c = new RawClient(server.port())) {
            assertEquals(101, c.upgrade("/raw").status);
            c.sendText("go");
            List<Boolean> r = seen.poll(20, TimeUnit.SECONDS);
            assertNotNull(r);
            assertEquals(List.of(true, false), r);
            assertEquals(1000, c.readFrame().payload().length);
            assertEquals(0, c.readFrame().payload().length);
        }
    }

    @Test
    void limitOptionsRejectOutOfRangeValues() {
        assertThrows(IllegalArgumentException.class, () -> EngineServer.builder().maxConnections(0));
        assertThrows(IllegalArgumentException.class, () -> EngineServer.builder().writeWaterMarks(-1, 10));
        assertThrows(IllegalArgumentException.class, () -> EngineServer.builder().writeWaterMarks(11, 10));
        // The output hard limit with the default sizes: 2 x 16 MiB (webSocketMaxMessageSize) + 1 MiB.
        long hard = 33L << 20;
        assertThrows(IllegalArgumentException.class,
                () -> EngineServer.builder().writeWaterMarks(0, hard + 1).build());
        EngineServer.builder().maxConnections(1).writeWaterMarks(hard, hard).build().close();
    }
}
