package dev.engineionio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
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
                .pingInterval(Duration.ofSeconds(1000)).pingTimeout(Duration.ofSeconds(1000))
                .onConnection(socket::complete).build().start();
        try (RawClient c = new RawClient(server.port())) {
            assertEquals(200, c.get("/engine.io/?EIO=4&transport=polling&x=%C3%A9").status);
            EngineSocket s = socket.get(20, TimeUnit.SECONDS);
            assertEquals("/engine.io/?EIO=4&transport=polling&x=%C3%A9", s.handshakeUrl());

            s.execute(() -> events.add("execute on loop " + onLoop()));
            assertEquals("execute on loop true", event());

            EngineSocket.Timer cancelled = s.schedule(Duration.ofMillis(500), () -> events.add("cancelled ran"));
            EngineSocket.Timer later = s.schedule(Duration.ofSeconds(1), () -> events.add("later on loop " + onLoop()));
            s.schedule(Duration.ofMillis(500), () -> events.add("sooner"));
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

    @Test
    void aScheduleDelayIsADurationOfZeroOrMoreAndAnyLengthIsHeld() throws Exception {
        server = EngineServer.builder().listen("127.0.0.1", 0).eventLoops(1).clock(clockNs::get)
                .pingInterval(Duration.ofSeconds(1000)).pingTimeout(Duration.ofSeconds(1000))
                .onConnection(socket::complete).build().start();
        try (RawClient c = new RawClient(server.port())) {
            assertEquals(200, c.get("/engine.io/?EIO=4&transport=polling").status);
            EngineSocket s = socket.get(20, TimeUnit.SECONDS);
            assertThrows(IllegalArgumentException.class, () -> s.schedule(Duration.ofNanos(-1), () -> { }));
            assertThrows(IllegalArgumentException.class, () -> s.schedule(null, () -> { }));
            // beyond the wheel's horizon (2^62 ns) and beyond what toNanos() can hold: taken as 146 years, not now
            s.schedule(Duration.ofDays(365L * 1000), () -> events.add("far future ran"));
            s.schedule(Duration.ofNanos(1L << 62), () -> events.add("horizon ran"));
            s.schedule(Duration.ZERO, () -> events.add("now"));
            s.execute(() -> events.add("armed"));
            assertEquals(Set.of("armed", "now"), Set.of(event(), event())); // "now" may run in the arming pass
            clockNs.addAndGet(Duration.ofDays(30).toNanos());
            server.wakeLoops();
            s.execute(() -> events.add("a month later"));
            assertEquals("a month later", event());
            s.execute(() -> events.add("end"));
            assertEquals("end", event()); // a pass with the clock a month on has polled the wheel: no far task ran
        }
    }
}
