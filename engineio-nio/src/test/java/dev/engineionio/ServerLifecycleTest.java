package dev.engineionio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.LogRecord;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Close paths of the server: WebSocket close timeout, bytes right behind an upgrade request, destroyUpgrade, a
 * throwing listener, and server shutdown with a held poll. Fake clock; waits are failure guards only.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ServerLifecycleTest {

    private final AtomicLong clockNs = new AtomicLong(5_000_000_000_000L);
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private EngineServer server;

    @RegisterExtension
    final LogCapture logs = new LogCapture();

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private void advance(long ms) {
        clockNs.addAndGet(ms * 1_000_000L);
        server.wakeLoops();
    }

    private String event() throws InterruptedException {
        String e = events.poll(20, TimeUnit.SECONDS);
        assertNotNull(e, "no event");
        return e;
    }

    private EngineServer.Builder builder() {
        return EngineServer.builder().listen("127.0.0.1", 0).eventLoops(2).clock(clockNs::get)
                .webSocket("/ws", new WebSocketHandler() {
                    @Override
                    public void onText(WebSocketSession session, String text) {
                        if (text.equals("flood")) {
                            String chunk = "x".repeat(1000);
                            int n = 0;
                            while (session.isWritable() && n < 100_000) {
                                session.sendText(chunk);
                                n++;
                            }
                            events.add("paused " + n);
                        } else if (text.equals("close")) {
                            session.close(1000, "server");
                        } else {
                            session.sendText(text);
                        }
                    }

                    @Override
                    public void onWritable(WebSocketSession session) {
                        session.sendText("done");
                    }

                    @Override
                    public void onClose(WebSocketSession session, int code, String reason) {
                        events.add("ws close " + code);
                    }
                })
                .onConnection(s -> {
                    s.onMessage(m -> {
                        if (m.equals("throw")) {
                            throw new IllegalStateException("listener failure (test)");
                        }
                        s.send(m);
                    });
                    s.onClose((r, d) -> events.add("close " + r));
                });
    }

    @Test
    void webSocketCloseTimesOutWhenThePeerNeverAnswers() throws Exception {
        server = builder().build().start();
        try (RawClient c = new RawClient(server.port())) {
            assertEquals(101, c.upgrade("/ws").status);
            c.sendText("close");
            RawClient.Frame f = c.readFrame();
            assertEquals(0x8, f.opcode());
            assertEquals(1000, f.closeCode());
            // no answer from us: after the close timeout (5 s) the server cuts the connection
            c.socket.setSoTimeout(200);
            boolean closed = false;
            for (int i = 0; i < 100 && !closed; i++) {
                advance(1000);
                try {
                    closed = c.socket.getInputStream().read() < 0;
                } catch (java.net.SocketTimeoutException e) {
                    // not yet
                } catch (java.net.SocketException reset) {
                    closed = true;
                }
            }
            assertTrue(closed);
            assertEquals("ws close 1006", event());
        }
    }

    @Test
    void rawWebSocketBackpressure() throws Exception {
        server = builder().build().start();
        try (RawClient c = new RawClient(server.port())) {
            assertEquals(101, c.upgrade("/ws").status);
            c.sendText("flood");
            String paused = event();
            int n = Integer.parseInt(paused.substring("paused ".length()));
            assertTrue(n > 0 && n < 100_000, paused);
            for (int i = 0; i < n; i++) {
                assertEquals(1000, c.readFrame().payload().length);
            }
            assertEquals("done", c.readFrame().text());
        }
    }

    @Test
    void framesRightBehindTheUpgradeRequestAreRead() throws Exception {
        server = builder().build().start();
        try (RawClient c = new RawClient(server.port())) {
            // request and first frame in one segment
            byte[] req = RawClient.request("GET", "/ws", null, "Upgrade: websocket", "Connection: Upgrade",
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13")
                    .getBytes(StandardCharsets.US_ASCII);
            byte[] frame = {(byte) 0x81, (byte) 0x82, 0, 0, 0, 0, 'h', 'i'}; // masked with a zero key
            byte[] both = new byte[req.length + frame.length];
            System.arraycopy(req, 0, both, 0, req.length);
            System.arraycopy(frame, 0, both, req.length, frame.length);
            c.send(both);
            assertEquals(101, c.readHead().status);
            assertEquals("hi", c.readFrame().text());
        }
    }

    @Test
    void unclaimedUpgradeIsDestroyedAfterTheTimeout() throws Exception {
        server = builder().build().start();
        try (RawClient c = new RawClient(server.port())) {
            c.send(RawClient.request("GET", "/nothere", null, "Upgrade: websocket", "Connection: Upgrade",
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13"));
            c.socket.setSoTimeout(200);
            boolean closed = false;
            for (int i = 0; i < 100 && !closed; i++) {
                advance(500);
                try {
                    closed = c.socket.getInputStream().read() < 0;
                } catch (java.net.SocketTimeoutException e) {
                    // not yet
                } catch (java.net.SocketException reset) {
                    closed = true;
                }
            }
            assertTrue(closed, "nothing written, then closed");
        }
    }

    @Test
    void unclaimedUpgradeGoesToTheHttpHandlerWhenDestroyUpgradeIsOff() throws Exception {
        server = builder()
                .destroyUpgrade(false)
                .httpHandler((req, res) -> res.status(200).send("plain " + req.path()))
                .build().start();
        try (RawClient c = new RawClient(server.port())) {
            c.send(RawClient.request("GET", "/nothere", null, "Upgrade: websocket", "Connection: Upgrade",
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13"));
            RawClient.Response r = c.read();
            assertEquals(200, r.status);
            assertEquals("plain /nothere", r.text());
            assertEquals(-1, c.socket.getInputStream().read(), "closed after the answer");
        }
    }

    @Test
    void aThrowingListenerClosesOnlyItsSession() throws Exception {
        server = builder().build().start();
        try (RawClient a = new RawClient(server.port()); RawClient b = new RawClient(server.port())) {
            String sa = sid(a.get("/engine.io/?EIO=4&transport=polling"));
            String sb = sid(b.get("/engine.io/?EIO=4&transport=polling"));
            String qa = "/engine.io/?EIO=4&transport=polling&sid=" + sa;
            String qb = "/engine.io/?EIO=4&transport=polling&sid=" + sb;
            assertEquals("ok", a.post(qa, "4throw").text());
            LogRecord warning = logs.expect(System.Logger.Level.WARNING,
                    "EngineSocket onMessage listener threw; closing session " + sa);
            assertEquals("listener failure (test)", warning.getThrown().getMessage());
            // closed as by socket.close(): the next GET carries the close packet
            assertEquals("6\u001e1", a.get(qa).text());
            assertEquals("close forced close", event());
            assertEquals("ok", b.post(qb, "4still here").text());
            assertEquals("4still here", b.get(qb).text());
        }
    }

    @Test
    void shutdownAnswersAHeldPollWithTheClosePacket() throws Exception {
        server = builder().build().start();
        try (RawClient a = new RawClient(server.port())) {
            String sid = sid(a.get("/engine.io/?EIO=4&transport=polling"));
            String q = "/engine.io/?EIO=4&transport=polling&sid=" + sid;
            // make sure the GET is held: a message posted after it comes back in its answer
            a.send(RawClient.request("GET", q, null));
            try (RawClient p = new RawClient(server.port())) {
                assertEquals("ok", p.post(q, "4x").text());
            }
            assertEquals("4x", a.read().text());
            a.send(RawClient.request("GET", q, null));
            Thread closer = new Thread(server::close);
            closer.start();
            // Two legal orders, and no sleep to force one: if the GET is held when the shutdown reaches the loop, it
            // is answered with a close packet; if the shutdown wins, the unread GET gets no answer and the connection
            // is closed gracefully. (The held-GET answer itself is pinned down on a fake clock in session.CloseTest.)
            RawClient.Response r = a.readOrEof();
            if (r != null) {
                assertTrue(r.text().equals("1") || r.text().equals("6"), r.text());
            }
            assertEquals("close forced close", event());
            a.close(); // the lingering close of the server waits for our EOF
            closer.join(20_000);
        }
    }

    private static String sid(RawClient.Response r) {
        Matcher m = Pattern.compile("\"sid\":\"([^\"]+)\"").matcher(r.text());
        assertTrue(m.find(), r.text());
        return m.group(1);
    }
}
