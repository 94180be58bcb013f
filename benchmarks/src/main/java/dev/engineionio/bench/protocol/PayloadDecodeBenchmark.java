package dev.engineionio.bench.protocol;

import dev.engineionio.protocol.DecodeStatus;
import dev.engineionio.protocol.PacketEncoder;
import dev.engineionio.protocol.PacketHandler;
import dev.engineionio.protocol.PacketType;
import dev.engineionio.protocol.PayloadDecoder;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decoding one polling payload of {@link CodecFixtures#PACKETS} messages of {@code size} bytes each (v4 text, v4
 * binary as base64, v3 text), from a heap or direct buffer. Every packet span is consumed by the Blackhole.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(2)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PayloadDecodeBenchmark {
    @Param({"16", "1024", "65536"})
    int size;

    @Param({"V4_TEXT", "V4_BINARY", "V3_TEXT"})
    CodecFixtures.Format format;

    @Param({"heap", "direct"})
    String buffer;

    private ByteBuffer payload;
    private final PayloadDecoder decoder = new PayloadDecoder();
    private Blackhole bh;
    private final PacketHandler handler = this::onPacket;

    @Setup
    public void setup() {
        boolean direct = buffer.equals("direct");
        CodecFixtures.Batch batch = new CodecFixtures.Batch(format == CodecFixtures.Format.V4_BINARY, size, false);
        ProtocolVersion v = format == CodecFixtures.Format.V3_TEXT ? ProtocolVersion.V3 : ProtocolVersion.V4;
        int n = PacketEncoder.measurePayload(v, false, batch);
        payload = direct ? ByteBuffer.allocateDirect(n) : ByteBuffer.allocate(n);
        PacketEncoder.writePayload(v, false, batch, payload);
        payload.flip();
    }

    private boolean onPacket(PacketType type, boolean binary, ByteBuffer buf, int offset, int length) {
        bh.consume(type);
        bh.consume(buf.get(offset + length - 1));
        bh.consume(length);
        return true;
    }

    @Benchmark
    public DecodeStatus decode(Blackhole blackhole) {
        bh = blackhole;
        return format == CodecFixtures.Format.V3_TEXT
                ? decoder.decodeV3TextPayload(payload, handler)
                : decoder.decodeV4Payload(payload, handler);
    }
}
