package dev.engineionio.bench.timer;

import dev.engineionio.timer.TimerWheel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A burst: {@code burst} timers armed for the same tick (the closes of a shutdown, a wave of handshakes), then the
 * poll that expires them all, on the driver's geometry (2^20 ns ticks, 4096 slots, initial slot capacity 4). One op
 * is the whole burst; the wheel is otherwise empty. What a burst costs: the time per burst and what it allocates
 * (the slot's growth, and its release once it is empty again), the price of not keeping the peak forever.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TimerWheelBurstBenchmark {

    private static final long TICK_NS = 1L << 20;

    @Param({"1000", "10000"})
    public int burst;

    private TimerWheel<Object> wheel;
    private long nowNs;
    private final Object target = new Object();
    private long expired;
    private final TimerWheel.Handler<Object> handler = (id, t, now) -> expired++;

    @Setup
    public void setUp() {
        nowNs = 0;
        wheel = new TimerWheel<>(nowNs, TICK_NS, 4096, 4);
    }

    @Benchmark
    public int scheduleBurstThenExpire() {
        long deadline = nowNs + TICK_NS;
        for (int i = 0; i < burst; i++) {
            wheel.schedule(deadline, target);
        }
        nowNs += TICK_NS;
        return wheel.poll(nowNs, handler, Integer.MAX_VALUE);
    }
}
