package dev.engineionio.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RttHistogramTest {

    @Test
    void bucketsAreContiguousAndEveryBoundMapsBackToItsBucket() {
        for (int i = 0; i < RttHistogram.BUCKETS; i++) {
            long lo = RttHistogram.lowerBound(i);
            long hi = RttHistogram.upperBound(i);
            assertEquals(i, RttHistogram.index(lo), "lower bound of " + i);
            assertEquals(i, RttHistogram.index(hi), "upper bound of " + i);
            if (i + 1 < RttHistogram.BUCKETS) {
                assertEquals(hi + 1, RttHistogram.lowerBound(i + 1), "gap after " + i);
            }
            if (lo >= 64) {
                assertTrue((hi - lo + 1) * 32 <= lo, "bucket " + i + " wider than 1/32 of " + lo);
            }
        }
        assertEquals(RttHistogram.BUCKETS - 1, RttHistogram.index(Long.MAX_VALUE));
    }

    @Test
    void percentilesAreNeverBelowTheTruthAndAtMostOneBucketAbove() {
        SplittableRandom random = new SplittableRandom(7);
        RttHistogram h = new RttHistogram();
        long[] values = new long[100_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = (long) Math.exp(random.nextDouble(0, 20)); // 1 ns .. 0.5 s, log-uniform
            h.record(values[i]);
        }
        Arrays.sort(values);
        for (double p : new double[] {0, 1, 50, 90, 99, 99.9, 100}) {
            long truth = values[(int) Math.max(0, Math.ceil(p / 100 * values.length) - 1)];
            long got = h.percentile(p);
            assertTrue(got >= truth, "p" + p + " " + got + " < " + truth);
            assertTrue(got <= truth + Math.max(1, truth / 32), "p" + p + " " + got + " >> " + truth);
        }
        assertEquals(values[values.length - 1], h.max());
        assertEquals(values.length, h.count());
    }

    @Test
    void emptyNegativeMergeAndReset() {
        RttHistogram a = new RttHistogram();
        assertEquals(0, a.percentile(50));
        a.record(-5);
        assertEquals(0, a.percentile(100));
        RttHistogram b = new RttHistogram();
        b.record(1_000_000);
        a.add(b);
        assertEquals(2, a.count());
        assertEquals(1_000_000, a.percentile(100));
        a.reset();
        assertEquals(0, a.count());
        assertEquals(0, a.max());
    }
}
