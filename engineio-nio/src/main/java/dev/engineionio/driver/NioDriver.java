package dev.engineionio.driver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The NIO driver: {@link DriverConfig#loops()} {@link EventLoop}s, listen sockets on every configured address, and
 * accepted connections spread over the loops round-robin, each given a handler by the {@link HandlerFactory}. The only
 * part of engineio-nio that touches {@code java.nio.channels} or reads a clock; it knows no protocol.
 *
 * <h2>Accepting</h2>
 * One acceptor: every listen socket is registered with loop 0's selector, which accepts and hands each channel to the
 * next loop as a command (or registers it itself).
 *
 * <h2>At the connection cap</h2>
 * At {@link DriverConfig#maxConnections()} open connections a new one takes the place of the oldest connection that
 * its handler has not yet marked {@link Connection#markServed() served} (an HTTP connection whose first request head
 * has not arrived): that one is closed ({@link CloseCause#EVICTED}, counted in {@link #evictedConnections()}) and the
 * new one registered in its slot, so the count never passes the cap. Each loop keeps its unserved connections in an
 * intrusive list in accept order (O(1) to add, remove and take the oldest) and publishes the id of its oldest; the
 * acceptor picks the loop with the smallest and hands the new channel to it (connection ids are given at accept, in
 * accept order, so this is the oldest over all loops, give or take a race). While {@value #MAX_EVICTIONS_IN_FLIGHT}
 * new channels are already on their way to other loops (a burst; the bound keeps their descriptors bounded), the
 * acceptor's own loop evicts its oldest instead. Served connections are never evicted. When no connection is
 * unserved, the new one is accepted and closed at once (counted in {@link #refusedConnections()}): the peer gets a
 * prompt EOF rather than a hang in the backlog, and the listen socket keeps draining.
 *
 * <h2>Shutdown</h2>
 * {@link #close(long)}: stop accepting (the listen sockets are closed first, before anything else: once the
 * connections hear of the shutdown a connect is refused), then on each loop {@link HandlerFactory#onShutdown} and
 * {@link ConnectionHandler#onShutdown} on every connection (default: {@code closeAfterFlush()}); let the loops run
 * until their connections have closed or the grace period has passed on the driver clock, then {@link
 * HandlerFactory#onShutdownEnd}, close what is left ({@link CloseCause#SHUTDOWN}) and end the threads. The caller
 * waits at most the grace period plus one second of wall-clock time, then forces the loops to stop, waiting at most
 * two more seconds. {@link #close()} is {@code close(}{@link DriverConfig#shutdownGraceNs()}{@code )}. Idempotent
 * (a second call returns at once) and safe from any thread; called from a loop thread it starts the shutdown and
 * returns without waiting (a loop cannot wait for itself).
 *
 * <h2>Threads</h2>
 * {@link #start()}, {@link #close()} and the getters are for any thread.
 */
public final class NioDriver implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(NioDriver.class.getName());

    private final DriverConfig config;
    private final HandlerFactory handlerFactory;
    private final EventLoop[] loops;
    private final List<ServerSocketChannel> servers = new ArrayList<>();
    /** Published once the binds succeed: an immutable list, read from any thread. */
    private volatile List<InetSocketAddress> bound = List.of();
    private final AtomicInteger openConnections = new AtomicInteger();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong evicted = new AtomicLong();
    /** Channels accepted at the cap and on their way to the loop that evicts for them (bounds their descriptors). */
    private final AtomicInteger evictionsInFlight = new AtomicInteger();
    /** New channels that may be on their way to take an evicted connection's place at once. */
    static final int MAX_EVICTIONS_IN_FLIGHT = 64;

    /**
     * Wall-clock guard of {@link #close(long)} against a stuck loop: the wait for the listen sockets to close, and
     * what the loops get beyond the grace (twice this after being forced).
     */
    private static final long LOOP_STOP_GUARD_NS = 1_000_000_000L;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private int nextLoop;

    /** Creates the loops (threads not yet started). */
    public NioDriver(DriverConfig config, HandlerFactory handlerFactory) throws IOException {
        this.config = java.util.Objects.requireNonNull(config, "config");
        this.handlerFactory = java.util.Objects.requireNonNull(handlerFactory, "handlerFactory");
        this.loops = new EventLoop[config.loops()];
        for (int i = 0; i < loops.length; i++) {
            loops[i] = new EventLoop(this, config, i);
        }
    }

    /**
     * Binds every listen address, starts the loops and begins accepting. On a bind failure everything opened so far is
     * closed and the exception thrown; a {@link java.net.BindException} names the address, e.g. {@code cannot listen
     * on 127.0.0.1:3000: Address already in use} (the JDK's own says only {@code Address already in use}).
     *
     * @return this
     */
    public NioDriver start() throws IOException {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("already started");
        }
        List<InetSocketAddress> binding = new ArrayList<>();
        try {
            for (InetSocketAddress address : config.listen()) {
                ServerSocketChannel server = ServerSocketChannel.open();
                servers.add(server);
                server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                try {
                    server.bind(address, config.backlog());
                } catch (java.net.BindException e) {
                    java.net.BindException named = new java.net.BindException(
                            "cannot listen on " + describe(address) + ": " + e.getMessage());
                    named.initCause(e);
                    throw named;
                }
                server.configureBlocking(false);
                java.util.function.Supplier<javax.net.ssl.SSLEngine> tls = config.listenTls().get(servers.size() - 1);
                if (tls != null) {
                    tlsByServer.put(server, tls);
                }
                binding.add((InetSocketAddress) server.getLocalAddress());
            }
        } catch (IOException | RuntimeException e) {
            for (ServerSocketChannel s : servers) {
                try {
                    s.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            servers.clear();
            started.set(false); // not started: close() stops the (never started) loops at once
            throw e;
        }
        bound = List.copyOf(binding);
        for (EventLoop loop : loops) {
            loop.start();
        }
        EventLoop acceptor = loops[0];
        List<ServerSocketChannel> toRegister = List.copyOf(servers);
        acceptor.execute(() -> {
            for (ServerSocketChannel s : toRegister) {
                try {
                    acceptor.addServer(s);
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.ERROR, "cannot register listen socket " + s, e);
                }
            }
        });
        return this;
    }

    /** {@code 127.0.0.1:3000}, {@code [::1]:3000}: the IP literal (the name when unresolved); no name lookup. */
    static String describe(InetSocketAddress a) {
        String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** The actually bound addresses (with the chosen port when 0 was asked), in configuration order. */
    public List<InetSocketAddress> boundAddresses() {
        return bound;
    }

    public DriverConfig config() {
        return config;
    }

    /** The loops, index order. */
    public List<EventLoop> loops() {
        return List.of(loops);
    }

    /** Open connections (reserved at accept, released at close). */
    public int openConnections() {
        return openConnections.get();
    }

    /** Connections refused at {@link DriverConfig#maxConnections()} (no unserved connection to take the place of). */
    public long refusedConnections() {
        return refused.get();
    }

    /**
     * Connections closed at {@link DriverConfig#maxConnections()} to make room for a new one ({@link
     * CloseCause#EVICTED}).
     */
    public long evictedConnections() {
        return evicted.get();
    }

    /** Connections accepted under the cap (refused ones, and ones that took an evicted one's place, not counted). */
    public long acceptedConnections() {
        return accepted.get();
    }

    /** TLS engine factories of the TLS listen sockets; filled before the loops start, then only read. */
    private final java.util.Map<ServerSocketChannel, java.util.function.Supplier<javax.net.ssl.SSLEngine>> tlsByServer =
            new java.util.IdentityHashMap<>();

    /** The TLS engine factory of a listen socket, or null for a plain one; the acceptor loop. */
    java.util.function.Supplier<javax.net.ssl.SSLEngine> tlsFor(ServerSocketChannel server) {
        return tlsByServer.get(server);
    }

    HandlerFactory handlerFactory() {
        return handlerFactory;
    }

    boolean tryReserveConnection() {
        while (true) {
            int n = openConnections.get();
            if (n >= config.maxConnections()) {
                return false;
            }
            if (openConnections.compareAndSet(n, n + 1)) {
                accepted.incrementAndGet();
                return true;
            }
        }
    }

    void connectionClosed() {
        openConnections.decrementAndGet();
    }

    void connectionRefused() {
        refused.incrementAndGet();
    }

    void connectionEvicted() {
        evicted.incrementAndGet();
    }

    /** The loop whose oldest unserved connection is the oldest of all, or null when no loop has one; acceptor. */
    EventLoop loopWithOldestUnserved() {
        EventLoop best = null;
        long bestId = Long.MAX_VALUE;
        for (EventLoop l : loops) {
            long id = l.oldestUnservedId();
            if (id < bestId) {
                bestId = id;
                best = l;
            }
        }
        return best;
    }

    /** Counts a channel on its way to take an evicted connection's place; false at the bound. Acceptor. */
    boolean tryBeginEviction() {
        if (evictionsInFlight.get() >= MAX_EVICTIONS_IN_FLIGHT) {
            return false;
        }
        evictionsInFlight.incrementAndGet();
        return true;
    }

    void evictionEnded() {
        evictionsInFlight.decrementAndGet();
    }

    int loopCount() {
        return loops.length;
    }

    /** Round-robin; called on the acceptor loop only. */
    EventLoop nextLoop() {
        EventLoop l = loops[nextLoop];
        nextLoop = nextLoop + 1 == loops.length ? 0 : nextLoop + 1;
        return l;
    }

    private final AtomicLong connectionIds = new AtomicLong();

    long nextConnectionId() {
        return connectionIds.incrementAndGet();
    }

    /** Graceful shutdown with {@link DriverConfig#shutdownGraceNs()}; see the class Javadoc. */
    @Override
    public void close() {
        close(config.shutdownGraceNs());
    }

    /**
     * Graceful shutdown, bounded in time; see the class Javadoc. Returns once every loop has stopped (or, called
     * on a loop thread, at once).
     *
     * @param graceNs time the connections get to close, on the driver clock; 0 closes them at once
     * @throws IllegalArgumentException if {@code graceNs} is negative
     */
    public void close(long graceNs) {
        if (graceNs < 0) {
            throw new IllegalArgumentException("shutdown grace must be >= 0: " + graceNs);
        }
        if (!closed.compareAndSet(false, true)) {
            awaitLoops(0);
            return;
        }
        if (!started.get()) {
            for (EventLoop loop : loops) {
                loop.start();
            }
        }
        boolean onLoop = false;
        for (EventLoop loop : loops) {
            onLoop |= loop.inEventLoop();
        }
        stopAccepting(!onLoop);
        for (EventLoop loop : loops) {
            loop.offer(() -> loop.beginShutdown(graceNs));
        }
        if (onLoop) {
            return; // a loop cannot wait for itself; the others finish on their own
        }
        long waitNs = graceNs + LOOP_STOP_GUARD_NS;
        if (!awaitLoops(waitNs)) {
            LOG.log(System.Logger.Level.WARNING, "event loops still running after "
                    + Duration.ofNanos(waitNs).toMillis() + " ms; forcing them");
            for (EventLoop loop : loops) {
                loop.forceStop();
            }
            if (!awaitLoops(2 * LOOP_STOP_GUARD_NS)) {
                LOG.log(System.Logger.Level.ERROR, "event loops did not stop");
            }
        }
        // Listen sockets are closed by loop 0; close them here too in case it never ran.
        for (ServerSocketChannel s : servers) {
            try {
                s.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing a listen socket failed", e);
            }
        }
    }

    /**
     * Closes the listen sockets on the acceptor loop (their keys belong to its selector); with {@code wait}, returns
     * once they are closed (a failure guard of one second for a loop that does not answer: then they are closed
     * from here).
     */
    private void stopAccepting(boolean wait) {
        EventLoop acceptor = loops[0];
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        boolean queued = acceptor.offer(() -> {
            acceptor.closeServersNow();
            done.countDown();
        });
        if (!wait || !queued) {
            return;
        }
        try {
            if (done.await(LOOP_STOP_GUARD_NS, TimeUnit.NANOSECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ServerSocketChannel s : servers) {
            try {
                s.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing a listen socket failed", e);
            }
        }
    }

    private boolean awaitLoops(long timeoutNs) {
        long deadline = System.nanoTime() + timeoutNs;
        try {
            for (EventLoop loop : loops) {
                long left = Math.max(0, deadline - System.nanoTime());
                if (!loop.awaitTermination(left)) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Whether every loop thread has ended. */
    public boolean isTerminated() {
        for (EventLoop loop : loops) {
            if (!loop.isTerminated()) {
                return false;
            }
        }
        return true;
    }
}
