package dev.engineionio.bench.timer;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JDK baseline for {@code TimerWheelBenchmark.scheduleCancel}: a {@link ScheduledThreadPoolExecutor} (remove on cancel)
 * holding the same number of live far-future tasks; schedule then cancel one more.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ScheduledExecutorBaselineBenchmark {

    @Param({"10000", "100000", "1000000"})
    public int liveTimers;

    private ScheduledThreadPoolExecutor executor;
    private final Runnable task = () -> { };

    @Setup(Level.Trial)
    public void setUp() {
        executor = new ScheduledThreadPoolExecutor(1);
        executor.setRemoveOnCancelPolicy(true);
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        for (int i = 0; i < liveTimers; i++) {
            executor.schedule(task, 3600_000 + random.nextLong(30_000), TimeUnit.MILLISECONDS);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        executor.shutdownNow();
    }

    @Benchmark
    public boolean scheduleCancel() {
        ScheduledFuture<?> f = executor.schedule(task, 25, TimeUnit.SECONDS);
        return f.cancel(false);
    }
}
