package dev.engineionio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code generateId}: a user generator names the sessions; an unusable id (a throw, null, unsafe characters, too long,
 * the id of an open session) refuses that handshake with code 3, as the reference's {@code ID_GENERATION_ERROR}, and
 * leaves the other sessions alone.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GenerateIdTest {

    private static final String BAD_REQUEST = "{\"code\":3,\"message\":\"Bad request\"}";

    private EngineServer server;

    @RegisterExtension
    final LogCapture logs = new LogCapture();

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Ids handed out in order by one loop; the last one repeats. */
    private static Supplier<String> ids(String... values) {
        Deque<String> queue = new ArrayDeque<>(List.of(values));
        return () -> {
            String v = queue.size() > 1 ? queue.poll() : queue.peek();
            if ("THROW".equals(v)) {
                throw new IllegalStateException("generator failed");
            }
            return "NULL".equals(v) ? null : v;
        };
    }

    private void start(Supplier<String> generator) throws Exception {
        server = EngineServer.builder().listen("127.0.0.1", 0).eventLoops(1).generateId(generator).build().start();
    }

    private RawClient.Response handshake(RawClient c) throws Exception {
        return c.get("/engine.io/?EIO=4&transport=polling");
    }

    @Test
    void theGeneratorNamesTheSessions() throws Exception {
        start(ids("custom-1", "custom.2~"));
        try (RawClient c = new RawClient(server.port())) {
            assertTrue(handshake(c).text().startsWith("0{\"sid\":\"custom-1\""));
            assertTrue(handshake(c).text().startsWith("0{\"sid\":\"custom.2~\""));
            assertEquals("ok", c.post("/engine.io/?EIO=4&transport=polling&sid=custom-1", "4hi").text());
            assertEquals(2, server.clientsCount());
        }
    }

    @Test
    void anIdInUseIsRefusedAndTheOpenSessionKept() throws Exception {
        start(ids("same"));
        try (RawClient c = new RawClient(server.port())) {
            assertTrue(handshake(c).text().startsWith("0{\"sid\":\"same\""));
            RawClient.Response second = handshake(c);
            assertEquals(400, second.status);
            assertEquals(BAD_REQUEST, second.text());
            assertEquals("unusable session id from the generator: same (in use)",
                    logs.expect(System.Logger.Level.WARNING, "session id generation failed").getThrown().getMessage());
            assertEquals(1, server.clientsCount());
            assertEquals("ok", c.post("/engine.io/?EIO=4&transport=polling&sid=same", "4still here").text());
        }
    }

    @Test
    void unusableIdsAreRefusedWithCodeThree() throws Exception {
        String tooLong = "a".repeat(129);
        start(ids("THROW", "NULL", "", "has space", "quote\"", "semi;colon", tooLong, "a".repeat(128)));
        String[] causes = {"generator failed", "unusable session id from the generator: null",
            "unusable session id from the generator: ", "unusable session id from the generator: has space",
            "unusable session id from the generator: quote\"", "unusable session id from the generator: semi;colon",
            "unusable session id from the generator: " + "a".repeat(40) + "..."};
        try (RawClient c = new RawClient(server.port())) {
            for (int i = 0; i < 7; i++) {
                RawClient.Response r = handshake(c);
                assertEquals(400, r.status, "case " + i);
                assertEquals(BAD_REQUEST, r.text(), "case " + i);
                LogRecord warning = logs.expect(System.Logger.Level.WARNING, "session id generation failed");
                assertEquals(causes[i], warning.getThrown().getMessage(), "case " + i);
            }
            assertEquals(0, server.clientsCount());
            assertTrue(handshake(c).text().startsWith("0{\"sid\":\"" + "a".repeat(128) + "\""), "128 is the limit");
        }
    }
}
