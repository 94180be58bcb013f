package dev.engineionio.driver;

/**
 * The driver's only source of time: a monotonic nanosecond counter with {@code System.nanoTime()} semantics (an
 * arbitrary origin, compared only as differences: {@code a - b < 0}).
 *
 * <p>Injected through {@link DriverConfig.Builder#clock(NanoClock)} so tests drive timeouts with a fake clock: advance
 * the fake time, then {@link EventLoop#wakeup()} the loop; nothing sleeps. Each event loop reads it about once per
 * duty-cycle pass, on its own thread, so an implementation must be thread-safe (a {@code volatile} or atomic field is
 * enough) and cheap.
 */
@FunctionalInterface
public interface NanoClock {

    /** The system monotonic clock. */
    NanoClock SYSTEM = System::nanoTime;

    /** Current time in nanoseconds. */
    long nanoTime();
}
