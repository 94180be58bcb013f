package dev.engineionio.bench.load;

import dev.engineionio.EngineServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * End-to-end Engine.IO WebSocket echo over loopback: an {@link EngineServer} whose {@code onMessage} sends every
 * message back, and {@code CONNECTIONS} blocking raw-socket clients (protocol 4, direct WebSocket), each writing
 * {@code BATCH} masked text frames {@code 4<SIZE bytes>} and reading the echoes, for {@code SECONDS} seconds
 * (bounded; the second half is measured). Reports messages/s and the bytes the loop threads allocate per message
 * ({@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}), which includes the {@code String} the API hands
 * to {@code onMessage} (the one allocation the API forces).
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar dev.engineionio.bench.load.EngineEchoMain LOOPS
 * CONNECTIONS SIZE BATCH SECONDS}
 */
public final class EngineEchoMain {

    private EngineEchoMain() {
    }

    public static void main(String[] args) throws Exception {
        int loops = Integer.parseInt(args[0]);
        int connections = Integer.parseInt(args[1]);
        int size = Integer.parseInt(args[2]);
        int batch = Integer.parseInt(args[3]);
        int seconds = Integer.parseInt(args[4]);
        EngineServer server = EngineServer.builder().listen("127.0.0.1", 0).eventLoops(loops)
                .pingInterval(Duration.ofMinutes(1)).pingTimeout(Duration.ofMinutes(1))
                .onConnection(s -> s.onMessage(s::send))
                .build().start();
        try {
            AtomicLong messages = new AtomicLong();
            long startNs = System.nanoTime();
            long endNs = startNs + seconds * 1_000_000_000L;
            long halfNs = startNs + seconds * 500_000_000L;
            List<Thread> clients = new ArrayList<>();
            byte[] frame = frame(size);
            for (int i = 0; i < connections; i++) {
                Thread t = new Thread(() -> {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
                        s.setSoTimeout(10_000);
                        s.setTcpNoDelay(true);
                        OutputStream os = s.getOutputStream();
                        InputStream is = s.getInputStream();
                        os.write(("GET /engine.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\n"
                                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                        skipHead(is);
                        readFrame(is); // open packet
                        byte[] out = new byte[frame.length * batch];
                        for (int b = 0; b < batch; b++) {
                            System.arraycopy(frame, 0, out, b * frame.length, frame.length);
                        }
                        while (System.nanoTime() - endNs < 0) {
                            os.write(out);
                            for (int b = 0; b < batch; b++) {
                                readFrame(is);
                            }
                            if (System.nanoTime() - halfNs >= 0) {
                                messages.addAndGet(batch);
                            }
                        }
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                });
                clients.add(t);
            }
            clients.forEach(Thread::start);
            while (System.nanoTime() - halfNs < 0) {
                Thread.sleep(10); // benchmark pacing, not a test
            }
            long alloc0 = loopAllocated();
            long t0 = System.nanoTime();
            for (Thread t : clients) {
                t.join(seconds * 2_000L + 10_000);
            }
            long elapsed = System.nanoTime() - t0;
            long alloc = loopAllocated() - alloc0;
            long n = messages.get();
            System.out.printf("loops=%d connections=%d size=%d batch=%d: %,d messages/s; loop threads allocated %,d B"
                    + " over %,d messages (%.1f B/message)%n", loops, connections, size, batch,
                    n * 1_000_000_000L / Math.max(1, elapsed), alloc, n, n == 0 ? 0.0 : (double) alloc / n);
        } finally {
            server.close();
        }
    }

    private static byte[] frame(int size) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int n = size + 1;
        b.write(0x81);
        if (n < 126) {
            b.write(0x80 | n);
        } else {
            b.write(0x80 | 126);
            b.write(n >>> 8);
            b.write(n);
        }
        b.write(new byte[] {0, 0, 0, 0}, 0, 4); // zero mask key: payload as is
        b.write('4');
        for (int i = 0; i < size; i++) {
            b.write('a' + i % 26);
        }
        return b.toByteArray();
    }

    private static void skipHead(InputStream is) throws IOException {
        int state = 0;
        while (state < 4) {
            int c = is.read();
            if (c < 0) {
                throw new IOException("EOF in the 101");
            }
            state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
    }

    private static void readFrame(InputStream is) throws IOException {
        is.read();
        int n = is.read() & 0x7F;
        if (n == 126) {
            n = (is.read() << 8) | is.read();
        }
        is.skipNBytes(n);
    }

    private static long loopAllocated() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("engineio-loop-")) {
                sum += mx.getThreadAllocatedBytes(t.getId());
            }
        }
        return sum;
    }
}
