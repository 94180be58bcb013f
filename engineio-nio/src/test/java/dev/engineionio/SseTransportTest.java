package dev.engineionio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
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
 * The SSE transport over raw loopback sockets: the stream parsed as {@code EventSource} parses it ({@link SseClient}),
 * upstream as polling POSTs. Heartbeats, stream loss and stalls run on a fake clock; socket timeouts and queue polls
 * are failure guards only.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SseTransportTest {

    private static final Pattern SID = Pattern.compile("\"sid\":\"([A-Za-z0-9_-]{20})\"");
    private static final String SSE = "/engine.io/?EIO=4&transport=sse";

    /** The characters an SSE parser or a payload could mangle, and astral ones. */
    static final String[] SPECIALS = {"\r", "\r\n", "\n", "\n\n", "\r\r", " ", "  ", "\0", "\u001e", "\u2028",
            "\u2029", "\uD83D\uDE00", "\uD800\uDC00", "\\", "\\n", "\\r", ":", "data: x", "\ufeff", "id: 1", "\t"};

    /** Each special alone, at the start, in the middle and at the end of a text. */
    static List<String> texts() {
        List<String> l = new ArrayList<>();
        for (String s : SPECIALS) {
            l.add(s);
            l.add(s + "ab");
            l.add("a" + s + "b");
            l.add("ab" + s);
        }
        l.add("");
        return l;
    }

    private final AtomicLong clockNs = new AtomicLong(1_000_000_000_000L);
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private EngineServer server;

    private EngineServer start(Consumer<EngineServer.Builder> tweak) throws Exception {
        EngineServer.Builder b = EngineServer.builder().listen("127.0.0.1", 0).eventLoops(2).clock(clockNs::get)
                .transports("polling", "websocket", "sse")
                .pingInterval(Duration.ofMillis(100_000)).pingTimeout(Duration.ofMillis(5_000))
                .onConnectionError(e -> events.add("error " + e.code() + " " + e.contextJson()))
                .onConnection(s -> {
                    events.add("connection " + s.transport() + " " + s.protocol());
                    s.onMessage(m -> {
                        if (m.equals("close-me")) {
                            s.close();
                        } else if (m.equals("texts")) {
                            texts().forEach(s::send);
                        } else if (m.startsWith("flood:")) {
                            String[] a = m.split(":");
                            String body = "x".repeat(Integer.parseInt(a[2]));
                            for (int i = 0; i < Integer.parseInt(a[1]); i++) {
                                s.send(i + ":" + body);
                            }
                            events.add("flooded");
                        } else {
                            s.send(m);
                        }
                    });
                    s.onBinary(s::send);
                    s.onUpgrade(t -> events.add("upgrade " + t));
                    s.onClose((r, d) -> events.add("close " + r + (d == null ? "" : " " + d)));
                });
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

    private String event() throws InterruptedException {
        String e = events.poll(20, TimeUnit.SECONDS);
        assertNotNull(e, "no server event");
        return e;
    }

    private void advance(long ms) {
        clockNs.addAndGet(ms * 1_000_000L);
        server.wakeLoops();
    }

    private static String sid(String open) {
        Matcher m = SID.matcher(open);
        assertTrue(m.find(), open);
        return m.group(1);
    }

    private String post(String sid, String payload, String... headers) throws Exception {
        try (RawClient c = new RawClient(server.port())) {
            RawClient.Response r = c.post(SSE + "&sid=" + sid, payload, headers);
            return r.status + " " + r.text();
        }
    }

    @Test
    void handshakeStreamsTheOpenPacketAsEventOne() throws Exception {
        start(b -> b.corsAnyOrigin().cookie(true));
        try (SseClient s = new SseClient(server.port(), SSE)) {
            assertEquals(200, s.status);
            assertEquals("text/event-stream", s.header("content-type"));
            assertEquals("no-cache", s.header("cache-control"));
            assertEquals("no", s.header("x-accel-buffering"));
            assertEquals("close", s.header("connection"));
            assertEquals("*", s.header("access-control-allow-origin"));
            assertNull(s.header("content-length"));
            SseClient.Event open = s.next();
            String sid = sid(open.data());
            assertEquals("io=" + sid + "; Path=/; HttpOnly; SameSite=Lax", s.header("set-cookie"));
            assertEquals(1000, s.retry);
            assertEquals(sid + ":1", open.lastEventId());
            assertEquals("0{\"sid\":\"" + sid + "\",\"upgrades\":[\"websocket\"],\"pingInterval\":100000,"
                    + "\"pingTimeout\":5000,\"maxPayload\":1000000}", open.packet());
            assertEquals("connection sse 4", event());
            assertEquals("200 ok", post(sid, "4hello"));
            SseClient.Event e = s.next();
            assertEquals(sid + ":2", e.lastEventId());
            assertEquals("4hello", e.packet());
        }
    }

    @Test
    void sseIsUnknownUnlessEnabled() throws Exception {
        start(b -> b.transports("polling", "websocket"));
        try (RawClient c = new RawClient(server.port())) {
            RawClient.Response r = c.get(SSE);
            assertEquals(400, r.status);
            assertEquals("{\"code\":0,\"message\":\"Transport unknown\"}", r.text());
            assertEquals("error 0 {\"transport\":\"sse\"}", event());
        }
    }

    @Test
    void sseIsProtocolFourOnly() throws Exception {
        start(b -> b.allowEIO3(true));
        try (RawClient c = new RawClient(server.port())) {
            RawClient.Response r = c.get("/engine.io/?EIO=3&transport=sse");
            assertEquals(400, r.status);
            assertEquals("{\"code\":5,\"message\":\"Unsupported protocol version\"}", r.text());
        }
    }

    @Test
    void everyTextRoundTripsExactlyBothWays() throws Exception {
        start(b -> { });
        try (SseClient s = new SseClient(server.port(), SSE)) {
            String sid = sid(s.packet());
            // down: the server sends every text; each arrives as one event, exactly
            assertEquals("200 ok", post(sid, "4texts"));
            for (String t : texts()) {
                assertEquals("4" + t, s.packet(), () -> "text " + escape(t));
            }
            // up and down: each text in its own POST (in a polling payload \u001e separates packets, as in polling)
            for (String t : texts()) {
                if (t.indexOf('\u001e') >= 0) {
                    continue;
                }
                assertEquals("200 ok", post(sid, "4" + t));
                assertEquals("4" + t, s.packet(), () -> "text " + escape(t));
            }
            // several packets in one POST arrive as as many events, in order
            assertEquals("200 ok", post(sid, "4a\r\n\u001e4 b\u001e4\uD83D\uDE00"));
            assertEquals("4a\r\n", s.packet());
            assertEquals("4 b", s.packet());
            assertEquals("4\uD83D\uDE00", s.packet());
        }
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        s.chars().forEach(c -> sb.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return sb.toString();
    }

    @Test
    void binaryGoesDownAsBase64() throws Exception {
        start(b -> { });
        try (SseClient s = new SseClient(server.port(), SSE)) {
            String sid = sid(s.packet());
            byte[] bytes = new byte[256];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) i;
            }
            String b64 = Base64.getEncoder().encodeToString(bytes);
            assertEquals("200 ok", post(sid, "b" + b64));
            assertEquals("b" + b64, s.packet());
        }
    }

    @Test
    void aThousandMessagesArriveInOrderAndAMegabyteWhole() throws Exception {
        start(b -> b.maxHttpBufferSize(2_000_000));
        try (SseClient s = new SseClient(server.port(), SSE)) {
            String sid = sid(s.packet());
            assertEquals("200 ok", post(sid, "4flood:1000:10"));
            for (int i = 0; i < 1000; i++) {
                assertEquals("4" + i + ":xxxxxxxxxx", s.packet());
            }
            String big = "\n\r".repeat(250_000) + "y".repeat(500_000);
            assertEquals("200 ok", post(sid, "4" + big));
            assertEquals("4" + big, s.packet());
        }
    }

    @Test
    void heartbeatPingsGoDownAndPongsComeUp() throws Exception {
        start(b -> b.pingInterval(Duration.ofSeconds(1)).pingTimeout(Duration.ofMillis(500)));
        try (SseClient s = new SseClient(server.port(), SSE)) {
            String sid = sid(s.packet());
            event();
            advance(1000);
            assertEquals("2", s.packet());
            assertEquals("200 ok", post(sid, "3"));
            advance(600);
            advance(500);
            assertEquals("2", s.packet());
            advance(600); // no pong this time
            assertEquals("close ping timeout", event());
            assertEquals("1", s.packet());
            assertTrue(s.endsWithoutEvent());
        }
    }

    @Test
    void aCutStreamResumesWithLastEventIdAndLosesNothing() throws Exception {
        start(b -> { });
        String sid;
        String last;
        try (SseClient s = new SseClient(server.port(), SSE)) {
            sid = sid(s.packet());
            assertEquals("200 ok", post(sid, "4one"));
            assertEquals("4one", s.packet());
            last = s.lastEventId;
        }
        // sent while the stream is down: they wait
        assertEquals("200 ok", post(sid, "4two"));
        assertEquals("200 ok", post(sid, "4three"));
        try (SseClient s = new SseClient(server.port(), SSE, "Last-Event-ID: " + last)) {
            assertEquals(200, s.status);
            assertEquals("4two", s.packet());
            assertEquals(sid + ":3", s.lastEventId);
            assertEquals("4three", s.packet());
            assertEquals("200 ok", post(sid, "4four"));
            assertEquals("4four", s.packet());
            last = s.lastEventId;
        }
        // a resume from an earlier id replays what the buffer holds after it, in order, once
        try (SseClient s = new SseClient(server.port(), SSE, "Last-Event-ID: " + sid + ":2")) {
            assertEquals("4two", s.packet());
            assertEquals("4three", s.packet());
            assertEquals("4four", s.packet());
            assertEquals(last, s.lastEventId);
            assertEquals("200 ok", post(sid, "4five"));
            assertEquals("4five", s.packet());
        }
        assertEquals("connection sse 4", event());
        assertNull(events.poll(), "the session lived through the cuts");
    }

    @Test
    void aStreamNotResumedWithinPingTimeoutClosesTheSession() throws Exception {
        start(b -> { });
        SseClient s = new SseClient(server.port(), SSE);
        String sid = sid(s.packet());
        event();
        s.close();
        assertEquals("200 ok", post(sid, "4queued")); // waits in the session: there is no stream
        // The server notices the cut on its own time: step the fake clock by pingTimeout until the session closes
        // (at most 9 steps, well before the next ping is due at pingInterval).
        String e = null;
        for (int i = 0; i < 9 && e == null; i++) {
            advance(5_001);
            e = events.poll(500, TimeUnit.MILLISECONDS);
        }
        assertEquals("close transport error sse stream lost", e);
    }

    @Test
    void aSecondStreamWithLastEventIdReplacesTheFirst() throws Exception {
        start(b -> { });
        try (SseClient first = new SseClient(server.port(), SSE)) {
            String sid = sid(first.packet());
            try (SseClient second = new SseClient(server.port(), SSE, "Last-Event-ID: " + sid + ":1")) {
                assertEquals(200, second.status);
                assertTrue(first.endsWithoutEvent(), "the first stream is closed");
                assertEquals("200 ok", post(sid, "4hi"));
                assertEquals("4hi", second.packet());
            }
        }
    }

    @Test
    void badStreamRequestsGetCodeThree() throws Exception {
        start(b -> b.sseReplayBufferBytes(0));
        try (SseClient s = new SseClient(server.port(), SSE)) {
            String sid = sid(s.packet());
            event();
            try (RawClient c = new RawClient(server.port())) {
                // a second stream without Last-Event-ID: refused, the session untouched
                RawClient.Response r = c.get(SSE + "&sid=" + sid);
                assertEquals(400, r.status);
                assertEquals("{\"code\":3,\"message\":\"Bad request\"}", r.text());
                // not our Last-Event-ID format, another sid than the query's, an event never sent
                r = c.get(SSE, "Last-Event-ID: 42");
                assertEquals("{\"code\":3,\"message\":\"Bad request\"}", r.text());
                r = c.get(SSE + "&sid=" + sid, "Last-Event-ID: other:1");
                assertEquals("{\"code\":3,\"message\":\"Bad request\"}", r.text());
                r = c.get(SSE, "Last-Event-ID: " + sid + ":99");
                assertEquals("{\"code\":3,\"message\":\"Bad request\"}", r.text());
                // an unknown session
                r = c.get(SSE, "Last-Event-ID: AAAAAAAAAAAAAAAAAAAA:1");
                assertEquals("{\"code\":1,\"message\":\"Session ID unknown\"}", r.text());
                assertEquals("error 1 {\"sid\":\"AAAAAAAAAAAAAAAAAAAA\"}", event());
                r = c.post(SSE + "&sid=AAAAAAAAAAAAAAAAAAAA", "4x");
                assertEquals("{\"code\":1,\"message\":\"Session ID unknown\"}", r.text());
                assertEquals("error 1 {\"sid\":\"AAAAAAAAAAAAAAAAAAAA\"}", event());
            }
            assertNull(events.poll(), "the session lives");
            assertEquals("200 ok", post(sid, "4still"));
            assertEquals("4still", s.packet());
            // a resume past the replay buffer (0 bytes here): refused, and the session closes
            try (RawClient c = new RawClient(server.port())) {
                RawClient.Response r = c.get(SSE, "Last-Event-ID: " + sid + ":1");
                assertEquals("{\"code\":3,\"message\":\"Bad request\"}", r.text());
            }
            assertEquals("close transport error sse resume past the replay buffer", event());
        }
    }

    @Test
    void postsAreAnsweredAsPollingPosts() throws Exception {
        start(b -> b.maxHttpBufferSize(100));
        try (SseClient s = new SseClient(server.port(), SSE)) {
            String sid = sid(s.packet());
            event();
            assertEquals("413 ", post(sid, "4" + "x".repeat(100)));
            assertEquals("200 ok", post(sid, "4" + "x".repeat(99)));
            assertEquals("4" + "x".repeat(99), s.packet());
            assertEquals("400 ", post(sid, "4x", "Content-Type: application/octet-stream"));
            assertEquals("close transport error invalid content", event());
        }
    }

    @Test
    void theClientsCloseEndsTheStream() throws Exception {
        start(b -> { });
        try (SseClient s = new SseClient(server.port(), SSE)) {
            String sid = sid(s.packet());
            event();
            assertEquals("200 ok", post(sid, "1"));
            assertEquals("close transport close", event());
            assertTrue(s.endsWithoutEvent());
        }
    }

    @Test
    void theServersCloseSendsOneAndEndsTheStream() throws Exception {
        start(b -> { });
        try (SseClient s = new SseClient(server.port(), SSE)) {
            String sid = sid(s.packet());
            event();
            assertEquals("200 ok", post(sid, "4close-me"));
            assertEquals("1", s.packet());
            assertTrue(s.endsWithoutEvent());
            assertEquals("close forced close", event());
        }
    }

    @Test
    void upgradeToWebSocketLosesNothingAndRepeatsNothing() throws Exception {
        start(b -> { });
        try (SseClient s = new SseClient(server.port(), SSE); RawClient ws = new RawClient(server.port())) {
            String sid = sid(s.packet());
            event();
            assertEquals("200 ok", post(sid, "4before"));
            assertEquals("4before", s.packet());
            assertEquals(101, ws.upgrade("/engine.io/?EIO=4&transport=websocket&sid=" + sid).status);
            ws.sendText("2probe");
            assertEquals("3probe", ws.readFrame().text());
            assertEquals("6", s.packet()); // the stream's last event while paused
            // sent while paused: they wait for the WebSocket
            assertEquals("200 ok", post(sid, "4during-1"));
            assertEquals("200 ok", post(sid, "4during-2"));
            ws.sendText("5");
            assertEquals("upgrade websocket", event());
            assertEquals("4during-1", ws.readFrame().text());
            assertEquals("4during-2", ws.readFrame().text());
            assertTrue(s.endsWithoutEvent(), "the stream ended");
            ws.sendText("4after");
            assertEquals("4after", ws.readFrame().text());
            // the old stream cannot come back
            try (RawClient c = new RawClient(server.port())) {
                RawClient.Response r = c.get(SSE, "Last-Event-ID: " + sid + ":3");
                assertEquals(400, r.status);
                assertEquals("{\"code\":3,\"message\":\"Bad request\"}", r.text());
            }
        }
    }

    @Test
    void aFailedProbeResumesTheStream() throws Exception {
        start(b -> b.upgradeTimeout(Duration.ofSeconds(1)));
        try (SseClient s = new SseClient(server.port(), SSE); RawClient ws = new RawClient(server.port())) {
            String sid = sid(s.packet());
            event();
            assertEquals(101, ws.upgrade("/engine.io/?EIO=4&transport=websocket&sid=" + sid).status);
            ws.sendText("2probe");
            assertEquals("3probe", ws.readFrame().text());
            assertEquals("6", s.packet());
            assertEquals("200 ok", post(sid, "4waiting"));
            advance(1001); // no 5: the probe is closed, the stream takes over again
            assertEquals("4waiting", s.packet());
        }
    }

    @Test
    void aClientThatNeverReadsIsClosedOncePingTimeoutPasses() throws Exception {
        start(b -> { });
        try (SseClient s = new SseClient(server.port(), SSE)) {
            String sid = sid(s.packet());
            event();
            // 10 MB in one loop pass: far above the connection's high-water mark, below its hard limit
            assertEquals("200 ok", post(sid, "4flood:100:100000"));
            assertEquals("flooded", event());
            assertEquals("200 ok", post(sid, "4more")); // waits in the session: the stream takes no more
            advance(5_001);
            assertEquals("close transport error sse stream stalled", event());
        }
    }

    @Test
    void aPacketBiggerThanTheReplayBufferIsNotKept() throws Exception {
        start(b -> b.sseReplayBufferBytes(1000));
        String sid;
        try (SseClient s = new SseClient(server.port(), SSE)) {
            sid = sid(s.packet());
            assertEquals("200 ok", post(sid, "4" + "z".repeat(2000)));
            assertEquals("4" + "z".repeat(2000), s.packet());
            assertEquals("200 ok", post(sid, "4small"));
            assertEquals("4small", s.packet());
        }
        try (SseClient s = new SseClient(server.port(), SSE, "Last-Event-ID: " + sid + ":2")) {
            assertEquals(200, s.status);
            assertEquals("4small", s.packet());
        }
        try (RawClient c = new RawClient(server.port())) {
            assertEquals(400, c.get(SSE, "Last-Event-ID: " + sid + ":1").status);
        }
        event();
        assertEquals("close transport error sse resume past the replay buffer", event());
    }

    @Test
    void theReplayBufferOptionIsBoundedAtBothEnds() {
        EngineServer.builder().sseReplayBufferBytes(0).sseReplayBufferBytes(64 << 20);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> EngineServer.builder().sseReplayBufferBytes(-1));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> EngineServer.builder().sseReplayBufferBytes((64 << 20) + 1));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> EngineServer.builder().transports("sse", "webtransport"));
    }

    @Test
    void allowRequestVetsTheHandshakeButNotAResume() throws Exception {
        start(b -> b.allowRequest(req -> req.query().contains("deny") ? "no streams here" : null));
        try (RawClient c = new RawClient(server.port())) {
            RawClient.Response r = c.get(SSE + "&deny=1");
            assertEquals(403, r.status);
            assertEquals("{\"code\":4,\"message\":\"no streams here\"}", r.text());
            assertEquals("error 4 {\"message\":\"no streams here\"}", event());
        }
        try (SseClient s = new SseClient(server.port(), SSE)) {
            String sid = sid(s.packet());
            event();
            try (SseClient resumed = new SseClient(server.port(), SSE + "&deny=1", "Last-Event-ID: " + sid + ":1")) {
                assertEquals(200, resumed.status);
                assertEquals("200 ok", post(sid, "4through"));
                assertEquals("4through", resumed.packet());
            }
        }
    }

    @Test
    void aSecondPostWhileOneIsInFlightClosesTheSessionAsPolling() throws Exception {
        start(b -> { });
        try (SseClient s = new SseClient(server.port(), SSE); RawClient first = new RawClient(server.port())) {
            String sid = sid(s.packet());
            event();
            // the first POST's head only; 100 Continue says the server holds it and waits for its body
            first.send("POST " + SSE + "&sid=" + sid + " HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n"
                    + "Expect: 100-continue\r\n\r\n");
            assertEquals("HTTP/1.1 100 Continue", first.readLine());
            assertEquals("400 ", post(sid, "4second"));
            assertEquals("close transport error data request overlap from client", event());
        }
    }

    @Test
    void aPostsAckReleasesTheReplayBufferUpToIt() throws Exception {
        start(b -> { });
        String sid;
        try (SseClient s = new SseClient(server.port(), SSE)) {
            sid = sid(s.packet());
            assertEquals("200 ok", post(sid, "4a"));
            assertEquals("4a", s.packet());
            assertEquals("200 ok", post(sid, "4b"));
            assertEquals("4b", s.packet());
            try (RawClient c = new RawClient(server.port())) {
                assertEquals(200, c.post(SSE + "&sid=" + sid + "&ack=x1", "4ignored").status); // not a number
                assertEquals(200, c.post(SSE + "&sid=" + sid + "&ack=3", "4c").status); // event 3 was "4b"
            }
            assertEquals("4ignored", s.packet());
            assertEquals("4c", s.packet());
        }
        // the client said it had event 3: a resume after it works, one before it cannot be served
        try (SseClient s = new SseClient(server.port(), SSE, "Last-Event-ID: " + sid + ":3")) {
            assertEquals("4ignored", s.packet());
            assertEquals("4c", s.packet());
        }
        try (RawClient c = new RawClient(server.port())) {
            assertEquals(400, c.get(SSE, "Last-Event-ID: " + sid + ":2").status);
        }
        event();
        assertEquals("close transport error sse resume past the replay buffer", event());
    }
}
