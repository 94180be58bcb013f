package dev.engineionio.bench.websocket;

import dev.engineionio.websocket.Utf8Validator;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
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
 * UTF-8 validation of a 64 KiB text payload, ASCII or mixed (~1/3 ASCII, 1/3 two-byte, 1/3 three-byte, some
 * four-byte). Baselines: the JDK decoding it ({@code new String(bytes, UTF_8)}, which also allocates the String and
 * replaces rather than rejects; and a reused {@code CharsetDecoder} with REPORT into a reused {@code CharBuffer}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class Utf8ValidateBenchmark {

    @Param({"ascii", "mixed"})
    public String content;

    private byte[] bytes;
    private ByteBuffer heap;
    private ByteBuffer direct;
    private final Utf8Validator validator = new Utf8Validator();
    private CharsetDecoder decoder;
    private CharBuffer chars;

    @Setup
    public void setup() {
        Random r = new Random(3);
        StringBuilder sb = new StringBuilder();
        int size = 65536;
        while (sb.toString().getBytes(StandardCharsets.UTF_8).length < size - 8) {
            for (int i = 0; i < 256; i++) {
                int k = content.equals("ascii") ? 0 : r.nextInt(10);
                if (k < 4) {
                    sb.append((char) (0x20 + r.nextInt(0x5F)));
                } else if (k < 7) {
                    sb.append((char) (0xA0 + r.nextInt(0x600)));
                } else if (k < 9) {
                    sb.append((char) (0x4E00 + r.nextInt(0x5000)));
                } else {
                    sb.appendCodePoint(0x1F600 + r.nextInt(0x40));
                }
            }
        }
        byte[] all = sb.toString().getBytes(StandardCharsets.UTF_8);
        // Cut back to a code point boundary at or below 64 KiB.
        int n = Math.min(all.length, size);
        while ((all[n - 1] & 0xC0) == 0x80 || (all[n - 1] & 0x80) != 0 && n < all.length && (all[n] & 0xC0) == 0x80) {
            n--;
        }
        bytes = java.util.Arrays.copyOf(all, n);
        if (!Utf8Validator.isValid(ByteBuffer.wrap(bytes), 0, bytes.length)) {
            throw new IllegalStateException("benchmark input is not valid UTF-8");
        }
        heap = ByteBuffer.wrap(bytes);
        direct = ByteBuffer.allocateDirect(bytes.length);
        direct.put(bytes).flip();
        decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        chars = CharBuffer.allocate(bytes.length);
    }

    @Benchmark
    public boolean validateHeap() {
        Utf8Validator v = validator;
        v.reset();
        return v.validate(heap, 0, bytes.length) && v.isComplete();
    }

    @Benchmark
    public boolean validateDirect() {
        Utf8Validator v = validator;
        v.reset();
        return v.validate(direct, 0, bytes.length) && v.isComplete();
    }

    @Benchmark
    public String jdkNewString() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Benchmark
    public boolean jdkCharsetDecoder() {
        CharsetDecoder d = decoder;
        d.reset();
        chars.clear();
        ByteBuffer in = heap;
        in.rewind();
        CoderResult r = d.decode(in, chars, true);
        return !r.isError() && !d.flush(chars).isError();
    }
}
