package dev.engineionio.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.engineionio.LogCapture;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Loopback tests of the driver with the line test protocol. Latches, futures and socket timeouts are failure guards
 * only; time-dependent behaviour runs on a fake clock.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NioDriverTest {

    private static final long GUARD_S = 20;

    @RegisterExtension
    final LogCapture logs = new LogCapture();

    private static <T> T onLoop(EventLoop loop, Callable<T> task) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                f.complete(task.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f.get(GUARD_S, TimeUnit.SECONDS);
    }

    private static Connection nextOpened(TestServer s) throws InterruptedException {
        Connection c = s.opened.poll(GUARD_S, TimeUnit.SECONDS);
        assertNotNull(c, "connection not opened");
        return c;
    }

    private static CloseCause nextClose(TestServer s) throws InterruptedException {
        CloseCause c = s.closes.poll(GUARD_S, TimeUnit.SECONDS);
        assertNotNull(c, "no onClose");
        return c;
    }

    @Test
    void echoesOnFiveHundredConcurrentConnections() throws Exception {
        try (TestServer s = new TestServer(0, b -> { })) {
            int n = 500;
            List<Client> clients = new ArrayList<>();
            try {
                for (int i = 0; i < n; i++) {
                    clients.add(new Client(s.address()));
                }
                for (int i = 0; i < n; i++) {
                    clients.get(i).send("hello " + i + "\nsecond " + i + "\n");
                }
                for (int i = 0; i < n; i++) {
                    assertEquals("hello " + i, clients.get(i).readLine());
                    assertEquals("second " + i, clients.get(i).readLine());
                }
                assertEquals(n, s.driver.openConnections());
                assertEquals(n, s.driver.acceptedConnections());
                int sum = 0;
                for (EventLoop l : s.driver.loops()) {
                    int count = onLoop(l, l::connectionCount);
                    assertTrue(count > 0, "connections spread over every loop");
                    sum += count;
                }
                assertEquals(n, sum);
            } finally {
                for (Client c : clients) {
                    c.close();
                }
            }
        }
    }

    @Test
    void splitLinesAreRetainedAndAnIdleConnectionHoldsNoBuffer() throws Exception {
        try (TestServer s = new TestServer(0, b -> { }); Client c = new Client(s.address())) {
            Connection conn = nextOpened(s);
            c.send("par");
            c.send("tial line\nnext");
            assertEquals("partial line", c.readLine());
            assertEquals(4, (int) onLoop(conn.loop(), conn::retainedBytes));
            assertTrue(onLoop(conn.loop(), conn::holdsBuffer));
            c.send(" one\n");
            assertEquals("next one", c.readLine());
            assertFalse(onLoop(conn.loop(), conn::holdsBuffer), "idle connection holds a buffer");
            assertFalse(onLoop(conn.loop(), conn::holdsQueueArrays), "idle connection holds output queue arrays");
            assertEquals(0, (int) onLoop(conn.loop(), conn::retainedBytes));
        }
    }

    @Test
    void swappedHandlerGetsLeftoverBytesAtOnce() throws Exception {
        try (TestServer s = new TestServer(0, b -> { }); Client c = new Client(s.address())) {
            c.send("UPGRADE\nabc");
            assertEquals("OK", c.readLine());
            assertEquals("ABC", new String(c.readN(3), StandardCharsets.US_ASCII));
            c.send("xyz\n");
            assertEquals("XYZ", c.readLine());
        }
    }

    @Test
    void retainedInputBeyondTheLimitClosesTheConnection() throws Exception {
        try (TestServer s = new TestServer(0, b -> b.maxRetainedBytes(1024)); Client c = new Client(s.address())) {
            c.send("x".repeat(1024)); // exactly at the limit: kept
            c.send("\n");
            assertEquals("x".repeat(1024), c.readLine());
            c.send("y".repeat(1025));
            assertEquals(CloseCause.RETAINED_LIMIT, nextClose(s));
            assertTrue(c.closedByPeer());
        }
    }

    @Test
    void peerThatStopsReadingKeepsOutputBoundedAndIsClosedAtTheHardLimit() throws Exception {
        long high = 64 * 1024;
        long hard = 4L * 1024 * 1024;
        try (TestServer s = new TestServer(0, b -> b.writeWaterMarks(32 * 1024, high).writeHardLimitBytes(hard));
                Client c = new Client(s.address())) {
            c.send("FLOOD " + (256L * 1024 * 1024) + "\n"); // far more than the socket buffers hold
            assertTrue(s.backpressured.await(GUARD_S, TimeUnit.SECONDS));
            c.send("PUSH " + (2 * hard) + "\n");
            assertEquals(CloseCause.OUTPUT_LIMIT, nextClose(s));
            assertTrue(s.maxQueued.get() <= high + 16 * 1024, "flood queued " + s.maxQueued.get());
            assertTrue(s.maxQueuedCareless.get() <= hard, "push queued " + s.maxQueuedCareless.get());
            assertTrue(s.maxQueuedCareless.get() > high, "push never passed high water");
            assertTrue(c.drainUntilClosed());
            assertEquals(0, s.driver.openConnections());
        }
    }

    @Test
    void floodHonouringBackpressureDeliversEverything() throws Exception {
        long high = 64 * 1024;
        try (TestServer s = new TestServer(0, b -> b.writeWaterMarks(16 * 1024, high));
                Client c = new Client(s.address())) {
            long total = 8L * 1024 * 1024;
            c.send("FLOOD " + total + "\nCLOSE\n");
            assertEquals(total, c.drainToEof());
            assertTrue(s.maxQueued.get() <= high + 16 * 1024, "queued " + s.maxQueued.get());
            assertTrue(s.writableEvents.get() > 0, "onWritable never called");
        }
    }

    @Test
    void halfClosedPeerGetsItsAnswerThenEof() throws Exception {
        try (TestServer s = new TestServer(0, b -> { }); Client c = new Client(s.address())) {
            c.send("a\npartial");
            c.shutdownOutput();
            assertEquals("a", c.readLine());
            assertEquals("EOF", c.readLine());
            assertEquals(null, c.readLine());
            assertEquals(CloseCause.GRACEFUL, nextClose(s));
        }
    }

    @Test
    void gracefulCloseGivesUpAfterTheLingerTimeout() throws Exception {
        try (TestServer s = new TestServer(0, b -> b.lingerTimeout(Duration.ofSeconds(3)));
                Client c = new Client(s.address())) {
            Connection conn = nextOpened(s);
            c.send("last\nCLOSE\n");
            assertEquals("last", c.readLine());
            assertEquals(null, c.readLine()); // server shut its output; this client keeps its own open
            assertTrue(onLoop(conn.loop(), conn::isOpen), "waits for the peer's EOF");
            s.clock.advance(2, TimeUnit.SECONDS);
            s.wakeAll();
            assertTrue(onLoop(conn.loop(), conn::isOpen), "closed before the linger timeout");
            s.clock.advance(2, TimeUnit.SECONDS);
            s.wakeAll();
            assertEquals(CloseCause.LINGER_TIMEOUT, nextClose(s));
        }
    }

    @Test
    void slowlorisIsClosedAfterTheHeaderTimeoutWhileOthersAreServed() throws Exception {
        long timeoutNs = TimeUnit.SECONDS.toNanos(10);
        try (TestServer s = new TestServer(timeoutNs, b -> { });
                Client good = new Client(s.address());
                Client slow = new Client(s.address())) {
            good.send("ping\n");
            assertEquals("ping", good.readLine());
            nextOpened(s);
            Connection slowConn = nextOpened(s);
            for (char ch : "GET / HTTP/1.1".toCharArray()) {
                slow.send(String.valueOf(ch));
                good.send("tick\n");
                assertEquals("tick", good.readLine()); // the loop is alive and has seen the slow byte's pass
            }
            // The good connection may be on the other loop: its echo does not prove the slow bytes were read yet.
            // Ask the slow connection's loop until they are (bounded; each ask is one pass of that loop).
            int retained = 0;
            for (int i = 0; i < 10_000 && retained != 14; i++) {
                retained = onLoop(slowConn.loop(), slowConn::retainedBytes);
            }
            assertEquals(14, retained);
            s.clock.advance(9, TimeUnit.SECONDS);
            s.wakeAll();
            good.send("still\n");
            assertEquals("still", good.readLine());
            assertTrue(onLoop(slowConn.loop(), slowConn::isOpen), "closed before its deadline");
            s.clock.advance(2, TimeUnit.SECONDS);
            s.wakeAll();
            assertTrue(slow.closedByPeer());
            assertEquals(1, s.timeouts.get());
            good.send("after\n");
            assertEquals("after", good.readLine());
        }
    }

    @Test
    void shutdownWithConnectionsOpenNotifiesFlushesAndCloses() throws Exception {
        TestServer s = new TestServer(0, b -> { });
        int n = 20;
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Client c = new Client(s.address());
            c.send("hi\n");
            assertEquals("hi", c.readLine());
            clients.add(c);
        }
        CompletableFuture<Void> closing = CompletableFuture.runAsync(s::close);
        for (Client c : clients) {
            assertEquals("BYE", c.readLine());
            assertEquals(null, c.readLine());
            c.close();
        }
        closing.get(GUARD_S, TimeUnit.SECONDS);
        assertTrue(s.driver.isTerminated());
        assertEquals(0, s.driver.openConnections());
        for (int i = 0; i < n; i++) {
            assertEquals(CloseCause.GRACEFUL, nextClose(s));
        }
        assertThrows(ConnectException.class, () -> new Client(s.address()).close());
        s.close(); // idempotent
    }

    @Test
    void shutdownClosesPeersThatNeverAnswerWithinTheGraceBound() throws Exception {
        TestServer s = new TestServer(0, b -> b.shutdownGrace(Duration.ZERO));
        try (Client c = new Client(s.address())) {
            c.send("hi\n");
            assertEquals("hi", c.readLine());
            s.close();
            assertTrue(s.driver.isTerminated());
            CloseCause cause = nextClose(s);
            assertEquals(CloseCause.SHUTDOWN, cause);
        }
    }

    @Test
    void sendsFromManyThreadsArriveCompleteAndInPerSenderOrder() throws Exception {
        try (TestServer s = new TestServer(0, b -> { }); Client c = new Client(s.address())) {
            Connection conn = nextOpened(s);
            int threads = 8;
            int perThread = 2000;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                fs.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        assertTrue(conn.send(ByteBuffer.wrap((id + ":" + i + "\n").getBytes(StandardCharsets.US_ASCII))));
                    }
                    return null;
                }));
            }
            go.countDown();
            int[] next = new int[threads];
            for (int k = 0; k < threads * perThread; k++) {
                String line = c.readLine();
                assertNotNull(line);
                int colon = line.indexOf(':');
                int id = Integer.parseInt(line.substring(0, colon));
                assertEquals(next[id], Integer.parseInt(line.substring(colon + 1)), "order of sender " + id);
                next[id]++;
            }
            for (Future<?> f : fs) {
                f.get(GUARD_S, TimeUnit.SECONDS);
            }
            pool.shutdown();
            for (int t = 0; t < threads; t++) {
                assertEquals(perThread, next[t]);
            }
        }
    }

    @Test
    void handlerExceptionCostsOnlyThatConnection() throws Exception {
        try (TestServer s = new TestServer(0, b -> b.loops(1));
                Client bad = new Client(s.address());
                Client good = new Client(s.address())) {
            good.send("one\n");
            assertEquals("one", good.readLine());
            bad.send("BOOM\n");
            assertTrue(bad.closedByPeer());
            assertEquals(CloseCause.HANDLER_ERROR, nextClose(s));
            assertEquals("boom (test)", logs.expect(System.Logger.Level.WARNING, "handler failed; closing connection")
                    .getThrown().getMessage());
            good.send("two\n");
            assertEquals("two", good.readLine());
        }
    }

    @Test
    void maxConnectionsRefusesNewOnesCleanly() throws Exception {
        try (TestServer s = new TestServer(0, b -> b.maxConnections(3))) {
            List<Client> clients = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Client c = new Client(s.address());
                c.send("x\n");
                assertEquals("x", c.readLine());
                clients.add(c);
            }
            try (Client refused = new Client(s.address())) {
                assertTrue(refused.closedByPeer());
            }
            assertEquals(1, s.driver.refusedConnections());
            assertEquals(0, s.driver.evictedConnections(), "served connections are never evicted");
            clients.remove(0).close();
            assertEquals(CloseCause.GRACEFUL, nextClose(s)); // EOF -> "EOF" answer -> graceful close
            try (Client again = new Client(s.address())) {
                again.send("y\n");
                assertEquals("y", again.readLine());
            }
            for (Client c : clients) {
                c.close();
            }
        }
    }

    /** Connects and waits until the server has registered the connection (so ids follow the order of the calls). */
    private static Client connectRegistered(TestServer s, List<Client> clients, List<Connection> conns)
            throws Exception {
        Client c = new Client(s.address());
        clients.add(c);
        conns.add(nextOpened(s));
        return c;
    }

    private static CloseCause closeOf(TestServer s, Connection c) throws Exception {
        for (int i = 0; i < 1000 && !s.closeById.containsKey(c.id()); i++) {
            assertNotNull(s.closes.poll(GUARD_S, TimeUnit.SECONDS), "no onClose for " + c);
        }
        return s.closeById.get(c.id());
    }

    @Test
    void atTheCapANewConnectionTakesThePlaceOfTheOldestOneNotYetServed() throws Exception {
        try (TestServer s = new TestServer(0, b -> b.maxConnections(4).loops(2))) {
            List<Client> clients = new ArrayList<>();
            List<Connection> conns = new ArrayList<>();
            try {
                Client silent1 = connectRegistered(s, clients, conns);
                Client served = connectRegistered(s, clients, conns);
                served.send("hello\n");
                assertEquals("hello", served.readLine());
                Client silent3 = connectRegistered(s, clients, conns);
                Client silent4 = connectRegistered(s, clients, conns);
                // Exactly at the cap: the fourth was taken without closing anyone.
                assertEquals(4, s.driver.openConnections());
                assertEquals(0, s.driver.evictedConnections());
                assertEquals(0, s.driver.refusedConnections());

                // One more: the oldest connection that has not sent a line (silent1) makes room; the new one is served.
                Client fifth = connectRegistered(s, clients, conns);
                assertEquals(CloseCause.EVICTED, closeOf(s, conns.get(0)));
                assertTrue(silent1.closedByPeer());
                fifth.send("fifth\n");
                assertEquals("fifth", fifth.readLine());
                served.send("still\n");
                assertEquals("still", served.readLine());
                assertEquals(4, s.driver.openConnections());
                assertEquals(1, s.driver.evictedConnections());

                // Next: silent3, then silent4 (the served ones stay), whatever loop each is on.
                Client sixth = connectRegistered(s, clients, conns);
                assertEquals(CloseCause.EVICTED, closeOf(s, conns.get(2)));
                assertTrue(silent3.closedByPeer());
                sixth.send("sixth\n");
                assertEquals("sixth", sixth.readLine());
                Client seventh = connectRegistered(s, clients, conns);
                assertEquals(CloseCause.EVICTED, closeOf(s, conns.get(3)));
                assertTrue(silent4.closedByPeer());
                seventh.send("seventh\n");
                assertEquals("seventh", seventh.readLine());
                assertEquals(3, s.driver.evictedConnections());
                assertEquals(0, s.driver.refusedConnections());
                assertEquals(4, s.driver.openConnections());
                int unserved = 0;
                for (EventLoop l : s.driver.loops()) {
                    unserved += onLoop(l, l::unservedCount);
                }
                assertEquals(0, unserved, "every open connection has sent a line");

                // Every open connection served: a new one is refused, nobody is closed for it.
                try (Client refused = new Client(s.address())) {
                    assertTrue(refused.closedByPeer());
                }
                assertEquals(1, s.driver.refusedConnections());
                assertEquals(3, s.driver.evictedConnections());
                for (Client c : List.of(served, fifth, sixth, seventh)) {
                    c.send("alive\n");
                    assertEquals("alive", c.readLine());
                }
            } finally {
                for (Client c : clients) {
                    c.close();
                }
            }
        }
    }

    @Test
    void servedAndClosedConnectionsLeaveTheUnservedListInAcceptOrder() throws Exception {
        try (TestServer s = new TestServer(0, b -> b.loops(1))) {
            List<Client> clients = new ArrayList<>();
            List<Connection> conns = new ArrayList<>();
            try {
                for (int i = 0; i < 5; i++) {
                    connectRegistered(s, clients, conns);
                }
                EventLoop loop = s.driver.loops().get(0);
                assertEquals(5, (int) onLoop(loop, loop::unservedCount));
                assertEquals(conns.get(0).id(), (long) onLoop(loop, loop::oldestUnservedId));
                // Serve the oldest, close the middle one, serve the newest: the oldest left is the second.
                clients.get(0).send("a\n");
                assertEquals("a", clients.get(0).readLine());
                clients.get(2).close();
                assertEquals(CloseCause.GRACEFUL, closeOf(s, conns.get(2)));
                clients.get(4).send("b\n");
                assertEquals("b", clients.get(4).readLine());
                assertEquals(2, (int) onLoop(loop, loop::unservedCount));
                assertEquals(conns.get(1).id(), (long) onLoop(loop, loop::oldestUnservedId));
                assertFalse(onLoop(loop, conns.get(1)::isServed));
                assertTrue(onLoop(loop, conns.get(0)::isServed));
                clients.get(1).send("c\n");
                assertEquals("c", clients.get(1).readLine());
                clients.get(3).send("d\n");
                assertEquals("d", clients.get(3).readLine());
                assertEquals(0, (int) onLoop(loop, loop::unservedCount));
                assertEquals(Long.MAX_VALUE, (long) onLoop(loop, loop::oldestUnservedId));
            } finally {
                for (Client c : clients) {
                    c.close();
                }
            }
        }
    }

    @Test
    void aConnectionNotYetServedStaysACandidateForEvictionOnTheLoopItMovesTo() throws Exception {
        try (TestServer s = new TestServer(0, b -> b.loops(2)); Client c = new Client(s.address())) {
            Connection conn = nextOpened(s);
            EventLoop from = conn.loop();
            EventLoop to = s.driver.loops().get(from.index() == 0 ? 1 : 0);
            assertEquals(1, (int) onLoop(from, from::unservedCount));
            onLoop(from, () -> {
                conn.transferTo(to);
                return null;
            });
            assertEquals(0, (int) onLoop(from, from::unservedCount));
            assertEquals(Long.MAX_VALUE, (long) onLoop(from, from::oldestUnservedId));
            assertEquals(1, (int) onLoop(to, to::unservedCount));
            assertEquals(conn.id(), (long) onLoop(to, to::oldestUnservedId));
            c.send("moved\n");
            assertEquals("moved", c.readLine());
            assertEquals(0, (int) onLoop(to, to::unservedCount), "served on its new loop");
        }
    }

    @Test
    void listensOnSeveralAddresses() throws Exception {
        DriverConfig config = DriverConfig.builder()
                .listen(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))
                .listen(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))
                .loops(1)
                .build();
        ConnectionHandler echo = (conn, src, now) -> conn.write(src);
        try (NioDriver d = new NioDriver(config, c -> echo).start()) {
            assertEquals(2, d.boundAddresses().size());
            assertTrue(d.boundAddresses().get(0).getPort() != d.boundAddresses().get(1).getPort());
            for (InetSocketAddress a : d.boundAddresses()) {
                try (Client c = new Client(a)) {
                    c.send("hi\n");
                    assertEquals("hi", c.readLine());
                }
            }
        }
    }

    @Test
    void echoingTheReadBufferItselfCopiesIt() throws Exception {
        DriverConfig config = DriverConfig.builder()
                .listen(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0))
                .loops(1)
                .readBufferSize(4096)
                .chunkSize(1024)
                .build();
        ConnectionHandler echo = (conn, src, now) -> conn.write(src);
        byte[] data = new byte[1024 * 1024];
        new java.util.Random(5).nextBytes(data);
        try (NioDriver d = new NioDriver(config, c -> echo).start(); Client c = new Client(d.boundAddresses().get(0))) {
            c.socket.getOutputStream().write(data);
            assertArrayEquals(data, c.readN(data.length));
        }
    }

    @Test
    void waterMarksAndHardLimitAtTheirEdges() throws Exception {
        long low = 1000;
        long high = 4000;
        long hard = 10_000;
        try (TestServer s = new TestServer(0, b -> b.writeWaterMarks(low, high).writeHardLimitBytes(hard).chunkSize(1024));
                Client c = new Client(s.address())) {
            Connection conn = nextOpened(s);
            // Within one loop command nothing is flushed, so the queue is exactly what was written.
            List<Object> seen = onLoop(conn.loop(), () -> {
                List<Object> r = new ArrayList<>();
                conn.write(ByteBuffer.wrap(new byte[(int) high]));
                r.add(conn.queuedBytes());
                r.add(conn.isWritable());
                conn.write(ByteBuffer.wrap(new byte[1]));
                r.add(conn.isWritable());
                conn.write(ByteBuffer.wrap(new byte[(int) (hard - high - 1)]));
                r.add(conn.queuedBytes());
                r.add(conn.isOpen());
                ByteBuffer b = conn.writeBuffer(1);
                b.put((byte) 1);
                conn.commitWrite();
                r.add(conn.isOpen());
                r.add(conn.closeCause());
                return r;
            });
            assertEquals(List.of(high, true, false, hard, true, false, CloseCause.OUTPUT_LIMIT), seen);
            assertEquals(CloseCause.OUTPUT_LIMIT, nextClose(s));
        }
    }

    @Test
    void handlerSwappedOutsideAReadGetsRetainedBytesAtOnce() throws Exception {
        try (TestServer s = new TestServer(0, b -> { }); Client c = new Client(s.address())) {
            Connection conn = nextOpened(s);
            c.send("ping\nhalf");
            assertEquals("ping", c.readLine());
            assertEquals(4, (int) onLoop(conn.loop(), conn::retainedBytes));
            int presented = onLoop(conn.loop(), () -> {
                int[] n = new int[1];
                conn.setHandler((cc, src, now) -> {
                    n[0] = src.remaining();
                    src.position(src.limit());
                    cc.write(ByteBuffer.wrap("took\n".getBytes(StandardCharsets.US_ASCII)));
                });
                return n[0];
            });
            assertEquals(4, presented);
            assertEquals("took", c.readLine());
            assertFalse(onLoop(conn.loop(), conn::holdsBuffer));
        }
    }

    @Test
    void writeBufferLargerThanAChunkAndGatheredExternalBuffers() throws Exception {
        try (TestServer s = new TestServer(0, b -> b.chunkSize(1024)); Client c = new Client(s.address())) {
            Connection conn = nextOpened(s);
            byte[] big = new byte[5000];
            java.util.Arrays.fill(big, (byte) 'b');
            onLoop(conn.loop(), () -> {
                ByteBuffer w = conn.writeBuffer(3000);
                assertTrue(w.remaining() >= 3000);
                for (int i = 0; i < 3000; i++) {
                    w.put((byte) 'a');
                }
                conn.commitWrite();
                conn.write(ByteBuffer.wrap(big)); // by reference, gathered
                conn.write(ByteBuffer.wrap("c\n".getBytes(StandardCharsets.US_ASCII))); // copied
                return null;
            });
            String line = c.readLine();
            assertEquals("a".repeat(3000) + "b".repeat(5000) + "c", line);
        }
    }

    @Test
    void outputQueuedByManyConnectionsInOnePassReusesAFewChunks() throws Exception {
        try (TestServer s = new TestServer(0, b -> b.loops(1))) {
            int n = 300;
            List<Client> clients = new ArrayList<>();
            List<Connection> conns = new ArrayList<>();
            try {
                for (int i = 0; i < n; i++) {
                    clients.add(new Client(s.address()));
                    conns.add(nextOpened(s));
                }
                EventLoop loop = s.driver.loops().get(0);
                long before = onLoop(loop, () -> loop.pool().allocated());
                // One command, so one pass: every connection queues output before the end-of-pass flush.
                long passes = onLoop(loop, () -> {
                    long pass = loop.passes();
                    for (int i = 0; i < n; i++) {
                        ByteBuffer w = conns.get(i).writeBuffer(16);
                        w.put(("to " + conns.get(i).id() + "\n").getBytes(StandardCharsets.US_ASCII));
                        conns.get(i).commitWrite();
                    }
                    assertEquals(pass, loop.passes(), "all written in one pass");
                    return loop.pool().allocated();
                });
                assertTrue(passes - before <= 2, "chunks allocated for 300 small outputs in one pass: " + (passes - before));
                for (int i = 0; i < n; i++) {
                    assertEquals("to " + conns.get(i).id(), clients.get(i).readLine());
                }
                assertTrue(onLoop(loop, () -> loop.pool().pooled()) <= 2);
                for (Connection c : conns) {
                    assertFalse(onLoop(loop, c::holdsQueueArrays), "a drained connection gave its queue arrays back");
                }
                assertTrue(onLoop(loop, () -> loop.spareQueues) >= 1);
            } finally {
                for (Client c : clients) {
                    c.close();
                }
            }
        }
    }

    @Test
    void selectorRebuildKeepsConnectionsWorking() throws Exception {
        try (TestServer s = new TestServer(0, b -> b.loops(1)); Client c = new Client(s.address())) {
            c.send("before\n");
            assertEquals("before", c.readLine());
            EventLoop loop = s.driver.loops().get(0);
            onLoop(loop, () -> {
                loop.rebuildSelector();
                return null;
            });
            c.send("after\n");
            assertEquals("after", c.readLine());
            try (Client late = new Client(s.address())) {
                late.send("new\n");
                assertEquals("new", late.readLine());
            }
        }
    }

    @Test
    void loopLocalsAndCommands() throws Exception {
        LoopLocal<StringBuilder> scratch = LoopLocal.withInitial(StringBuilder::new);
        try (TestServer s = new TestServer(0, b -> { })) {
            EventLoop a = s.driver.loops().get(0);
            EventLoop b = s.driver.loops().get(1);
            assertFalse(a.inEventLoop());
            StringBuilder sa = onLoop(a, () -> a.local(scratch));
            StringBuilder sa2 = onLoop(a, () -> a.local(scratch));
            StringBuilder sb = onLoop(b, () -> b.local(scratch));
            assertTrue(sa == sa2 && sa != sb);
            assertTrue(onLoop(a, a::inEventLoop));
        }
    }

    @Test
    void commandsWakeTheLoopOncePerBatchAndRunBoundedPerPass() throws Exception {
        try (TestServer s = new TestServer(0, b -> b.loops(1).commandsPerPass(10))) {
            EventLoop loop = s.driver.loops().get(0);
            CountDownLatch busy = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            loop.execute(() -> {
                busy.countDown();
                try {
                    release.await(GUARD_S, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertTrue(busy.await(GUARD_S, TimeUnit.SECONDS));
            long wakeupsBefore = loop.selectorWakeups();
            int n = 25;
            long[] passOf = new long[n];
            CountDownLatch done = new CountDownLatch(n);
            for (int i = 0; i < n; i++) {
                int k = i;
                loop.execute(() -> {
                    passOf[k] = loop.passes();
                    done.countDown();
                });
            }
            assertTrue(loop.selectorWakeups() - wakeupsBefore <= 1, "one wakeup for the whole batch");
            release.countDown();
            assertTrue(done.await(GUARD_S, TimeUnit.SECONDS));
            java.util.Map<Long, Integer> perPass = new java.util.HashMap<>();
            for (long p : passOf) {
                perPass.merge(p, 1, Integer::sum);
            }
            for (int count : perPass.values()) {
                assertTrue(count <= 10, "commands in one pass: " + perPass);
            }
            assertTrue(perPass.size() >= 3, "25 commands at 10 per pass need 3 passes: " + perPass);
            for (int i = 1; i < n; i++) {
                assertTrue(passOf[i] >= passOf[i - 1], "submission order");
            }
        }
    }

    @Test
    void suspendedReadingDeliversNothingUntilResumed() throws Exception {
        try (TestServer s = new TestServer(0, b -> b.loops(1));
                Client a = new Client(s.address());
                Client other = new Client(s.address())) {
            Connection conn = nextOpened(s);
            other.send("warm\n");
            assertEquals("warm", other.readLine());
            onLoop(conn.loop(), () -> {
                conn.setReadEnabled(false);
                return null;
            });
            a.send("held\n");
            for (int i = 0; i < 3; i++) { // several passes of the same loop go by
                other.send("pass\n");
                assertEquals("pass", other.readLine());
            }
            assertFalse(onLoop(conn.loop(), conn::isReadEnabled));
            assertEquals(0, (int) onLoop(conn.loop(), conn::retainedBytes));
            assertEquals(0, a.socket.getInputStream().available(), "nothing echoed while suspended");
            onLoop(conn.loop(), () -> {
                conn.setReadEnabled(true);
                return null;
            });
            assertEquals("held", a.readLine());
        }
    }

    @Test
    void configRejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> DriverConfig.builder().build());
        InetSocketAddress a = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        assertThrows(IllegalArgumentException.class, () -> DriverConfig.builder().listen(a).writeWaterMarks(10, 5).build());
        assertThrows(IllegalArgumentException.class, () -> DriverConfig.builder().listen(a).loops(0).build());
        assertThrows(IllegalArgumentException.class,
                () -> DriverConfig.builder().listen(a).writeWaterMarks(0, 100).writeHardLimitBytes(50).build());
    }

}
