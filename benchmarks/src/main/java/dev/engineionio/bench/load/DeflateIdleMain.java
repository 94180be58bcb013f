package dev.engineionio.bench.load;

import dev.engineionio.bench.server.EngineDeflateEchoBenchmark;
import dev.engineionio.EngineServer;
import dev.engineionio.PerMessageDeflate;
import dev.engineionio.websocket.ZlibPool;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Memory held by idle Engine.IO WebSocket sessions with permessage-deflate, after each has sent one compressed message
 * and received its compressed echo (so a session that keeps its contexts owns both zlib streams). One process: an
 * {@link EngineServer} (heartbeat 60 s) and {@code COUNT} blocking loopback clients. Prints, per session: the heap
 * (after GC) and the resident set (VmRSS, which includes zlib's native memory) above the baseline before the sessions
 * opened, and the zlib streams alive. The clients' own cost is the same in every mode, so the difference between modes
 * is what compression costs per idle session.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar dev.engineionio.bench.load.DeflateIdleMain COUNT MODE}
 * with MODE {@code off} (no offer), {@code default} (plain {@code permessage-deflate}: each session owns a Deflater and
 * an Inflater), {@code takeover} ({@code client_no_context_takeover}: it owns a Deflater, borrows the Inflater) or
 * {@code noTakeover} ({@code server_no_context_takeover; client_no_context_takeover}: borrowed per message).
 */
public final class DeflateIdleMain {

    private DeflateIdleMain() {
    }

    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        String mode = args[1];
        EngineServer server = EngineServer.builder().listen("127.0.0.1", 0).eventLoops(2)
                .pingInterval(Duration.ofMinutes(1)).pingTimeout(Duration.ofMinutes(1)).perMessageDeflate(true)
                .onConnection(s -> s.onText(s::send)).build().start();
        String offer = mode.equals("off") ? "" : mode.equals("default")
                ? "Sec-WebSocket-Extensions: permessage-deflate\r\n" : mode.equals("takeover")
                ? "Sec-WebSocket-Extensions: permessage-deflate; client_no_context_takeover\r\n"
                : "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; client_no_context_takeover\r\n";
        byte[] request = ("GET /engine.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + offer + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] message = EngineDeflateEchoBenchmark.frame(EngineDeflateEchoBenchmark.json(2000), !mode.equals("off"));
        List<SocketChannel> clients = new ArrayList<>(count);
        long heap0 = heapAfterGc();
        long rss0 = rss();
        ByteBuffer in = ByteBuffer.allocate(1 << 16);
        for (int i = 0; i < count; i++) {
            SocketChannel ch = SocketChannel.open();
            ch.bind(new InetSocketAddress(InetAddress.getByName("127.0.0." + (1 + i / 20_000)), 0));
            ch.connect(new InetSocketAddress("127.0.0.1", server.port()));
            ch.write(ByteBuffer.wrap(request));
            in.clear();
            int headEnd = readHead(ch, in);
            in.flip().position(headEnd);
            in.compact();
            readFrames(ch, in, 1); // the open packet
            ch.write(ByteBuffer.wrap(message.clone())); // the server unmasks in its own buffer; a copy anyway
            readFrames(ch, in, 1); // the echo
            clients.add(ch);
        }
        long heap1 = heapAfterGc();
        long rss1 = rss();
        int sessions = server.clientsCount();
        System.out.printf("%s: %,d idle sessions: heap +%,d B/session, RSS +%,d B/session (clients included), "
                        + "zlib streams alive: %d deflaters, %d inflaters%n", mode, sessions,
                (heap1 - heap0) / Math.max(1, sessions), (rss1 - rss0) / Math.max(1, sessions),
                ZlibPool.liveDeflaters(), ZlibPool.liveInflaters());
        server.close();
        for (SocketChannel ch : clients) {
            ch.close();
        }
    }

    private static int readHead(SocketChannel ch, ByteBuffer in) throws Exception {
        while (true) {
            if (ch.read(in) < 0) {
                throw new IllegalStateException("closed");
            }
            for (int i = 3; i < in.position(); i++) {
                if (in.get(i - 3) == '\r' && in.get(i - 2) == '\n' && in.get(i - 1) == '\r' && in.get(i) == '\n') {
                    return i + 1;
                }
            }
        }
    }

    /** Reads and drops {@code n} server frames (payload below 64 KiB); {@code in} is in write mode. */
    private static void readFrames(SocketChannel ch, ByteBuffer in, int n) throws Exception {
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
            if (done < n && ch.read(in) < 0) {
                throw new IllegalStateException("closed");
            }
        }
    }

    private static long rss() throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("VmRSS:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
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
