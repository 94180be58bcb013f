package dev.engineionio.bench.websocket;

import dev.engineionio.websocket.WebSocketError;
import dev.engineionio.websocket.WebSocketLimits;
import dev.engineionio.websocket.WebSocketMessageDecoder;
import dev.engineionio.websocket.WebSocketMessageHandler;
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
 * One masked client frame, read, unmasked in place and delivered as a whole message: the copy of the frame into the
 * read buffer stands in for the socket read (it is part of every op). Text frames are ASCII and also UTF-8 validated.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class FrameReadBenchmark {

    @Param({"16", "1024", "65536"})
    public int payload;

    @Param({"false", "true"})
    public boolean direct;

    private byte[] binaryFrame;
    private byte[] textFrame;
    private ByteBuffer readBuffer;
    private WebSocketMessageDecoder decoder;
    private final Sink sink = new Sink();

    /** Sums what it is given so that nothing is dead code. */
    static final class Sink implements WebSocketMessageHandler {
        long total;

        @Override
        public void onText(ByteBuffer buf, int offset, int length) {
            total += length + buf.get(offset);
        }

        @Override
        public void onBinary(ByteBuffer buf, int offset, int length) {
            total += length + buf.get(offset);
        }

        @Override
        public void onPing(ByteBuffer buf, int offset, int length) {
            total += length;
        }

        @Override
        public void onPong(ByteBuffer buf, int offset, int length) {
            total += length;
        }

        @Override
        public void onClose(int code, ByteBuffer reason, int offset, int length, boolean closeAlreadySent) {
            throw new IllegalStateException("unexpected close");
        }

        @Override
        public void onProtocolError(WebSocketError error) {
            throw new IllegalStateException(error.name());
        }
    }

    static byte[] maskedFrame(int opcode, byte[] payload, int key) {
        int n = payload.length;
        int header = n < 126 ? 2 : n <= 0xFFFF ? 4 : 10;
        byte[] f = new byte[header + 4 + n];
        f[0] = (byte) (0x80 | opcode);
        int i = 2;
        if (header == 2) {
            f[1] = (byte) (0x80 | n);
        } else if (header == 4) {
            f[1] = (byte) (0x80 | 126);
            f[2] = (byte) (n >>> 8);
            f[3] = (byte) n;
            i = 4;
        } else {
            f[1] = (byte) (0x80 | 127);
            for (int s = 56; s >= 0; s -= 8) {
                f[i++] = (byte) ((long) n >>> s);
            }
        }
        for (int k = 0; k < 4; k++) {
            f[i + k] = (byte) (key >>> (24 - 8 * k));
        }
        for (int j = 0; j < n; j++) {
            f[i + 4 + j] = (byte) (payload[j] ^ f[i + (j & 3)]);
        }
        return f;
    }

    @Setup
    public void setup() {
        Random r = new Random(1);
        byte[] bin = new byte[payload];
        r.nextBytes(bin);
        byte[] ascii = new byte[payload];
        for (int i = 0; i < payload; i++) {
            ascii[i] = (byte) (0x20 + r.nextInt(0x5F));
        }
        binaryFrame = maskedFrame(0x2, bin, 0x12345678);
        textFrame = maskedFrame(0x1, ascii, 0x9ABCDEF0);
        int capacity = textFrame.length + 64;
        readBuffer = direct ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
        decoder = new WebSocketMessageDecoder(WebSocketLimits.DEFAULT, WebSocketMessageDecoder.Delivery.WHOLE_MESSAGE,
                sink);
    }

    private long read(byte[] frame) {
        ByteBuffer b = readBuffer;
        b.clear();
        b.put(frame);
        b.flip();
        decoder.decode(b);
        return sink.total;
    }

    @Benchmark
    public long readBinary() {
        return read(binaryFrame);
    }

    @Benchmark
    public long readText() {
        return read(textFrame);
    }
}
