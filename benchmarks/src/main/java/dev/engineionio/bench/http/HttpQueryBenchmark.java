package dev.engineionio.bench.http;

import dev.engineionio.http.HttpQuery;
import dev.engineionio.http.HttpRequestParser;
import dev.engineionio.http.QueryParam;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the server does per polling request: parse the head, then read EIO, transport and sid from the query, with
 * one escaped value ({@code %2D}) in the escaped variant.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class HttpQueryBenchmark {
    private static final byte[] FOUR = {'4'};
    private static final byte[] POLLING = {'p', 'o', 'l', 'l', 'i', 'n', 'g'};

    private ByteBuffer plain;
    private ByteBuffer escaped;
    private final HttpRequestParser parser = new HttpRequestParser();
    private final HttpQuery query = new HttpQuery(8192);

    @Setup
    public void setUp() {
        plain = ByteBuffer.wrap(BrowserRequests.bytes("pollingGet"));
        escaped = ByteBuffer.wrap(BrowserRequests.POLLING_GET.replace("sid=Ab3dEf6h", "sid=Ab3d%2Df6h")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    @Benchmark
    public long parseAndReadQuery() {
        return run(plain);
    }

    @Benchmark
    public long parseAndReadEscapedQuery() {
        return run(escaped);
    }

    private long run(ByteBuffer b) {
        b.position(0);
        if (parser.parse(b) != HttpRequestParser.REQUEST) {
            throw new IllegalStateException();
        }
        if (query.parse(b, parser.queryStart(), parser.queryLength()) != null) {
            throw new IllegalStateException();
        }
        long r = query.length(QueryParam.SID) + query.byteAt(b, QueryParam.SID, 0);
        r += query.valueEquals(b, QueryParam.EIO, FOUR) ? 1 : 0;
        r += query.valueEquals(b, QueryParam.TRANSPORT, POLLING) ? 2 : 0;
        return r;
    }
}
