package dev.engineionio.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Connection#transferTo}: a connection moves to another loop with its handler, input, output and deadline. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TransferTest {

    private static final long DEADLINE_OFFSET_NS = TimeUnit.SECONDS.toNanos(30);

    /** Lines: "MOVE" queues "moving" output, arms a deadline and transfers; other lines are answered "loop:line". */
    static final class MovingHandler implements ConnectionHandler {
        final BlockingQueue<String> events;
        final NioDriver[] driver;

        MovingHandler(BlockingQueue<String> events, NioDriver[] driver) {
            this.events = events;
            this.driver = driver;
        }

        @Override
        public void onRead(Connection c, ByteBuffer src, long nowNs) {
            while (true) {
                int nl = -1;
                for (int i = src.position(); i < src.limit(); i++) {
                    if (src.get(i) == '\n') {
                        nl = i;
                        break;
                    }
                }
                if (nl < 0) {
                    return;
                }
                byte[] line = new byte[nl - src.position()];
                src.get(line);
                src.get();
                String s = new String(line, StandardCharsets.US_ASCII);
                if (s.equals("MOVE")) {
                    c.writeBuffer(7).put("moving\n".getBytes(StandardCharsets.US_ASCII));
                    c.commitWrite();
                    c.setDeadline(nowNs + DEADLINE_OFFSET_NS);
                    EventLoop other = driver[0].loops().get(1 - c.loop().index());
                    events.add("from " + c.loop().index() + " deadline " + c.deadlineNs(-1));
                    c.transferTo(other);
                    return; // the rest stays unconsumed and follows the connection
                }
                String answer = c.loop().index() + ":" + s + ":" + c.loop().connectionCount() + ":" + c.deadlineNs(-1)
                        + "\n";
                c.writeBuffer(answer.length()).put(answer.getBytes(StandardCharsets.US_ASCII));
                c.commitWrite();
            }
        }
    }

    @Test
    void movedConnectionKeepsInputOutputDeadlineAndHandler() throws Exception {
        FakeClock clock = new FakeClock();
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        NioDriver[] holder = new NioDriver[1];
        DriverConfig config = DriverConfig.builder()
                .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).loops(2).clock(clock).build();
        try (NioDriver driver = new NioDriver(config, c -> new MovingHandler(events, holder))) {
            holder[0] = driver;
            driver.start();
            try (Client client = new Client(driver.boundAddresses().get(0))) {
                // MOVE and the lines behind it arrive in one segment: the lines are retained and re-presented.
                client.send("MOVE\nafter\nagain\n");
                String from = events.poll(20, TimeUnit.SECONDS);
                assertNotNull(from);
                String[] f = from.split(" ");
                int fromLoop = Integer.parseInt(f[1]);
                long deadline = Long.parseLong(f[3]);
                assertEquals("moving", client.readLine());
                int to = 1 - fromLoop;
                assertEquals(to + ":after:1:" + deadline, client.readLine());
                assertEquals(to + ":again:1:" + deadline, client.readLine());
                client.send("later\n");
                assertEquals(to + ":later:1:" + deadline, client.readLine());
                CompletableFuture<Integer> count = new CompletableFuture<>();
                driver.loops().get(fromLoop).execute(() -> count.complete(driver.loops().get(fromLoop).connectionCount()));
                assertEquals(0, count.get(20, TimeUnit.SECONDS));
                assertEquals(1, driver.openConnections());
                // The deadline fires on the new loop: the default onTimeout closes the connection.
                clock.advance(DEADLINE_OFFSET_NS + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
                for (EventLoop l : driver.loops()) {
                    l.wakeup();
                }
                assertTrue(client.drainUntilClosed());
            }
        }
    }
}
