package dev.engineionio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link EngineSocket#execute}, {@link EngineSocket#schedule} and {@link EngineSocket#handshakeUrl}: tasks run on the
 * session's loop, a scheduled task runs once the (fake) clock has passed its delay and not before, a cancelled one
 * never runs. Nothing here waits for a timer.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EngineSocketTasksTest {

    private final AtomicLong clockNs = new AtomicLong(1_000_000_000_000L);
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final CompletableFuture<EngineSocket> socket = new CompletableFuture<>();
    private EngineServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private String event() throws InterruptedException {
        String e = events.poll(20, TimeUnit.SECONDS);
        assertNotNull(e, "no event");
        return e;
    }

    private static boolean onLoop() {
        return Thread.currentThread().getName().startsWith("engineio-loop-");
    }

    @Test
    void tasksRunOnTheLoopAndTimersFollowTheClock() throws Exception {
        server = EngineServer.builder().listen("127.0.0.1", 0).eventLoops(1).clock(clockNs::get)
                .pingInterval(1_000_000).pingTimeout(1_000_000)
                .onConnection(socket::complete).build().start();
        try (RawClient c = new RawClient(server.port())) {
            assertEquals(200, c.get("/engine.io/?EIO=4&transport=polling&x=%C3%A9").status);
            EngineSocket s = socket.get(20, TimeUnit.SECONDS);
            assertEquals("/engine.io/?EIO=4&transport=polling&x=%C3%A9", s.handshakeUrl());

            s.execute(() -> events.add("execute on loop " + onLoop()));
            assertEquals("execute on loop true", event());

            EngineSocket.Timer cancelled = s.schedule(500, () -> events.add("cancelled ran"));
            EngineSocket.Timer later = s.schedule(1000, () -> events.add("later on loop " + onLoop()));
            s.schedule(500, () -> events.add("sooner"));
            assertTrue(cancelled.cancel());
            assertFalse(cancelled.cancel());
            // a marker through the loop's queue: every schedule above has reached the wheel
            s.execute(() -> events.add("armed"));
            assertEquals("armed", event());

            clockNs.addAndGet(600_000_000L);
            server.wakeLoops();
            assertEquals("sooner", event());
            s.execute(() -> events.add("after 600 ms"));
            assertEquals("after 600 ms", event()); // "later" has not run

            clockNs.addAndGet(500_000_000L);
            server.wakeLoops();
            assertEquals("later on loop true", event());
            assertFalse(later.cancel());
            s.execute(() -> events.add("end"));
            assertEquals("end", event()); // the cancelled task never ran
        }
    }
}
