package dev.engineionio.bench.load;

/**
 * A log-linear histogram of non-negative {@code long} values (round-trip times in nanoseconds), in the manner of
 * HdrHistogram but without the dependency: values below 64 have a bucket each; above, every power of two is cut into
 * 32 equal buckets, so a bucket is at most 1/32 (3.1 %) of its lower bound wide. {@link #record(long)} is one
 * {@code numberOfLeadingZeros}, a shift and an array increment: it allocates nothing.
 *
 * <p>Thread: not thread-safe; one histogram per client loop thread, merged with {@link #add(RttHistogram)} after
 * the threads are joined. Limits: values up to {@code Long.MAX_VALUE}; negative values are counted in bucket 0;
 * counts are {@code long}. Memory: one {@code long[1888]} (15 KiB).
 */
public final class RttHistogram {

    static final int SUB_BITS = 5;
    static final int SUB_COUNT = 1 << SUB_BITS;
    static final int BUCKETS = (64 - SUB_BITS) * SUB_COUNT;

    private final long[] counts = new long[BUCKETS];
    private long total;
    private long max;
    private long sum;

    /** Records one value; a negative value counts as 0. */
    public void record(long value) {
        long v = value < 0 ? 0 : value;
        counts[index(v)]++;
        total++;
        sum += v;
        if (v > max) {
            max = v;
        }
    }

    /** The bucket index of {@code v >= 0}. */
    static int index(long v) {
        if (v < 2 * SUB_COUNT) {
            return (int) v;
        }
        int shift = 64 - Long.numberOfLeadingZeros(v) - (SUB_BITS + 1);
        return ((shift + 1) << SUB_BITS) + (int) (v >>> shift) - SUB_COUNT;
    }

    /** The smallest value that falls into bucket {@code i}. */
    static long lowerBound(int i) {
        if (i < 2 * SUB_COUNT) {
            return i;
        }
        int shift = (i >>> SUB_BITS) - 1;
        return ((long) ((i & (SUB_COUNT - 1)) + SUB_COUNT)) << shift;
    }

    /** The largest value that falls into bucket {@code i}. */
    static long upperBound(int i) {
        return i + 1 < BUCKETS ? lowerBound(i + 1) - 1 : Long.MAX_VALUE;
    }

    /**
     * The value at percentile {@code p} (0..100): the upper bound of the bucket holding the ceil(p% of count)-th
     * smallest value, capped at the largest value recorded, so the answer is never below the true percentile and at
     * most 3.1 % above it. 0 when empty.
     */
    public long percentile(double p) {
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(p / 100.0 * total);
        if (rank < 1) {
            rank = 1;
        }
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return Math.min(upperBound(i), max);
            }
        }
        return max;
    }

    public long count() {
        return total;
    }

    public long max() {
        return max;
    }

    public double mean() {
        return total == 0 ? 0 : (double) sum / total;
    }

    /** Adds every count of {@code other} into this histogram. */
    public void add(RttHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
        sum += other.sum;
        max = Math.max(max, other.max);
    }

    /** Forgets every value (end of warm-up). */
    public void reset() {
        java.util.Arrays.fill(counts, 0);
        total = 0;
        sum = 0;
        max = 0;
    }
}
