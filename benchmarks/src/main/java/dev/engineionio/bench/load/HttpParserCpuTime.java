package dev.engineionio.bench.load;

import dev.engineionio.bench.http.BrowserRequests;
import dev.engineionio.http.HttpRequestParser;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;

/**
 * A companion to {@link HttpRequestParserBenchmark} for shared machines: the same loop, timed with the thread's CPU
 * time ({@link ThreadMXBean#getCurrentThreadCpuTime()}) instead of the wall clock, so time spent descheduled while
 * other processes hold the cores is not counted. Best of 12 rounds of 200,000 requests, one configuration per JVM
 * (so that heap and direct runs do not share a JIT profile):
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.engineionio.bench.load.HttpParserCpuTime pollingGet direct 0
 * </pre>
 *
 * Bounded: 2.4 million requests, a few seconds.
 */
public final class HttpParserCpuTime {
    private HttpParserCpuTime() {
    }

    public static void main(String[] args) {
        String request = args.length > 0 ? args[0] : "pollingGet";
        boolean direct = args.length > 1 && args[1].equals("direct");
        int fragment = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        byte[] bytes = BrowserRequests.bytes(request);
        ByteBuffer b = direct ? ByteBuffer.allocateDirect(bytes.length) : ByteBuffer.allocate(bytes.length);
        b.put(bytes).flip();
        HttpRequestParser p = new HttpRequestParser();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sink = 0;
        double best = Double.MAX_VALUE;
        for (int round = 0; round < 12; round++) {
            int n = 200_000;
            long t0 = mx.getCurrentThreadCpuTime();
            for (int k = 0; k < n; k++) {
                sink += once(p, b, bytes.length, fragment);
            }
            long t1 = mx.getCurrentThreadCpuTime();
            best = Math.min(best, (t1 - t0) / (double) n);
        }
        System.out.printf("%-17s %-6s fragment=%-3d %4d bytes %7.1f ns/request (CPU time) %5.2f GB/s  [%d]%n",
                request, direct ? "direct" : "heap", fragment, bytes.length, best, bytes.length / best, sink & 1);
    }

    private static long once(HttpRequestParser p, ByteBuffer b, int length, int fragment) {
        int step = fragment == 0 ? length : fragment;
        b.limit(Math.min(length, step)).position(0);
        long sum = 0;
        for (;;) {
            int ev = p.parse(b);
            if (ev == HttpRequestParser.NEED_MORE) {
                if (b.limit() == length) {
                    throw new IllegalStateException("request did not complete");
                }
                b.limit(Math.min(length, b.limit() + step));
                continue;
            }
            sum += ev;
            if (ev == HttpRequestParser.REQUEST || ev == HttpRequestParser.END) {
                return sum;
            }
            if (ev == HttpRequestParser.UPGRADE) {
                p.reset();
                return sum;
            }
            if (ev == HttpRequestParser.ERROR) {
                throw new IllegalStateException(String.valueOf(p.error()));
            }
        }
    }
}
