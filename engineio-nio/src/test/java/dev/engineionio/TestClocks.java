package dev.engineionio;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Test access to the engine's package-private clock hooks for tests of the layers above (Socket.IO): a fake clock
 * the test moves, and a wake-up of the loops after moving it.
 */
public final class TestClocks {

    private TestClocks() {
    }

    /**
     * Gives the builder a clock read from {@code nanos}.
     *
     * @param b     the builder
     * @param nanos the fake time in nanoseconds
     * @return the builder
     */
    public static EngineServer.Builder fake(EngineServer.Builder b, AtomicLong nanos) {
        return b.clock(nanos::get);
    }

    /**
     * Makes every loop run a pass now (its due timers run).
     *
     * @param server the server
     */
    public static void wake(EngineServer server) {
        server.wakeLoops();
    }
}
