package dev.engineionio.bench.load;

import dev.engineionio.driver.ConnectionHandler;
import dev.engineionio.driver.DriverConfig;
import dev.engineionio.driver.NioDriver;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Loopback echo throughput of the driver, and the bytes its loop threads allocate per message. One process: an
 * {@link NioDriver} with {@code LOOPS} loops and a handler that echoes its input ({@code conn.write(src)}, copied
 * into pooled chunks), and {@code CONNECTIONS} blocking client threads, each writing batches of {@code BATCH}
 * {@code SIZE}-byte messages and reading the echo back, for {@code SECONDS} seconds (bounded). Allocation is read
 * from {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes} for the loop threads only.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar dev.engineionio.bench.load.EchoLoadMain LOOPS
 * CONNECTIONS SIZE BATCH SECONDS}
 */
public final class EchoLoadMain {

    private EchoLoadMain() {
    }

    public static void main(String[] args) throws Exception {
        int loops = Integer.parseInt(args[0]);
        int connections = Integer.parseInt(args[1]);
        int size = Integer.parseInt(args[2]);
        int batch = Integer.parseInt(args[3]);
        int seconds = Integer.parseInt(args[4]);
        DriverConfig config = DriverConfig.builder()
                .listen(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))
                .loops(loops)
                .threadNamePrefix("echo-loop-")
                .build();
        ConnectionHandler echo = (c, src, nowNs) -> c.write(src);
        try (NioDriver driver = new NioDriver(config, c -> echo).start()) {
            InetSocketAddress address = driver.boundAddresses().get(0);
            AtomicLong messages = new AtomicLong();
            List<Thread> clients = new ArrayList<>();
            long endNs = System.nanoTime() + seconds * 1_000_000_000L;
            for (int i = 0; i < connections; i++) {
                Thread t = new Thread(() -> {
                    byte[] out = new byte[size * batch];
                    Arrays.fill(out, (byte) 'm');
                    byte[] in = new byte[out.length];
                    try (Socket s = new Socket()) {
                        s.connect(address, 10_000);
                        s.setSoTimeout(10_000);
                        s.setTcpNoDelay(true);
                        OutputStream os = s.getOutputStream();
                        InputStream is = s.getInputStream();
                        while (System.nanoTime() - endNs < 0) {
                            os.write(out);
                            int got = 0;
                            while (got < in.length) {
                                int n = is.read(in, got, in.length - got);
                                if (n < 0) {
                                    throw new IllegalStateException("EOF");
                                }
                                got += n;
                            }
                            messages.addAndGet(batch);
                        }
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                }, "echo-client-" + i);
                clients.add(t);
            }
            for (Thread t : clients) {
                t.start();
            }
            // Measure the second half of the run (the first half warms up the JIT).
            Thread.sleep(seconds * 500L);
            long m0 = messages.get();
            long a0 = loopAllocated();
            long t0 = System.nanoTime();
            for (Thread t : clients) {
                t.join(seconds * 1000L + 20_000);
            }
            long t1 = System.nanoTime();
            long m1 = messages.get();
            long a1 = loopAllocated();
            double secs = (t1 - t0) / 1e9;
            System.out.printf("loops=%d connections=%d size=%d batch=%d: %.0f messages/s echoed, loop threads allocated"
                    + " %.4f B/message (%d B over %d messages)%n", loops, connections, size, batch,
                    (m1 - m0) / secs, (a1 - a0) / (double) (m1 - m0), a1 - a0, m1 - m0);
        }
    }

    private static long loopAllocated() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long total = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("echo-loop-")) {
                total += mx.getThreadAllocatedBytes(t.getId());
            }
        }
        return total;
    }
}
