package dev.engineionio.bench.server;

import dev.engineionio.EngineServer;
import dev.engineionio.PerMessageDeflate;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
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
 * The Engine.IO WebSocket echo path of {@link EngineEchoBenchmark} with permessage-deflate (RFC 7692) on or off, for
 * JSON-like text messages: per operation one message in (inflated when compressed) → UTF-8 check → packet decode →
 * {@code onText(s::send)} → deflated into the loop's scratch and copied into the pooled write buffer (when on) →
 * bytes out, read back (not inflated) by the benchmark thread. Batches of {@value #BATCH} frames.
 *
 * <p>{@code mode}: {@code off} (no offer), {@code takeover} (the client offers {@code client_no_context_takeover},
 * so that its precomputed frames are valid every time; the server keeps its own context: one Deflater per
 * connection), {@code noTakeover} (both contexts reset per message: streams borrowed from the loop's pool). The
 * server's threshold is 0 so every message is compressed when on.
 *
 * <p>For {@code -prof gc}: JMH's {@code gc.alloc.rate.norm} counts every thread, so it covers the server's loop; the
 * client allocates nothing per operation (frames prepared in setup, a blocking channel with direct buffers).
 *
 * <p>Threads: one benchmark thread (the client) and the server's loop thread; bound to 127.0.0.1, every read has a
 * 10 s socket timeout through the setup's blocking mode plus the bounded JMH iteration.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EngineDeflateEchoBenchmark {

    static final int BATCH = 4;

    /** {@code off}, {@code takeover} or {@code noTakeover}: see the class comment. */
    @Param({"off", "takeover", "noTakeover"})
    public String mode;

    /** Message size in bytes (JSON-like text). */
    @Param({"64", "1024", "16384"})
    public int size;

    /** Bytes on the wire per message from the server, measured in setup (printed). */
    private int wireBytes;

    private EngineServer server;
    private SocketChannel ch;
    private ByteBuffer out;
    private ByteBuffer in;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        server = EngineServer.builder().listen("127.0.0.1", 0).eventLoops(1)
                .pingInterval(Duration.ofMinutes(10)).pingTimeout(Duration.ofMinutes(10))
                .perMessageDeflate(PerMessageDeflate.builder().threshold(0).build())
                .onConnection(s -> s.onText(s::send))
                .build().start();
        String offer = mode.equals("off") ? "" : mode.equals("takeover")
                ? "Sec-WebSocket-Extensions: permessage-deflate; client_no_context_takeover\r\n"
                : "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; "
                        + "client_no_context_takeover\r\n";
        ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", server.port()));
        ch.socket().setTcpNoDelay(true);
        ch.socket().setSoTimeout(10_000);
        in = ByteBuffer.allocateDirect(1 << 16);
        ch.write(ByteBuffer.wrap(("GET /engine.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" + offer + "\r\n")
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
        byte[] frame = frame(json(size), !mode.equals("off"));
        out = ByteBuffer.allocateDirect(frame.length * BATCH);
        for (int b = 0; b < BATCH; b++) {
            out.put(frame);
        }
        out.flip();
        ch.write(ByteBuffer.wrap(frame));
        wireBytes = 0;
        readFrames(1);
        System.out.println("# " + mode + " " + size + " B message: " + frame.length + " B on the wire in, "
                + wireBytes + " B out");
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
                wireBytes += head + len;
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

    /** JSON-like text of {@code size} ASCII bytes, as chatty applications send. */
    public static String json(int size) {
        StringBuilder b = new StringBuilder(size + 64);
        for (int i = 0; b.length() < size; i++) {
            b.append("{\"id\":").append(i).append(",\"type\":\"tick\",\"price\":").append(1000 + i * 7 % 97)
                    .append(",\"ok\":true},");
        }
        return b.substring(0, size);
    }

    /**
     * A masked client frame (zero mask key) carrying the Engine.IO message packet {@code "4" + text}, compressed as a
     * client without context takeover sends it when {@code compress}.
     */
    public static byte[] frame(String text, boolean compress) {
        byte[] payload = ("4" + text).getBytes(StandardCharsets.UTF_8);
        if (compress) {
            Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
            d.setInput(payload);
            byte[] buf = new byte[payload.length + 64];
            int n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
            d.end();
            payload = java.util.Arrays.copyOf(buf, n - 4);
        }
        int n = payload.length;
        int head = n < 126 ? 2 : 4;
        byte[] f = new byte[head + 4 + n];
        f[0] = (byte) (compress ? 0xC1 : 0x81);
        if (n < 126) {
            f[1] = (byte) (0x80 | n);
        } else {
            f[1] = (byte) (0x80 | 126);
            f[2] = (byte) (n >>> 8);
            f[3] = (byte) n;
        }
        System.arraycopy(payload, 0, f, head + 4, n); // mask key 0,0,0,0: the payload as is
        return f;
    }
}
