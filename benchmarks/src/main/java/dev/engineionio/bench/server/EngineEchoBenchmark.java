package dev.engineionio.bench.server;

import dev.engineionio.EngineServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The whole Engine.IO WebSocket echo path of a real {@link EngineServer} (one event loop), driven over loopback by the
 * benchmark thread: one operation is one message: its masked frame bytes in (socket read) → frame decode → UTF-8
 * check → Engine.IO packet decode → {@code onMessage}/{@code onBinary} → {@code send} → session write buffer → frame
 * encode → gathering write → frame bytes out, read back by the benchmark thread. A batch of {@value #BATCH} frames
 * is written in one call and the {@value #BATCH} echoes are read before the next batch (so syscalls are amortised as
 * under load).
 *
 * <p>For {@code -prof gc}: JMH's {@code gc.alloc.rate.norm} counts the bytes allocated by every thread of the JVM,
 * so it covers the server's loop thread too. The client side (this class) allocates nothing per operation: a
 * blocking {@link SocketChannel} with direct buffers prepared in setup. So the figure is the server's allocation per
 * echoed message: for text, the {@code String} the API hands to {@code onMessage} (24 B + its Latin-1 array
 * 16 B + size) and nothing else; for {@code textView} ({@code onText(s::send)}: the message as a view the loop
 * reuses, copied into the session's pooled write buffer by {@code send(CharSequence)}) nothing; for binary, the {@code byte[]} handed to {@code onBinary} and what
 * {@code send(byte[])} adds (a defensive copy, its wrapper and the command to the loop).
 *
 * <p>Threads: one benchmark thread (the client) and the server's loop thread; bound to 127.0.0.1, every read has a
 * 10 s socket timeout through the setup's blocking mode plus the bounded JMH iteration.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EngineEchoBenchmark {

    static final int BATCH = 16;

    /** {@code text}: {@code onMessage(s::send)}; {@code textView}: {@code onText(s::send)}; {@code binary}. */
    @Param({"text", "textView", "binary"})
    public String kind;

    @Param({"32"})
    public int size;

    private EngineServer server;
    private SocketChannel ch;
    private ByteBuffer out;
    private ByteBuffer in;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        server = EngineServer.builder().listen("127.0.0.1", 0).eventLoops(1)
                .pingInterval(Duration.ofMinutes(10)).pingTimeout(Duration.ofMinutes(10))
                .onConnection(s -> {
                    if (kind.equals("textView")) {
                        s.onText(s::send); // the view and the copying send: no String
                    } else {
                        s.onMessage(s::send);
                    }
                    s.onBinary(s::send);
                })
                .build().start();
        ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", server.port()));
        ch.socket().setTcpNoDelay(true);
        ch.socket().setSoTimeout(10_000);
        in = ByteBuffer.allocateDirect(1 << 16);
        ch.write(ByteBuffer.wrap(("GET /engine.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII)));
        // the 101 head, then the open packet frame
        int headEnd = -1;
        while (headEnd < 0) {
            fill();
            for (int i = 3; i < in.position(); i++) {
                if (in.get(i - 3) == '\r' && in.get(i - 2) == '\n' && in.get(i - 1) == '\r' && in.get(i) == '\n') {
                    headEnd = i + 1;
                    break;
                }
            }
        }
        in.flip().position(headEnd);
        in.compact();
        readFrames(1);
        byte[] frame = frame(!kind.equals("binary"), size);
        out = ByteBuffer.allocateDirect(frame.length * BATCH);
        for (int b = 0; b < BATCH; b++) {
            out.put(frame);
        }
        out.flip();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        ch.close();
        server.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void echo() throws IOException {
        out.clear();
        while (out.hasRemaining()) {
            ch.write(out);
        }
        readFrames(BATCH);
    }

    /** Reads and consumes {@code n} server frames (unmasked, payload length below 64 KiB). */
    private void readFrames(int n) throws IOException {
        int done = 0;
        while (done < n) {
            in.flip();
            while (done < n && in.remaining() >= 2) {
                int p = in.position();
                int len = in.get(p + 1) & 0x7F;
                int head = 2;
                if (len == 126) {
                    if (in.remaining() < 4) {
                        break;
                    }
                    len = ((in.get(p + 2) & 0xFF) << 8) | (in.get(p + 3) & 0xFF);
                    head = 4;
                }
                if (in.remaining() < head + len) {
                    break;
                }
                in.position(p + head + len);
                done++;
            }
            in.compact();
            if (done < n) {
                fill();
            }
        }
    }

    private void fill() throws IOException {
        if (ch.read(in) < 0) {
            throw new IOException("server closed the connection");
        }
    }

    /** A masked client frame (zero mask key) carrying the Engine.IO message packet of {@code size} payload bytes. */
    static byte[] frame(boolean text, int size) {
        int n = text ? size + 1 : size;
        int head = n < 126 ? 2 : 4;
        byte[] f = new byte[head + 4 + n];
        f[0] = (byte) (text ? 0x81 : 0x82);
        if (n < 126) {
            f[1] = (byte) (0x80 | n);
        } else {
            f[1] = (byte) (0x80 | 126);
            f[2] = (byte) (n >>> 8);
            f[3] = (byte) n;
        }
        int p = head + 4; // mask key 0,0,0,0: the payload as is
        if (text) {
            f[p++] = '4';
        }
        for (int i = 0; i < size; i++) {
            f[p++] = (byte) ('a' + i % 26);
        }
        return f;
    }
}
