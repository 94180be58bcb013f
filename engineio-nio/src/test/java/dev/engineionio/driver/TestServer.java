package dev.engineionio.driver;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/** A driver on 127.0.0.1:0 running {@link LineHandler}, recording what happens for assertions. */
final class TestServer implements AutoCloseable {

    final FakeClock clock = new FakeClock();
    final NioDriver driver;
    final long headerTimeoutNs;
    final BlockingQueue<Connection> opened = new LinkedBlockingQueue<>();
    final BlockingQueue<CloseCause> closes = new LinkedBlockingQueue<>();
    final Map<Long, CloseCause> closeById = new ConcurrentHashMap<>();
    final AtomicInteger timeouts = new AtomicInteger();
    final AtomicInteger writableEvents = new AtomicInteger();
    /** Largest queue seen by the backpressure-honouring FLOOD. */
    final AtomicLong maxQueued = new AtomicLong();
    /** Largest queue seen by the careless PUSH while the connection was still open. */
    final AtomicLong maxQueuedCareless = new AtomicLong();
    final CountDownLatch backpressured = new CountDownLatch(1);

    TestServer(long headerTimeoutNs, Consumer<DriverConfig.Builder> tweak) throws IOException {
        this.headerTimeoutNs = headerTimeoutNs;
        DriverConfig.Builder b = DriverConfig.builder()
                .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .loops(2)
                .clock(clock);
        tweak.accept(b);
        driver = new NioDriver(b.build(), c -> new LineHandler(this)).start();
    }

    InetSocketAddress address() {
        return driver.boundAddresses().get(0);
    }

    void opened(Connection c) {
        opened.add(c);
    }

    void closed(Connection c, CloseCause cause) {
        if (closeById.put(c.id(), cause) != null) {
            throw new AssertionError("onClose twice for " + c);
        }
        closes.add(cause);
    }

    void wakeAll() {
        for (EventLoop l : driver.loops()) {
            l.wakeup();
        }
    }

    @Override
    public void close() {
        driver.close();
    }
}
