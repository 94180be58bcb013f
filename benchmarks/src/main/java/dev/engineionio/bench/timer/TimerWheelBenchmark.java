package dev.engineionio.bench.timer;

import dev.engineionio.timer.TimerWheel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link TimerWheel} with 10k, 100k and 1M live timers (deadlines spread over a 30 s session-like horizon and parked
 * far in the future so they never expire during the run): schedule+cancel, and schedule+advance one tick+poll (which
 * expires exactly the new timer and scans the slot's live entries, the real cost of a populated wheel). The driver's
 * geometry: 2^20 ns ticks, 4096 slots.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TimerWheelBenchmark {

    private static final long TICK_NS = 1L << 20;
    /** Far enough that no parked timer expires within a run of even a billion one-tick advances. */
    private static final long FAR_NS = 1L << 52;

    @Param({"10000", "100000", "1000000"})
    public int liveTimers;

    private TimerWheel<Object> wheel;
    private long nowNs;
    private final Object target = new Object();
    private long expired;
    private final TimerWheel.Handler<Object> handler = (id, t, now) -> expired++;

    @Setup(Level.Trial)
    public void setUp() {
        nowNs = 0;
        wheel = new TimerWheel<>(nowNs, TICK_NS, 4096, 16);
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        for (int i = 0; i < liveTimers; i++) {
            wheel.schedule(FAR_NS + random.nextLong(TimeUnit.SECONDS.toNanos(30)), target);
        }
        // Warm the free lists so schedule/cancel reuse entries and the arrays never grow while measured.
        long[] ids = new long[4096];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = wheel.schedule(nowNs + TICK_NS * i, target);
        }
        for (long id : ids) {
            wheel.cancel(id);
        }
    }

    @Benchmark
    public boolean scheduleCancel() {
        long id = wheel.schedule(nowNs + TimeUnit.SECONDS.toNanos(25), target);
        return wheel.cancel(id);
    }

    @Benchmark
    public int scheduleExpire() {
        wheel.schedule(nowNs + TICK_NS, target);
        nowNs += TICK_NS;
        return wheel.poll(nowNs, handler, 1024);
    }
}
