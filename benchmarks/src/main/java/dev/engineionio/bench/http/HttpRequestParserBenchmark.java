package dev.engineionio.bench.http;

import dev.engineionio.http.HttpRequestParser;
import java.nio.ByteBuffer;
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
 * Parses one complete browser request (head, and body for the POST) per operation with a reused parser, as the
 * driver does on a keep-alive connection. {@code fragment = 0} presents the request whole; otherwise the bytes
 * arrive {@code fragment} at a time in the same buffer (the buffer's limit grows, as when the driver reads more
 * after the unconsumed bytes), so the parser resumes where it stopped. GB/s = request bytes / (ns/op).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class HttpRequestParserBenchmark {
    @Param({"pollingGet", "pollingPost", "websocketUpgrade"})
    public String request;

    @Param({"heap", "direct"})
    public String buffer;

    @Param({"0", "64"})
    public int fragment;

    private ByteBuffer src;
    private int length;
    private final HttpRequestParser parser = new HttpRequestParser();

    @Setup
    public void setUp() {
        byte[] bytes = BrowserRequests.bytes(request);
        length = bytes.length;
        src = "direct".equals(buffer) ? ByteBuffer.allocateDirect(length) : ByteBuffer.allocate(length);
        src.put(bytes).flip();
    }

    @Benchmark
    public long parse() {
        ByteBuffer b = src;
        HttpRequestParser p = parser;
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
            if (ev == HttpRequestParser.HEAD || ev == HttpRequestParser.REQUEST || ev == HttpRequestParser.UPGRADE) {
                sum += p.headerCount() + p.targetLength();
            } else if (ev == HttpRequestParser.BODY) {
                sum += p.bodyLength();
            }
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
