package dev.engineionio.driver;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A clock the test moves by hand; thread-safe. */
final class FakeClock implements NanoClock {
    private final AtomicLong nowNs = new AtomicLong(1_000_000_000L);

    @Override
    public long nanoTime() {
        return nowNs.get();
    }

    void advance(long amount, TimeUnit unit) {
        nowNs.addAndGet(unit.toNanos(amount));
    }
}
