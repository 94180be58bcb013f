package dev.engineionio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link EngineSocket#onText} and {@link EngineSocket#send(CharSequence)}: text messages as a view the loop reuses
 * (no {@code String}) and sent back by copy, over WebSocket (many messages per read, multi-byte and astral text, an
 * empty one, one larger than the view's first array) and polling, beside {@code onMessage} listeners, and from
 * another thread.
 */
class EngineTextViewTest {

    private static final Pattern SID = Pattern.compile("\"sid\":\"([A-Za-z0-9_-]{20})\"");

    private EngineServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static byte[] frame(String text) {
        return RawClient.maskedFrame(1, true, text.getBytes(StandardCharsets.UTF_8),
                new byte[] {0x11, 0x22, 0x33, 0x44});
    }

    @Test
    void viewEchoOverWebSocketKeepsEveryMessageIntactAndInOrder() throws Exception {
        BlockingQueue<String> kinds = new LinkedBlockingQueue<>();
        server = EngineServer.builder().listen("127.0.0.1", 0).eventLoops(1)
                .pingInterval(Duration.ofMinutes(1)).pingTimeout(Duration.ofMinutes(1))
                .onConnection(s -> s.onText(t -> {
                    kinds.add(t instanceof String ? "string" : "view");
                    s.send(t);
                }))
                .build().start();
        List<String> texts = new ArrayList<>(List.of("hello", "", "é€😀 mixed ✓", "x".repeat(300), "a😀".repeat(5000)));
        for (int i = 0; i < 40; i++) {
            texts.add("m" + i + "é");
        }
        try (RawClient c = new RawClient(server.port())) {
            assertEquals(101, c.upgrade("/engine.io/?EIO=4&transport=websocket").status);
            assertEquals('0', (char) c.readFrame().payload()[0]);
            ByteArrayOutputStream batch = new ByteArrayOutputStream();
            for (String t : texts) {
                batch.write(frame("4" + t));
            }
            c.send(batch.toByteArray()); // many messages per read: the view is re-pointed, the copies must not be
            for (String t : texts) {
                RawClient.Frame f = c.readFrame();
                assertEquals(1, f.opcode());
                assertEquals("4" + t, new String(f.payload(), StandardCharsets.UTF_8));
            }
        }
        for (int i = 0; i < texts.size(); i++) {
            assertEquals("view", kinds.poll(20, TimeUnit.SECONDS), "message " + i + " was a reused view");
        }
    }

    @Test
    void withAnOnMessageListenerBothGetTheTextAndTextListenersRunFirst() throws Exception {
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        server = EngineServer.builder().listen("127.0.0.1", 0).eventLoops(1)
                .pingInterval(Duration.ofMinutes(1)).pingTimeout(Duration.ofMinutes(1))
                .onConnection(s -> s
                        .onMessage(m -> events.add("message " + m))
                        .onText(t -> events.add("text " + t + (t instanceof String ? " (String)" : " (view)"))))
                .build().start();
        try (RawClient c = new RawClient(server.port())) {
            assertEquals(101, c.upgrade("/engine.io/?EIO=4&transport=websocket").status);
            c.readFrame();
            c.send(frame("4é😀"));
            assertEquals("text é😀 (String)", next(events), "the String is made anyway: the view is that String");
            assertEquals("message é😀", next(events));
        }
    }

    @Test
    void viewEchoOverPollingAndSendsFromAnotherThread() throws Exception {
        BlockingQueue<EngineSocket> sockets = new LinkedBlockingQueue<>();
        server = EngineServer.builder().listen("127.0.0.1", 0).eventLoops(1)
                .pingInterval(Duration.ofMinutes(1)).pingTimeout(Duration.ofMinutes(1))
                .onConnection(s -> {
                    s.onText(s::send);
                    sockets.add(s);
                })
                .build().start();
        try (RawClient c = new RawClient(server.port())) {
            RawClient.Response open = c.get("/engine.io/?EIO=4&transport=polling");
            Matcher m = SID.matcher(open.text());
            assertTrue(m.find(), open.text());
            String q = "/engine.io/?EIO=4&transport=polling&sid=" + m.group(1);
            assertEquals("ok", c.post(q, "4one\u001e4twö😀").text());
            assertEquals("4one\u001e4twö😀", c.get(q).text());
            StringBuilder fromElsewhere = new StringBuilder("built ");
            EngineSocket socket = sockets.poll(20, TimeUnit.SECONDS);
            assertNotNull(socket);
            socket.send(fromElsewhere.append("elsewhere")); // this thread is not the loop: copied before it returns
            fromElsewhere.setLength(0);
            fromElsewhere.append("changed afterwards");
            // the GET is answered when the queued send reaches the loop, before or after the GET arrives
            assertEquals("4built elsewhere", c.get(q).text());
            assertFalse(socket.toString().isEmpty());
        }
    }

    private static String next(BlockingQueue<String> q) throws InterruptedException {
        String e = q.poll(20, TimeUnit.SECONDS);
        assertNotNull(e, "no event");
        return e;
    }
}
