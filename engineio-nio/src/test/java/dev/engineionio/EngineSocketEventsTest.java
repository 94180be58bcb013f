package dev.engineionio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The socket events beyond message and close, over raw loopback sockets: {@code packet} (every packet received on the
 * session's transport, with its data), {@code flush} (the number of packets handed to the transport) and
 * {@code upgrading} (the probe answered). Time is a fake clock: nothing here waits for a timer.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EngineSocketEventsTest {

    private static final Pattern SID = Pattern.compile("\"sid\":\"([A-Za-z0-9_-]{20})\"");

    private final AtomicLong clockNs = new AtomicLong(1_000_000_000_000L);
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

    private void start() throws Exception {
        server = EngineServer.builder().listen("127.0.0.1", 0).eventLoops(1).clock(clockNs::get)
                .onConnection(s -> s
                        .onPacket((type, data) -> events.add("packet " + type + " " + describe(data)))
                        .onFlush(n -> events.add("flush " + n))
                        .onUpgrading(t -> events.add("upgrading " + t))
                        .onUpgrade(t -> events.add("upgrade " + t))
                        .onMessage(s::send))
                .build().start();
    }

    private static String describe(Object data) {
        if (data == null) {
            return "null";
        }
        if (data instanceof byte[] b) {
            StringBuilder sb = new StringBuilder("bytes");
            for (byte x : b) {
                sb.append(' ').append(x);
            }
            return sb.toString();
        }
        return "text " + data;
    }

    private String event() throws InterruptedException {
        String e = events.poll(20, TimeUnit.SECONDS);
        assertNotNull(e, "no server event");
        return e;
    }

    @Test
    void packetEventsCarryEachReceivedPacketWithItsData() throws Exception {
        start();
        try (RawClient c = new RawClient(server.port())) {
            RawClient.Response open = c.get("/engine.io/?EIO=4&transport=polling");
            Matcher m = SID.matcher(open.text());
            assertTrue(m.find(), open.text());
            assertEquals("flush 1", event(), "the open packet is flushed to the handshake GET");
            String q = "/engine.io/?EIO=4&transport=polling&sid=" + m.group(1);
            // a text message, a binary message (base64), a noop and an empty message in one payload, in order
            assertEquals("ok", c.post(q, "4hello\u001ebAQID\u001e6\u001e4").text());
            assertEquals("packet message text hello", event());
            assertEquals("packet message bytes 1 2 3", event());
            assertEquals("packet noop null", event());
            assertEquals("packet message null", event());
            // the echoes of "hello" and "" wait in the write buffer: the next GET flushes both
            assertEquals("4hello\u001e4", c.get(q).text());
            assertEquals("flush 2", event());
        }
    }

    @Test
    void upgradingFiresWhenTheProbeIsAnsweredAndUpgradeWhenTheClientSwitches() throws Exception {
        start();
        try (RawClient poll = new RawClient(server.port()); RawClient ws = new RawClient(server.port())) {
            RawClient.Response open = poll.get("/engine.io/?EIO=4&transport=polling");
            Matcher m = SID.matcher(open.text());
            assertTrue(m.find(), open.text());
            assertEquals("flush 1", event());
            String sid = m.group(1);
            assertEquals(101, ws.upgrade("/engine.io/?EIO=4&transport=websocket&sid=" + sid).status);
            ws.sendText("2probe");
            assertEquals("3probe", ws.readFrame().text());
            assertEquals("upgrading websocket", event());
            ws.sendText("5");
            assertEquals("upgrade websocket", event());
            // on the new transport every packet is a packet event again
            ws.sendText("4over websocket");
            assertEquals("packet message text over websocket", event());
            assertEquals("4over websocket", ws.readFrame().text());
            assertEquals("flush 1", event());
            ws.sendFrame(0x2, true, new byte[] {9, 8});
            assertEquals("packet message bytes 9 8", event());
        }
    }

    @Test
    void severalListenersOfOneEventRunInRegistrationOrderAndAThrowingOneStopsTheRestAndClosesTheSession()
            throws Exception {
        server = EngineServer.builder().listen("127.0.0.1", 0).eventLoops(1).clock(clockNs::get)
                .onConnection(s -> s
                        .onMessage(t -> events.add("first " + t))
                        .onMessage(t -> events.add("second " + t))
                        .onMessage(t -> {
                            events.add("third " + t);
                            if (t.equals("boom")) {
                                throw new IllegalStateException("listener failure (expected by the test)");
                            }
                        })
                        .onMessage(t -> events.add("fourth " + t))
                        .onBinary(b -> {
                            b[0] = 42; // each listener gets its own copy
                            events.add("bin1 " + b.length);
                        })
                        .onBinary(b -> events.add("bin2 " + b[0]))
                        .onClose((reason, description) -> events.add("close1 " + reason))
                        .onClose((reason, description) -> events.add("close2 " + reason)))
                .build().start();
        try (RawClient c = new RawClient(server.port())) {
            RawClient.Response open = c.get("/engine.io/?EIO=4&transport=polling");
            Matcher m = SID.matcher(open.text());
            assertTrue(m.find(), open.text());
            String q = "/engine.io/?EIO=4&transport=polling&sid=" + m.group(1);
            assertEquals("ok", c.post(q, "4hi\u001ebBw==").text());
            assertEquals("first hi", event());
            assertEquals("second hi", event());
            assertEquals("third hi", event());
            assertEquals("fourth hi", event());
            assertEquals("bin1 1", event());
            assertEquals("bin2 7", event());
            assertEquals("ok", c.post(q, "4boom").text());
            assertEquals("first boom", event());
            assertEquals("second boom", event());
            assertEquals("third boom", event());
            assertEquals("listener failure (expected by the test)", logs.expect(System.Logger.Level.WARNING,
                    "EngineSocket onMessage listener threw; closing session " + m.group(1)).getThrown().getMessage());
            // the session closes: a polling client learns it from its next GET
            assertTrue(c.get(q).text().endsWith("1"));
            assertEquals("close1 forced close", event(), "the fourth listener is not called");
            assertEquals("close2 forced close", event());
        }
    }

    @Test
    void severalListenersOfEachOtherEventRunInRegistrationOrderEachWithItsOwnBytes() throws Exception {
        server = EngineServer.builder().listen("127.0.0.1", 0).eventLoops(1).clock(clockNs::get)
                .onConnection(s -> s
                        .onText(t -> events.add("text1 " + t))
                        .onText(t -> events.add("text2 " + t))
                        .onPacket((type, data) -> {
                            if (data instanceof byte[] b) {
                                b[0] = 42; // each listener gets its own copy
                            }
                            events.add("packet1 " + type + " " + describe(data));
                        })
                        .onPacket((type, data) -> events.add("packet2 " + type + " " + describe(data)))
                        .onHeartbeat(() -> events.add("heartbeat1"))
                        .onHeartbeat(() -> events.add("heartbeat2"))
                        .onFlush(n -> events.add("flush1 " + n))
                        .onFlush(n -> events.add("flush2 " + n))
                        .onDrain(() -> events.add("drain1"))
                        .onDrain(() -> events.add("drain2")))
                .build().start();
        try (RawClient c = new RawClient(server.port())) {
            RawClient.Response open = c.get("/engine.io/?EIO=4&transport=polling");
            Matcher m = SID.matcher(open.text());
            assertTrue(m.find(), open.text());
            assertEquals("flush1 1", event());
            assertEquals("flush2 1", event());
            assertEquals("drain1", event());
            assertEquals("drain2", event());
            String q = "/engine.io/?EIO=4&transport=polling&sid=" + m.group(1);
            assertEquals("ok", c.post(q, "4hi\u001ebBw==\u001e3").text());
            assertEquals("packet1 message text hi", event());
            assertEquals("packet2 message text hi", event());
            assertEquals("text1 hi", event());
            assertEquals("text2 hi", event());
            assertEquals("packet1 message bytes 42", event());
            assertEquals("packet2 message bytes 7", event());
            assertEquals("packet1 pong null", event());
            assertEquals("packet2 pong null", event());
            assertEquals("heartbeat1", event());
            assertEquals("heartbeat2", event());
        }
    }

    @Test
    void aThrowingCloseListenerIsLoggedAndTheLaterOnesStillRun() throws Exception {
        server = EngineServer.builder().listen("127.0.0.1", 0).eventLoops(1).clock(clockNs::get)
                .onConnection(s -> s
                        .onClose((reason, description) -> events.add("close1 " + reason))
                        .onClose((reason, description) -> {
                            events.add("close2 " + reason);
                            throw new IllegalStateException("close listener failure (expected by the test)");
                        })
                        .onClose((reason, description) -> {
                            events.add("close3 " + reason);
                            throw new IllegalStateException("last close listener failure (expected by the test)");
                        })
                        .onClose((reason, description) -> events.add("close4 " + reason)))
                .build().start();
        try (RawClient c = new RawClient(server.port())) {
            RawClient.Response open = c.get("/engine.io/?EIO=4&transport=polling");
            Matcher m = SID.matcher(open.text());
            assertTrue(m.find(), open.text());
            assertEquals("ok", c.post("/engine.io/?EIO=4&transport=polling&sid=" + m.group(1), "1").text());
            assertEquals("close1 transport close", event());
            assertEquals("close2 transport close", event());
            assertEquals("close3 transport close", event());
            assertEquals("close4 transport close", event());
            assertEquals("close listener failure (expected by the test)",
                    logs.expect(System.Logger.Level.WARNING, "EngineSocket close listener threw").getThrown().getMessage());
            assertEquals("last close listener failure (expected by the test)",
                    logs.expect(System.Logger.Level.WARNING, "EngineSocket close listener threw").getThrown().getMessage());
        }
    }
}
