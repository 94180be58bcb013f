package dev.engineionio.bench.load;

import dev.engineionio.EngineServer;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Heap held by idle Engine.IO WebSocket sessions. One process: an {@link EngineServer} (heartbeat 60 s, so nothing
 * moves) and {@code COUNT} blocking loopback clients that each open a direct WebSocket session ({@code EIO=4}) and
 * read the 101 and the open packet. The heap after GC is read with every session open, then again after
 * {@code server.close()} with the client channels still referenced: the difference divided by {@code COUNT} is what
 * the server holds per idle session (connection, handlers, session, transport, timer entry, registry entries), plus
 * a share of the loops' fixed structures.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar dev.engineionio.bench.load.EngineIdleMain COUNT}
 */
public final class EngineIdleMain {

    private EngineIdleMain() {
    }

    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        EngineServer server = EngineServer.builder().listen("127.0.0.1", 0).eventLoops(2)
                .pingInterval(Duration.ofMinutes(1)).pingTimeout(Duration.ofMinutes(1)).build().start();
        List<SocketChannel> clients = new ArrayList<>(count);
        long baseline = heapAfterGc();
        byte[] request = ("GET /engine.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        ByteBuffer in = ByteBuffer.allocate(4096);
        for (int i = 0; i < count; i++) {
            SocketChannel ch = SocketChannel.open();
            ch.bind(new InetSocketAddress(InetAddress.getByName("127.0.0." + (1 + i / 20_000)), 0));
            ch.connect(new InetSocketAddress("127.0.0.1", server.port()));
            ch.write(ByteBuffer.wrap(request));
            in.clear();
            // the 101 head and the open packet's frame (its text holds "maxPayload")
            while (!new String(in.array(), 0, in.position(), StandardCharsets.ISO_8859_1).contains("maxPayload\":1000000}")) {
                if (ch.read(in) < 0) {
                    throw new IllegalStateException("closed");
                }
            }
            clients.add(ch);
        }
        long withSessions = heapAfterGc();
        int sessions = server.clientsCount();
        long t0 = System.nanoTime();
        server.close();
        System.out.printf("server.close() took %d ms; sessions left %d%n", (System.nanoTime() - t0) / 1_000_000,
                server.clientsCount());
        long without = heapAfterGc();
        System.out.printf("%,d idle WebSocket sessions: heap %,d B before, %,d B with them, %,d B after server.close()"
                + " (client channels kept): %,d B per session on the server, %,d B per session with the client%n",
                sessions, baseline, withSessions, without, (withSessions - without) / Math.max(1, sessions),
                (withSessions - baseline) / Math.max(1, sessions));
        if (args.length > 1) {
            Thread.sleep(Long.parseLong(args[1]) * 1000); // hold for a heap histogram (jcmd PID GC.class_histogram)
        }
        for (SocketChannel ch : clients) {
            ch.close();
        }
    }

    private static long heapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100); // let the collector settle; a measurement tool, not a test
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
