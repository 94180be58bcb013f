package dev.engineionio.bench.driver;

import dev.engineionio.driver.ConnectionHandler;
import dev.engineionio.driver.Connection;
import dev.engineionio.driver.DriverConfig;
import dev.engineionio.driver.HandlerFactory;
import dev.engineionio.driver.NioDriver;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Memory held by idle connections: starts an {@link NioDriver} (2 loops) with a trivial echo handler on 127.0.0.1,
 * measures heap (used, after GC), direct memory and RSS ({@code VmRSS} of /proc/self/status) before any connection and
 * again once {@code expected} connections are open and idle (opened by {@link IdleClientMain} in another process), and
 * prints the difference per connection. Exits when the connections are gone, or after two minutes.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar dev.engineionio.bench.driver.IdleServerMain PORT COUNT
 * [deadline] [--tls PKCS12 PASSWORD]}; with {@code deadline} each connection gets its own handler object and an armed
 * deadline (one timer wheel entry), as an upper layer will have; with {@code --tls} the listener is a TLS one (the
 * client then needs {@code --tls} too) and the difference is what an idle TLS connection costs on top.
 */
public final class IdleServerMain {

    private IdleServerMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int expected = Integer.parseInt(args[1]);
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port);
        DriverConfig.Builder cb = DriverConfig.builder();
        int tlsAt = java.util.Arrays.asList(args).indexOf("--tls");
        if (tlsAt >= 0) {
            dev.engineionio.TlsContext tls = dev.engineionio.TlsContext.fromPkcs12(Path.of(args[tlsAt + 1]),
                    args[tlsAt + 2].toCharArray());
            cb.listenTls(address, tls::newServerEngine);
        } else {
            cb.listen(address);
        }
        DriverConfig config = cb
                .loops(2)
                .maxConnections(expected + 16)
                .build();
        boolean withDeadline = args.length > 2 && args[2].equals("deadline");
        ConnectionHandler echo = (c, src, nowNs) -> c.write(src);
        HandlerFactory factory = withDeadline ? c -> new DeadlineEcho() : c -> echo;
        try (NioDriver driver = new NioDriver(config, factory).start()) {
            Thread.sleep(500);
            long[] before = measure();
            print("before", 0, before);
            System.out.println("listening on " + driver.boundAddresses());
            long limit = System.nanoTime() + 120_000_000_000L;
            while (driver.openConnections() < expected && System.nanoTime() - limit < 0) {
                Thread.sleep(100);
            }
            Thread.sleep(2000); // let the client's one echo per connection finish
            long[] after = measure();
            int n = driver.openConnections();
            print("after", n, after);
            System.out.printf("per connection: heap %.0f B, direct %.0f B, RSS %.0f B (n=%d)%n",
                    (after[0] - before[0]) / (double) n, (after[1] - before[1]) / (double) n,
                    (after[2] - before[2]) / (double) n, n);
            while (driver.openConnections() > 0 && System.nanoTime() - limit < 0) {
                Thread.sleep(100);
            }
        }
    }

    /** A handler object per connection with a one-hour deadline armed: the shape of an idle upper layer. */
    private static final class DeadlineEcho implements ConnectionHandler {
        @Override
        public void onOpen(Connection c, long nowNs) {
            c.setDeadline(nowNs + 3_600_000_000_000L);
        }

        @Override
        public void onRead(Connection c, ByteBuffer src, long nowNs) {
            c.write(src);
        }
    }

    private static void print(String label, int connections, long[] m) {
        System.out.printf("%s: connections=%d heapUsed=%d direct=%d rss=%d%n", label, connections, m[0], m[1], m[2]);
    }

    /** heap used after GC, direct buffer memory, RSS; bytes. */
    private static long[] measure() throws Exception {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long direct = 0;
        for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (b.getName().equals("direct")) {
                direct = b.getMemoryUsed();
            }
        }
        long rss = 0;
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return new long[] {heap, direct, rss};
    }
}
