package dev.engineionio.bench.load;

import dev.engineionio.bench.server.EngineDeflateEchoBenchmark;
import dev.engineionio.EngineServer;
import dev.engineionio.PerMessageDeflate;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Server CPU per echoed Engine.IO WebSocket message with permessage-deflate off and on: one server loop, one loopback
 * client sending JSON-like text messages in batches of 4 ({@link EngineDeflateEchoBenchmark#frame}), {@code COUNT} messages
 * per mode and size after as many for warm-up; the CPU time of the server's loop thread (ThreadMXBean) divided by the
 * messages, the wall time per message, and the bytes on the wire per echo.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar dev.engineionio.bench.load.DeflateCpuMain COUNT}
 */
public final class DeflateCpuMain {

    private DeflateCpuMain() {
    }

    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        System.out.println("| message | mode | server CPU per message (µs) | wall per message (µs) | bytes in | bytes out |");
        System.out.println("|---|---|---:|---:|---:|---:|");
        for (int size : new int[] {64, 1024, 16384}) {
            for (String mode : new String[] {"off", "takeover", "noTakeover"}) {
                run(size, mode, count);
            }
        }
    }

    private static void run(int size, String mode, int count) throws Exception {
        EngineServer server = EngineServer.builder().listen("127.0.0.1", 0).eventLoops(1)
                .pingInterval(Duration.ofMinutes(10)).pingTimeout(Duration.ofMinutes(10))
                .perMessageDeflate(PerMessageDeflate.builder().threshold(0).build())
                .onConnection(s -> s.onText(s::send)).build().start();
        try (SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", server.port()))) {
            ch.socket().setTcpNoDelay(true);
            String offer = mode.equals("off") ? "" : mode.equals("takeover")
                    ? "Sec-WebSocket-Extensions: permessage-deflate; client_no_context_takeover\r\n"
                    : "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; "
                            + "client_no_context_takeover\r\n";
            ch.write(ByteBuffer.wrap(("GET /engine.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n" + offer + "\r\n").getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer in = ByteBuffer.allocateDirect(1 << 20);
            int headEnd = -1;
            while (headEnd < 0) {
                ch.read(in);
                for (int i = 3; i < in.position(); i++) {
                    if (in.get(i - 3) == '\r' && in.get(i - 2) == '\n' && in.get(i - 1) == '\r' && in.get(i) == '\n') {
                        headEnd = i + 1;
                        break;
                    }
                }
            }
            in.flip().position(headEnd);
            in.compact();
            long[] wire = new long[1];
            readFrames(ch, in, 1, wire);
            byte[] frame = EngineDeflateEchoBenchmark.frame(EngineDeflateEchoBenchmark.json(size), !mode.equals("off"));
            ByteBuffer out = ByteBuffer.allocateDirect(frame.length * 4);
            long loopThread = -1;
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().startsWith("engineio-loop-")) {
                    loopThread = t.getId();
                }
            }
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            for (int round = 0; round < 2; round++) { // warm-up, then measured
                long cpu0 = mx.getThreadCpuTime(loopThread);
                long t0 = System.nanoTime();
                wire[0] = 0;
                for (int i = 0; i < count; i += 4) {
                    out.clear();
                    for (int b = 0; b < 4; b++) {
                        out.put(frame);
                    }
                    out.flip();
                    while (out.hasRemaining()) {
                        ch.write(out);
                    }
                    readFrames(ch, in, 4, wire);
                }
                long cpu = mx.getThreadCpuTime(loopThread) - cpu0;
                long wall = System.nanoTime() - t0;
                if (round == 1) {
                    System.out.printf("| %,d B | %s | %.2f | %.2f | %d | %d |%n", size, mode, cpu / 1000.0 / count,
                            wall / 1000.0 / count, frame.length, wire[0] / count);
                }
            }
        } finally {
            server.close();
        }
    }

    private static void readFrames(SocketChannel ch, ByteBuffer in, int n, long[] wire) throws Exception {
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
                wire[0] += head + len;
                done++;
            }
            in.compact();
            if (done < n && ch.read(in) < 0) {
                throw new IllegalStateException("closed");
            }
        }
    }
}
