package dev.engineionio.bench.protocol;

import dev.engineionio.protocol.PacketEncoder;
import dev.engineionio.protocol.ProtocolVersion;
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
 * Measuring and writing one polling payload of {@link CodecFixtures#PACKETS} messages of {@code size} bytes each
 * (v4 text, v4 binary as base64, v3 text) into a heap or direct buffer, as the session layer does per answer:
 * {@code measurePayload} to size, then {@code writePayload}. Binary sources are in the same kind of buffer.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PayloadEncodeBenchmark {
    @Param({"16", "1024", "65536"})
    int size;

    @Param({"V4_TEXT", "V4_BINARY", "V3_TEXT"})
    CodecFixtures.Format format;

    @Param({"heap", "direct"})
    String buffer;

    private CodecFixtures.Batch batch;
    private ProtocolVersion version;
    private ByteBuffer dst;

    @Setup
    public void setup() {
        boolean direct = buffer.equals("direct");
        batch = new CodecFixtures.Batch(format == CodecFixtures.Format.V4_BINARY, size, direct);
        version = format == CodecFixtures.Format.V3_TEXT ? ProtocolVersion.V3 : ProtocolVersion.V4;
        int n = PacketEncoder.measurePayload(version, false, batch);
        dst = direct ? ByteBuffer.allocateDirect(n) : ByteBuffer.allocate(n);
    }

    @Benchmark
    public int encode() {
        dst.clear();
        int n = PacketEncoder.measurePayload(version, false, batch);
        dst.limit(n);
        return PacketEncoder.writePayload(version, false, batch, dst);
    }
}
