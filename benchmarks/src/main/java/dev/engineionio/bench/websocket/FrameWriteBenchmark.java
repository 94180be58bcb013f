package dev.engineionio.bench.websocket;

import dev.engineionio.websocket.WebSocketFrameWriter;
import dev.engineionio.websocket.WebSocketOpcodes;
import java.nio.ByteBuffer;
import java.util.Random;
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
 * Server frames written into an outbound buffer. {@code writeBinary} follows the writer's rule: payloads up to
 * {@link WebSocketFrameWriter#COPY_THRESHOLD} are copied behind the header, larger ones get the header only (the
 * payload would go out as a second buffer of a gathering write). {@code writeText} encodes a {@code String} of ASCII
 * (or, for {@code writeTextMixed}, ~1/3 non-ASCII) straight into the buffer.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class FrameWriteBenchmark {

    @Param({"16", "1024", "65536"})
    public int payload;

    @Param({"false", "true"})
    public boolean direct;

    private ByteBuffer source;
    private ByteBuffer out;
    private String ascii;
    private String mixed;

    @Setup
    public void setup() {
        Random r = new Random(2);
        byte[] bin = new byte[payload];
        r.nextBytes(bin);
        source = direct ? ByteBuffer.allocateDirect(payload) : ByteBuffer.allocate(payload);
        source.put(bin).flip();
        StringBuilder a = new StringBuilder();
        StringBuilder m = new StringBuilder();
        for (int i = 0; i < payload; i++) {
            a.append((char) (0x20 + r.nextInt(0x5F)));
        }
        while (m.length() < payload) {
            int k = r.nextInt(3);
            m.append(k == 0 ? 'é' : k == 1 ? (char) (0x20 + r.nextInt(0x5F)) : '中');
        }
        ascii = a.toString();
        mixed = m.toString();
        int capacity = 4 * payload + 64;
        out = direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
    }

    @Benchmark
    public int writeBinary() {
        ByteBuffer o = out;
        o.clear();
        if (WebSocketFrameWriter.shouldCopy(payload)) {
            return WebSocketFrameWriter.writeBinary(o, source, 0, payload);
        }
        return WebSocketFrameWriter.writeHeader(o, WebSocketOpcodes.BINARY, true, payload);
    }

    @Benchmark
    public int writeText() {
        ByteBuffer o = out;
        o.clear();
        return WebSocketFrameWriter.writeText(o, ascii);
    }

    @Benchmark
    public int writeTextMixed() {
        ByteBuffer o = out;
        o.clear();
        return WebSocketFrameWriter.writeText(o, mixed);
    }
}
