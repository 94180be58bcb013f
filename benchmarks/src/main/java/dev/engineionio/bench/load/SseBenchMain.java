package dev.engineionio.bench.load;

import dev.engineionio.EngineServer;
import dev.engineionio.EngineSocket;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The SSE transport against polling and WebSocket, in one process (an {@link EngineServer} with two loops and blocking
 * loopback clients, one thread each).
 *
 * <ul>
 * <li>{@code push SESSIONS SECONDS RATE}: for each transport in turn, {@code SESSIONS} sessions; a pacing thread
 *     broadcasts {@code RATE} messages per second (each to every session, with {@code EngineSocket.send} from outside
 *     the loops, as an application would) for {@code SECONDS}; every message carries its send time, and the clients
 *     record the delivery latency. Prints messages delivered per second and latency p50/p99/max. {@code RATE 0}:
 *     unpaced, as fast as the server takes them (throughput; latency is then queueing).</li>
 * <li>{@code idle COUNT}: heap held per idle session (after GC, server and client sockets), SSE then WebSocket.</li>
 * </ul>
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar dev.engineionio.bench.load.SseBenchMain push 100 5 200}
 */
public final class SseBenchMain {

    private SseBenchMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 2 && args[0].equals("idle")) {
            int count = Integer.parseInt(args[1]);
            idle(count, "sse");
            idle(count, "websocket");
            return;
        }
        if (args.length < 4 || !args[0].equals("push")) {
            System.err.println("usage: SseBenchMain push SESSIONS SECONDS RATE | idle COUNT");
            System.exit(2);
        }
        int sessions = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        int rate = Integer.parseInt(args[3]);
        for (String t : args.length > 4 ? args[4].split(",") : new String[] {"sse", "polling", "websocket"}) {
            push(t, sessions, seconds, rate);
        }
    }

    // ------------------------------------------------------------------------------------------ push

    private static void push(String transport, int n, int seconds, int rate) throws Exception {
        Set<EngineSocket> sockets = ConcurrentHashMap.newKeySet();
        try (EngineServer server = EngineServer.builder().listen("127.0.0.1", 0).eventLoops(2)
                .transports("polling", "websocket", "sse")
                .pingInterval(Duration.ofMinutes(1)).pingTimeout(Duration.ofMinutes(1))
                .onConnection(s -> {
                    sockets.add(s);
                    s.onClose((r, d) -> sockets.remove(s));
                }).build().start()) {
            AtomicLong received = new AtomicLong();
            List<Client> clients = new ArrayList<>();
            CountDownLatch ready = new CountDownLatch(n);
            for (int i = 0; i < n; i++) {
                Client c = new Client(server.port(), transport, received, ready);
                clients.add(c);
                c.start();
            }
            if (!ready.await(60, TimeUnit.SECONDS) || sockets.size() != n) {
                throw new IllegalStateException(transport + ": sessions not open: " + sockets.size());
            }
            long start = System.nanoTime();
            long end = start + seconds * 1_000_000_000L;
            long sent = 0;
            long next = start;
            long periodNs = rate > 0 ? 1_000_000_000L / rate : 0;
            while (System.nanoTime() < end) {
                String msg = Long.toString(System.nanoTime());
                for (EngineSocket s : sockets) {
                    s.send(msg);
                }
                sent++;
                if (periodNs > 0) {
                    next += periodNs;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait); // pacing the load, not a test
                    }
                } else if (sent % 64 == 0) {
                    // unpaced: stay within a bounded backlog (each client at most ~20,000 messages behind)
                    while (sent * n - received.get() > 20_000L * n && System.nanoTime() < end + 30_000_000_000L) {
                        Thread.onSpinWait();
                    }
                }
            }
            long want = sent * n;
            long drainDeadline = System.nanoTime() + 30_000_000_000L;
            while (received.get() < want && System.nanoTime() < drainDeadline) {
                Thread.sleep(10);
            }
            long elapsed = System.nanoTime() - start;
            long[] all = clients.stream().flatMapToLong(c -> Arrays.stream(c.latencies, 0, c.count)).toArray();
            Arrays.sort(all);
            for (Client c : clients) {
                c.close();
            }
            System.out.printf("%-9s sessions %d, %s: %,d broadcasts, %,d of %,d messages delivered in %.2f s:"
                            + " %,.0f msg/s; latency p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                    transport, n, rate > 0 ? rate + " broadcasts/s" : "unpaced", sent, received.get(), want,
                    elapsed / 1e9, received.get() / (elapsed / 1e9), pct(all, 0.50), pct(all, 0.99),
                    all.length == 0 ? 0 : all[all.length - 1] / 1e6);
        }
    }

    private static double pct(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (sorted.length * p))] / 1e6;
    }

    /** One blocking client: reads its transport's messages, each a send time in nanoseconds. */
    private static final class Client extends Thread {
        private final int port;
        private final String transport;
        private final AtomicLong received;
        private final CountDownLatch ready;
        private Socket socket;
        private InputStream in;
        private OutputStream out;
        long[] latencies = new long[1 << 16];
        int count;
        private volatile boolean closed;

        Client(int port, String transport, AtomicLong received, CountDownLatch ready) {
            this.port = port;
            this.transport = transport;
            this.received = received;
            this.ready = ready;
            setDaemon(true);
        }

        void close() throws IOException {
            closed = true;
            socket.close();
        }

        private void record(long sentNs, long now) {
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = now - sentNs;
            received.incrementAndGet();
        }

        @Override
        public void run() {
            try {
                socket = new Socket("127.0.0.1", port);
                socket.setTcpNoDelay(true);
                in = new BufferedInputStream(socket.getInputStream(), 65536);
                out = socket.getOutputStream();
                switch (transport) {
                    case "sse" -> sse();
                    case "polling" -> polling();
                    default -> websocket();
                }
            } catch (IOException e) {
                if (!closed) {
                    e.printStackTrace();
                }
            }
        }

        private void request(String target, String... headers) throws IOException {
            StringBuilder sb = new StringBuilder("GET ").append(target).append(" HTTP/1.1\r\nHost: x\r\n");
            for (String h : headers) {
                sb.append(h).append("\r\n");
            }
            out.write(sb.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        private String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream(64);
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new IOException("EOF");
                }
                b.write(c);
            }
            int n = b.size();
            byte[] a = b.toByteArray();
            return new String(a, 0, n > 0 && a[n - 1] == '\r' ? n - 1 : n, StandardCharsets.UTF_8);
        }

        /** Reads a head; returns the Content-Length, or -1. */
        private int head() throws IOException {
            int len = -1;
            String l = line();
            while (!(l = line()).isEmpty()) {
                if (l.regionMatches(true, 0, "content-length:", 0, 15)) {
                    len = Integer.parseInt(l.substring(15).trim());
                }
            }
            return len;
        }

        private void sse() throws IOException {
            request("/engine.io/?EIO=4&transport=sse");
            head();
            // lines scanned in place: "data: 0..." (the open packet) and "data: 4<nanos>"
            byte[] buf = new byte[65536];
            int len = 0;
            boolean open = false;
            while (true) {
                int r = in.read(buf, len, buf.length - len);
                if (r < 0) {
                    return;
                }
                len += r;
                long now = System.nanoTime();
                int start = 0;
                for (int i = 0; i < len; i++) {
                    if (buf[i] != '\n') {
                        continue;
                    }
                    if (i - start > 6 && buf[start] == 'd' && buf[start + 4] == ':') {
                        byte type = buf[start + 6];
                        if (type == '0' && !open) {
                            open = true;
                            ready.countDown();
                        } else if (type == '4') {
                            long v = 0;
                            for (int k = start + 7; k < i; k++) {
                                v = v * 10 + (buf[k] - '0');
                            }
                            record(v, now);
                        }
                    }
                    start = i + 1;
                }
                System.arraycopy(buf, start, buf, 0, len - start);
                len -= start;
            }
        }

        private void polling() throws IOException {
            request("/engine.io/?EIO=4&transport=polling");
            String body = new String(in.readNBytes(head()), StandardCharsets.UTF_8);
            int s = body.indexOf("\"sid\":\"") + 7;
            String sid = body.substring(s, body.indexOf('"', s));
            ready.countDown();
            while (true) {
                request("/engine.io/?EIO=4&transport=polling&sid=" + sid);
                byte[] b = in.readNBytes(head());
                long now = System.nanoTime();
                String payload = new String(b, StandardCharsets.UTF_8);
                int from = 0;
                while (from < payload.length()) {
                    int to = payload.indexOf('\u001e', from);
                    if (to < 0) {
                        to = payload.length();
                    }
                    if (payload.charAt(from) == '4') {
                        record(Long.parseLong(payload, from + 1, to, 10), now);
                    }
                    from = to + 1;
                }
            }
        }

        private void websocket() throws IOException {
            request("/engine.io/?EIO=4&transport=websocket", "Upgrade: websocket", "Connection: Upgrade",
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13");
            head();
            while (true) {
                int b0 = in.read();
                if (b0 < 0) {
                    return;
                }
                int n = in.read() & 0x7F;
                if (n == 126) {
                    n = (in.read() << 8) | in.read();
                } else if (n == 127) {
                    n = 0;
                    for (int i = 0; i < 8; i++) {
                        n = (n << 8) | in.read();
                    }
                }
                byte[] p = in.readNBytes(n);
                if (p.length > 0 && p[0] == '0') {
                    ready.countDown();
                } else if (p.length > 0 && p[0] == '4') {
                    record(Long.parseLong(new String(p, 1, p.length - 1, StandardCharsets.US_ASCII)), System.nanoTime());
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------ idle

    private static void idle(int count, String transport) throws Exception {
        EngineServer server = EngineServer.builder().listen("127.0.0.1", 0).eventLoops(2)
                .transports("polling", "websocket", "sse")
                .pingInterval(Duration.ofMinutes(1)).pingTimeout(Duration.ofMinutes(1)).build().start();
        List<SocketChannel> clients = new ArrayList<>(count);
        long baseline = heapAfterGc();
        String ws = transport.equals("sse") ? "" : "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";
        byte[] request = ("GET /engine.io/?EIO=4&transport=" + transport + " HTTP/1.1\r\nHost: x\r\n" + ws + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        ByteBuffer in = ByteBuffer.allocate(4096);
        for (int i = 0; i < count; i++) {
            SocketChannel ch = SocketChannel.open();
            ch.bind(new InetSocketAddress(InetAddress.getByName("127.0.0." + (1 + i / 20_000)), 0));
            ch.connect(new InetSocketAddress("127.0.0.1", server.port()));
            ch.write(ByteBuffer.wrap(request));
            in.clear();
            while (!new String(in.array(), 0, in.position(), StandardCharsets.ISO_8859_1).contains("maxPayload\":1000000}")) {
                if (ch.read(in) < 0) {
                    throw new IllegalStateException("closed");
                }
            }
            clients.add(ch);
        }
        long withSessions = heapAfterGc();
        int sessions = server.clientsCount();
        server.close();
        long without = heapAfterGc();
        System.out.printf("%,d idle %s sessions: heap %,d B before, %,d B with them, %,d B after server.close()"
                        + " (client channels kept): %,d B per session on the server, %,d B per session with the client%n",
                sessions, transport, baseline, withSessions, without, (withSessions - without) / Math.max(1, sessions),
                (withSessions - baseline) / Math.max(1, sessions));
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
