package dev.engineionio.driver;

import dev.engineionio.timer.TimerWheel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLEngine;

/**
 * One event-loop thread: it owns a {@link Selector}, a {@link TimerWheel} of connection deadlines, one direct read
 * buffer, a {@link BufferPool} and every {@link Connection} registered with it. Nothing else touches them.
 *
 * <h2>Duty cycle</h2>
 * Each pass (after Aeron's agents): read the clock once; run at most {@link DriverConfig#commandsPerPass()} commands
 * from other threads; select ({@code selectNow(Consumer)} when work is pending, else {@code select(Consumer, timeout)}
 * with the timeout from the timer wheel, at most one second), handling ready keys through a {@link Consumer} held in a
 * field (no selected-key set iteration, no allocation); poll the timer wheel (at most {@link
 * DriverConfig#timersPerPass()} expiries); flush the connections that queued output during the pass with gathering
 * writes. After a blocking select the clock is read again before the first key is handled.
 *
 * <h2>Threads</h2>
 * {@link #execute(Runnable)}, {@link #offer(Runnable)}, {@link #wakeup()}, {@link #inEventLoop()}, {@link #index()}
 * are for any thread. Everything else ({@link #nowNs()}, {@link #local(LoopLocal)}, {@link #attachment()}, ...) is for
 * the loop thread only. Commands go through a {@link ConcurrentLinkedQueue} (multi-producer, single consumer; it
 * allocates one node per command, acceptable for cross-thread commands, which are not the per-message path of a
 * connection's own loop) and a wakeup issued once per batch: a producer wakes the selector only if it flips the
 * "wakeup pending" flag, which the loop clears at the start of each pass.
 *
 * <h2>First reads in arrival order</h2>
 * Loop 0 accepts every connection. With several loops and a handler factory that places connections
 * ({@link HandlerFactory#placesConnections}, as the HTTP server's does), a plain (not TLS) connection stays on loop 0
 * until its first request has been read there ({@link Connection#placement}); only then does it move to its home: the
 * loop owning the session that request names, or the next loop in round-robin order. So the first requests of new
 * connections are read by one thread, in the order the selector reports them ready (on Linux, the order their bytes arrived), as a
 * single-threaded server reads them: two requests of one session sent at once on two new connections reach the
 * session in arrival order. Without it, the second could be read on loop 0 while the first waited for another loop to
 * wake. The cost: a first request is parsed on loop 0 and again on its home loop, and a connection that moves changes
 * selectors once (as every non-acceptor connection did at accept before). TLS connections, whose handshakes are the
 * expensive part, go to their loop at accept; a connection accepted at the connection cap goes to the loop whose
 * oldest unserved connection it replaces.
 *
 * <h2>Selector lore</h2>
 * <ul>
 * <li>A key can be cancelled after it was selected (its channel closed by a handler of an earlier key in the same
 * pass): {@link CancelledKeyException} is caught where interest or ready sets are read, and the connection closed.
 * <li>The JDK epoll "spin" bug (JDK-6670302, JDK-6403933; Netty's {@code SELECTOR_AUTO_REBUILD_THRESHOLD}): a
 * blocking select that keeps returning at once with nothing selected and no wakeup. Fixed in modern JDKs, but cheap to
 * guard: after 512 such returns in a row the selector is rebuilt (keys re-registered on a new one). The check uses the
 * system clock, not the injected one, because it is about real elapsed time.
 * <li>EOF stays readable forever: {@code OP_READ} is removed when a read returns -1.
 * <li>A selector's key set is not thread-safe: channels are registered only on the loop thread (accepted channels are
 * handed over as commands).
 * </ul>
 */
public final class EventLoop implements Executor {

    private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());
    private static final long MAX_SELECT_WAIT_NS = java.time.Duration.ofSeconds(1).toNanos();
    private static final int SPIN_REBUILD_THRESHOLD = 512;
    private static final int ACCEPTS_PER_EVENT = 64;

    private static final int RUNNING = 0;
    private static final int SHUTTING_DOWN = 1;
    private static final int TERMINATED = 2;

    private final NioDriver driver;
    private final DriverConfig config;
    private final int index;
    private final NanoClock clock;
    private final Thread thread;
    private Selector selector;
    private final Queue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicLong selectorWakeups = new java.util.concurrent.atomic.AtomicLong();
    private long passes;
    private final TimerWheel<Object> wheel;
    private final TimerWheel.Handler<Object> timerHandler = EventLoop::onTimerExpiry;
    private final Consumer<SelectionKey> keyHandler = this::onSelectedKey;
    private final ByteBuffer readBuffer;
    private final BufferPool pool;
    private ByteBuffer scratch;
    private Connection[] flushQueue = new Connection[64];
    private int flushCount;
    /** Slots of a connection's output queue arrays when first made. */
    static final int QUEUE_SLOTS = 4;
    /**
     * Output queue arrays given back by connections whose queue emptied (see {@code Connection.queueEmptied}), taken
     * again by the next connection that queues output: an idle connection holds none. At most 1,024 pairs are kept.
     * Loop thread; used by {@link Connection} directly.
     */
    final ByteBuffer[][] spareOut = new ByteBuffer[1024][];
    final boolean[][] spareOwned = new boolean[1024][];
    int spareQueues;
    /** Queued connections before this index were already drained under pool pressure in this pass. */
    private int drainCursor;
    private Object[] locals = new Object[8];
    private Object attachment;
    private long nowNs;
    private boolean clockStale;
    private int liveConnections;
    /**
     * The connections of this loop not yet {@link Connection#markServed() served}, oldest first (accept order): an
     * intrusive doubly-linked list through the connections themselves, so linking, unlinking and taking the oldest are
     * O(1) and allocate nothing. Loop thread.
     */
    private Connection unservedHead;
    private Connection unservedTail;
    private int unservedCount;
    /**
     * The id of {@link #unservedHead}, or {@link Long#MAX_VALUE} when the list is empty: written (release) by this
     * loop when the head changes, read (acquire) by the acceptor at the connection cap to pick the loop that holds the
     * oldest unserved connection. One writer, no contention.
     */
    @SuppressWarnings("unused") // through OLDEST_UNSERVED
    private long oldestUnservedId = Long.MAX_VALUE;
    private static final java.lang.invoke.VarHandle OLDEST_UNSERVED;

    static {
        try {
            OLDEST_UNSERVED = java.lang.invoke.MethodHandles.lookup()
                    .findVarHandle(EventLoop.class, "oldestUnservedId", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    private volatile int state = RUNNING;
    private volatile boolean forceStop;
    private long shutdownDeadlineNs;
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final List<ServerSocketChannel> servers = new ArrayList<>();

    EventLoop(NioDriver driver, DriverConfig config, int index) throws IOException {
        this.driver = driver;
        this.config = config;
        this.index = index;
        this.clock = config.clock();
        this.selector = Selector.open();
        this.nowNs = clock.nanoTime();
        this.wheel = new TimerWheel<>(nowNs, config.timerTickNs(), config.timerTicksPerWheel(), 4);
        this.readBuffer = ByteBuffer.allocateDirect(config.readBufferSize());
        this.pool = new BufferPool(config.chunkSize(), config.maxPooledChunks());
        this.thread = new Thread(this::run, config.threadNamePrefix() + index);
    }

    void start() {
        thread.start();
    }

    /** This loop's position in the driver, 0-based; any thread. */
    public int index() {
        return index;
    }

    /** Whether the caller runs on this loop's thread; any thread. */
    public boolean inEventLoop() {
        return Thread.currentThread() == thread;
    }

    /**
     * Runs {@code command} on the loop thread (in submission order per submitting thread); any thread. Called on the
     * loop thread itself it is queued too (runs next pass), never run inline.
     *
     * @throws RejectedExecutionException once the loop has terminated
     */
    @Override
    public void execute(Runnable command) {
        if (!offer(command)) {
            throw new RejectedExecutionException("event loop " + index + " terminated");
        }
    }

    /** Like {@link #execute} but returns false instead of throwing once the loop has terminated; any thread. */
    public boolean offer(Runnable command) {
        if (command == null) {
            throw new NullPointerException("command");
        }
        if (state == TERMINATED) {
            return false;
        }
        commands.offer(command);
        if (!inEventLoop()) {
            wakeup();
        }
        return true;
    }

    /**
     * Makes the loop run a pass soon (once per batch: only the caller that flips the pending flag touches the
     * selector). Tests call it after advancing a fake clock; any thread.
     */
    public void wakeup() {
        if (wakeupPending.compareAndSet(false, true)) {
            selectorWakeups.incrementAndGet();
            selector.wakeup();
        }
    }

    /** Calls to {@code Selector.wakeup()} made so far (one per batch of commands); any thread. */
    long selectorWakeups() {
        return selectorWakeups.get();
    }

    /** Duty-cycle passes begun so far; loop thread. */
    long passes() {
        return passes;
    }

    /** The time read at the start of the current pass (driver clock, ns); loop thread. */
    public long nowNs() {
        return nowNs;
    }

    /** The value of a per-loop slot, made on first use; loop thread. */
    @SuppressWarnings("unchecked")
    public <T> T local(LoopLocal<T> key) {
        int i = key.index;
        if (i >= locals.length) {
            locals = java.util.Arrays.copyOf(locals, Math.max(i + 1, locals.length * 2));
        }
        Object v = locals[i];
        if (v == null) {
            v = key.initial.get();
            locals[i] = v;
        }
        return (T) v;
    }

    /** An untyped per-loop attachment for upper layers; loop thread. */
    public Object attachment() {
        return attachment;
    }

    public void attach(Object attachment) {
        this.attachment = attachment;
    }

    /** Connections registered with this loop and not yet closed; loop thread (racy elsewhere). */
    public int connectionCount() {
        return liveConnections;
    }

    /** Idle pooled chunks; loop thread. */
    int pooledChunks() {
        return pool.pooled();
    }

    DriverConfig config() {
        return config;
    }

    TimerWheel<Object> wheel() {
        return wheel;
    }

    private static void onTimerExpiry(long id, Object target, long nowNs) {
        if (target instanceof Connection) {
            ((Connection) target).onTimer(nowNs);
        } else {
            try {
                ((LoopTimer) target).onTimer(nowNs);
            } catch (Throwable t) {
                LOG.log(System.Logger.Level.WARNING, "loop timer failed", t);
            }
        }
    }

    /**
     * A timer of an upper layer on this loop (e.g. an Engine.IO session's earliest deadline), independent of any
     * connection. Called on the loop thread when due; the id is then no longer valid.
     */
    @FunctionalInterface
    public interface LoopTimer {
        /** The deadline passed ({@code nowNs} is the pass's time). An exception is logged and the loop carries on. */
        void onTimer(long nowNs);
    }

    /**
     * Schedules {@code timer} at {@code deadlineNs} (driver clock) on this loop's timer wheel; loop thread. Returns
     * the id for {@link #cancelTimer(long)}. No allocation in the steady state (one wheel entry).
     */
    public long schedule(long deadlineNs, LoopTimer timer) {
        if (timer == null) {
            throw new NullPointerException("timer");
        }
        return wheel.schedule(deadlineNs, timer);
    }

    /** Cancels a timer from {@link #schedule}; false if it already fired or was cancelled; loop thread. */
    public boolean cancelTimer(long timerId) {
        return wheel.cancel(timerId);
    }

    ByteBuffer readBuffer() {
        return readBuffer;
    }

    /** Ciphertext input and output buffers of TLS connections, made on first use (a loop with no TLS has none). */
    private ByteBuffer tlsIn;
    private ByteBuffer tlsOut;

    /** The loop's TLS ciphertext read buffer ({@link DriverConfig#readBufferSize()}); loop thread. */
    ByteBuffer tlsInBuffer() {
        if (tlsIn == null) {
            tlsIn = ByteBuffer.allocateDirect(config.readBufferSize());
        }
        return tlsIn;
    }

    /** The loop's TLS ciphertext write buffer ({@link DriverConfig#readBufferSize()}); loop thread. */
    ByteBuffer tlsOutBuffer() {
        if (tlsOut == null) {
            tlsOut = ByteBuffer.allocateDirect(config.readBufferSize());
        }
        return tlsOut;
    }

    BufferPool pool() {
        return pool;
    }

    /** A cleared throw-away buffer of at least {@code minBytes}, for writes to a closed connection. */
    ByteBuffer scratch(int minBytes) {
        if (scratch == null || scratch.capacity() < minBytes) {
            scratch = ByteBuffer.allocate(Math.max(minBytes, 256));
        }
        scratch.clear();
        return scratch;
    }

    /**
     * A pooled chunk for a connection's retained input or queued output. When the pool is empty and connections queued
     * output earlier in this pass, their output is written first (without callbacks, see {@link
     * Connection#drainQuietly()}) so that their chunks come back: a pass that answers many connections (a burst of
     * handshakes, the pings of one wheel tick) then reuses a few chunks instead of holding one per connection until
     * the end of the pass, and the pool (and the direct memory behind it) stays at what is really waiting for a slow
     * peer. The requester's own queue is not written here: what one handler call queues stays queued until the
     * flush. Loop thread.
     */
    ByteBuffer acquireChunk(Connection requester) {
        while (pool.pooled() == 0 && drainCursor < flushCount) {
            Connection c = flushQueue[drainCursor++];
            if (c != requester && c.loop() == this) {
                c.drainQuietly();
            }
        }
        return pool.acquire();
    }

    void queueFlush(Connection c) {
        if (flushCount == flushQueue.length) {
            flushQueue = java.util.Arrays.copyOf(flushQueue, flushCount * 2);
        }
        flushQueue[flushCount++] = c;
        c.flushQueued = true;
    }

    /** A connection of this loop left for another one (see {@link Connection#transferTo}); loop thread. */
    void connectionLeft(Connection c) {
        unlinkUnserved(c);
        liveConnections--;
    }

    /** Connections of this loop not yet served (candidates for eviction at the cap); loop thread. */
    public int unservedCount() {
        return unservedCount;
    }

    /** The id of this loop's oldest connection not yet served, or {@link Long#MAX_VALUE}; any thread (a snapshot). */
    long oldestUnservedId() {
        return (long) OLDEST_UNSERVED.getAcquire(this);
    }

    /** Appends {@code c} to the tail of the unserved list; loop thread. */
    void linkUnserved(Connection c) {
        c.unserved = true;
        c.nextUnserved = null;
        c.prevUnserved = unservedTail;
        if (unservedTail == null) {
            unservedHead = c;
            OLDEST_UNSERVED.setRelease(this, c.id());
        } else {
            unservedTail.nextUnserved = c;
        }
        unservedTail = c;
        unservedCount++;
    }

    /** Takes {@code c} off the unserved list if it is on it; O(1); loop thread. */
    void unlinkUnserved(Connection c) {
        if (!c.unserved) {
            return;
        }
        c.unserved = false;
        Connection p = c.prevUnserved;
        Connection n = c.nextUnserved;
        if (p == null) {
            unservedHead = n;
            OLDEST_UNSERVED.setRelease(this, n == null ? Long.MAX_VALUE : n.id());
        } else {
            p.nextUnserved = n;
        }
        if (n == null) {
            unservedTail = p;
        } else {
            n.prevUnserved = p;
        }
        c.prevUnserved = null;
        c.nextUnserved = null;
        unservedCount--;
    }

    /** A transfer failed (target terminated): the connection is counted here again, to be closed here. */
    void adoptBackForClose() {
        liveConnections++;
    }

    /**
     * Takes over a connection transferred from another loop: registers its channel with this selector and lets it
     * resume; loop thread (run as a command).
     */
    void adopt(Connection c, int interestOps, boolean hasDeadline, long deadlineNs, boolean wasUnserved) {
        liveConnections++; // counted here from now on, also when it is closed at once below
        if (state != RUNNING) {
            c.close(CloseCause.SHUTDOWN, null);
            return;
        }
        SelectionKey key;
        try {
            key = c.channel().register(selector, interestOps, c);
        } catch (IOException | RuntimeException e) {
            c.close(CloseCause.IO_ERROR, e);
            return;
        }
        c.adopted(key, hasDeadline, deadlineNs, wasUnserved);
    }

    void connectionClosed(Connection c) {
        unlinkUnserved(c);
        liveConnections--;
        if (!c.slotPassedOn) {
            driver.connectionClosed();
        }
    }

    // ------------------------------------------------------------------------------------------ the loop

    private void run() {
        try {
            while (true) {
                try {
                    if (!runPass()) {
                        break;
                    }
                } catch (Throwable t) {
                    // A loop never dies of one connection or one command: log and carry on.
                    LOG.log(System.Logger.Level.ERROR, "event loop " + index + " pass failed", t);
                }
            }
        } finally {
            terminate();
        }
    }

    /** One duty-cycle pass; false when the loop should stop. */
    private boolean runPass() throws IOException {
        passes++;
        nowNs = clock.nanoTime();
        wakeupPending.set(false);
        runCommands();
        if (state == SHUTTING_DOWN && shutdownComplete()) {
            endShutdown();
            return false;
        }
        if (flushCount > 0 || !commands.isEmpty()) {
            selector.selectNow(keyHandler);
        } else {
            long timeoutNs = wheel.nextExpiryUpperBoundNs(nowNs, MAX_SELECT_WAIT_NS) - nowNs;
            // Selector.select takes milliseconds: the loop's one conversion out of nanoseconds, rounded up so that
            // the wheel's next deadline has passed when it returns
            long selectTimeoutMs = (timeoutNs + 999_999) / 1_000_000;
            if (selectTimeoutMs <= 0) {
                selector.selectNow(keyHandler);
            } else {
                clockStale = true;
                long startReal = System.nanoTime();
                int selected = selector.select(keyHandler, selectTimeoutMs);
                if (clockStale) {
                    nowNs = clock.nanoTime();
                    clockStale = false;
                }
                checkSpin(selected, startReal, timeoutNs);
            }
        }
        wheel.poll(nowNs, timerHandler, config.timersPerPass());
        flushAll();
        return true;
    }

    private int prematureReturns;

    private void checkSpin(int selected, long startReal, long timeoutNs) throws IOException {
        if (Thread.interrupted()) {
            // An interrupt makes every select return at once; it is not the epoll bug. The loop is stopped by
            // commands, not interrupts: clear it and carry on.
            LOG.log(System.Logger.Level.DEBUG, "event loop " + index + " interrupted; ignoring");
            prematureReturns = 0;
            return;
        }
        if (selected == 0 && !wakeupPending.get() && commands.isEmpty()
                && System.nanoTime() - startReal < timeoutNs / 2) {
            if (++prematureReturns >= SPIN_REBUILD_THRESHOLD) {
                LOG.log(System.Logger.Level.WARNING, "selector returned early " + prematureReturns
                        + " times in a row; rebuilding it (epoll spin)");
                rebuildSelector();
            }
        } else {
            prematureReturns = 0;
        }
    }

    /** Moves every valid key to a new selector (the epoll-spin workaround); loop thread. */
    void rebuildSelector() throws IOException {
        prematureReturns = 0;
        Selector old = selector;
        Selector fresh = Selector.open();
        for (SelectionKey k : old.keys()) {
            try {
                if (!k.isValid()) {
                    continue;
                }
                int ops = k.interestOps();
                Object a = k.attachment();
                k.cancel();
                SelectionKey nk = k.channel().register(fresh, ops, a);
                if (a instanceof Connection) {
                    ((Connection) a).key = nk;
                }
            } catch (CancelledKeyException | IOException e) {
                if (k.attachment() instanceof Connection) {
                    ((Connection) k.attachment()).close(CloseCause.IO_ERROR, e);
                }
            }
        }
        selector = fresh;
        try {
            old.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the old selector failed", e);
        }
    }

    private void runCommands() {
        int limit = config.commandsPerPass();
        for (int i = 0; i < limit; i++) {
            Runnable r = commands.poll();
            if (r == null) {
                return;
            }
            try {
                r.run();
            } catch (Throwable t) {
                LOG.log(System.Logger.Level.WARNING, "event loop command failed", t);
            }
        }
    }

    private void onSelectedKey(SelectionKey k) {
        if (clockStale) {
            nowNs = clock.nanoTime();
            clockStale = false;
        }
        Object a = k.attachment();
        if (a instanceof Connection) {
            Connection c = (Connection) a;
            if (c.loop() != this) {
                return; // a stale key of a connection transferred away
            }
            if (k.isValid()) {
                c.onReady(k);
            } else {
                c.close(CloseCause.IO_ERROR, null);
            }
        } else if (a instanceof ServerSocketChannel) {
            accept((ServerSocketChannel) a);
        }
    }

    private void flushAll() {
        // Index loop: onWritable handlers may queue more connections while we go.
        for (int i = 0; i < flushCount; i++) {
            Connection c = flushQueue[i];
            flushQueue[i] = null;
            if (c.loop() != this) {
                continue; // transferred to another loop during this pass: that loop flushes it
            }
            c.flushQueued = false;
            if (c.isOpen()) {
                c.flush();
            }
        }
        flushCount = 0;
        drainCursor = 0;
    }

    // ------------------------------------------------------------------------------------------ accept and register

    /** The home of a connection placed now ({@link Connection#placement}): round-robin; the accepting loop only. */
    EventLoop nextLoopForPlacement() {
        return driver.nextLoop();
    }

    /** Registers a bound server channel for accepting on this loop; loop thread. */
    void addServer(ServerSocketChannel server) throws IOException {
        server.register(selector, SelectionKey.OP_ACCEPT, server);
        servers.add(server);
    }

    void closeServers() {
        for (ServerSocketChannel s : servers) {
            try {
                s.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing a listen socket failed", e);
            }
        }
        servers.clear();
    }

    private void accept(ServerSocketChannel server) {
        for (int i = 0; i < ACCEPTS_PER_EVENT; i++) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                // E.g. EMFILE: the pending connection stays in the backlog; log and let the next pass retry.
                LOG.log(System.Logger.Level.WARNING, "accept failed", e);
                return;
            }
            if (ch == null) {
                return;
            }
            Supplier<SSLEngine> tls = driver.tlsFor(server);
            if (!driver.tryReserveConnection()) {
                atCap(ch, tls);
                continue;
            }
            // A plain connection stays here until its first request is read (First reads in arrival order); a TLS one
            // goes to its loop at once, since its handshake is the expensive part and is not ordered anyway.
            boolean firstReadHere = tls == null && driver.loopCount() > 1
                    && driver.handlerFactory().placesConnections();
            EventLoop target = firstReadHere ? this : driver.nextLoop();
            if (target == this) {
                register(ch, driver.nextConnectionId(), tls, firstReadHere);
            } else if (!target.offer(new Handover(target, ch, driver.nextConnectionId(), false, tls))) {
                closeQuietly(ch);
                driver.connectionClosed();
            }
        }
    }

    /**
     * A connection accepted at {@link DriverConfig#maxConnections()}: it takes the place of the oldest connection not
     * yet served of the loop that holds the oldest one (each loop publishes the id of its oldest; ids are given at
     * accept, in accept order), on that loop's thread. When {@value NioDriver#MAX_EVICTIONS_IN_FLIGHT} new channels
     * are already on their way to other loops (a burst), it takes the place of this loop's oldest instead. Without any
     * (every open connection served) it is refused: closed at once, so the peer sees EOF instead of waiting in the
     * backlog. Acceptor loop.
     */
    private void atCap(SocketChannel ch, Supplier<SSLEngine> tls) {
        EventLoop victimLoop = driver.loopWithOldestUnserved();
        if (victimLoop != null && victimLoop != this && !driver.tryBeginEviction()) {
            // Too many on their way to other loops (a burst): take this loop's oldest instead, if it has one.
            victimLoop = unservedHead != null ? this : null;
        }
        if (victimLoop == null) {
            driver.connectionRefused(); // counted before the peer can see the close
            closeQuietly(ch);
            return;
        }
        long id = driver.nextConnectionId();
        if (victimLoop == this) {
            registerInPlaceOfOldest(ch, id, false, tls);
        } else if (!victimLoop.offer(new Handover(victimLoop, ch, id, true, tls))) {
            driver.evictionEnded();
            driver.connectionRefused();
            closeQuietly(ch);
        }
    }

    /**
     * Closes this loop's oldest connection not yet served ({@link CloseCause#EVICTED}) and registers {@code ch} in its
     * place, with its slot of the connection count; or refuses {@code ch} when there is none any more. {@code counted}:
     * {@code ch} was counted among the driver's evictions in flight (it came from the acceptor as a command). Loop
     * thread.
     */
    void registerInPlaceOfOldest(SocketChannel ch, long id, boolean counted, Supplier<SSLEngine> tls) {
        if (counted) {
            driver.evictionEnded();
        }
        Connection victim = unservedHead;
        if (victim == null || state != RUNNING) {
            driver.connectionRefused(); // counted before the peer can see the close
            closeQuietly(ch);
            return;
        }
        driver.connectionEvicted();
        victim.slotPassedOn = true;
        victim.close(CloseCause.EVICTED, null);
        register(ch, id, tls, false);
    }

    /**
     * Registers an accepted channel with this loop, behind a TLS filter when {@code tls} is not null, and unplaced
     * when {@code firstReadHere} (see "First reads in arrival order"); loop thread. The driver's connection count is
     * already raised.
     */
    void register(SocketChannel ch, long id, Supplier<SSLEngine> tls,
            boolean firstReadHere) {
        if (state != RUNNING) {
            closeQuietly(ch);
            driver.connectionClosed();
            return;
        }
        Connection c = new Connection(this, ch, id);
        c.unplaced = firstReadHere;
        SelectionKey key;
        try {
            ch.configureBlocking(false);
            ch.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
            key = ch.register(selector, SelectionKey.OP_READ, c);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "register failed", e);
            closeQuietly(ch);
            driver.connectionClosed();
            return;
        }
        liveConnections++;
        if (tls != null) {
            try {
                c.enableTls(tls.get(), config.tlsHandshakeTimeoutNs());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot create a TLS engine", e);
                c.init(key, null);
                c.close(CloseCause.IO_ERROR, e);
                return;
            }
        }
        linkUnserved(c);
        ConnectionHandler h;
        try {
            h = driver.handlerFactory().newHandler(c);
            if (h == null) {
                throw new NullPointerException("HandlerFactory returned null");
            }
        } catch (Throwable t) {
            c.init(key, null);
            c.handlerFailed(t);
            return;
        }
        c.init(key, h);
        try {
            h.onOpen(c, nowNs);
        } catch (Throwable t) {
            c.handlerFailed(t);
        }
    }

    /** A connection transferred to this loop ({@link Connection#transferTo}); closed if the loop terminates first. */
    static final class Adoption implements Runnable {
        final EventLoop target;
        final Connection connection;
        final int interestOps;
        final boolean hasDeadline;
        final long deadlineNs;
        final boolean wasUnserved;

        Adoption(EventLoop target, Connection connection, int interestOps, boolean hasDeadline, long deadlineNs,
                 boolean wasUnserved) {
            this.target = target;
            this.connection = connection;
            this.interestOps = interestOps;
            this.hasDeadline = hasDeadline;
            this.deadlineNs = deadlineNs;
            this.wasUnserved = wasUnserved;
        }

        @Override
        public void run() {
            target.adopt(connection, interestOps, hasDeadline, deadlineNs, wasUnserved);
        }
    }

    /**
     * An accepted channel on its way to another loop; recognised (and closed) if the target terminates first. With
     * {@code inPlaceOfOldest} it was accepted at the cap and takes the place of the target's oldest unserved
     * connection (no slot of the connection count reserved for it yet).
     */
    private static final class Handover implements Runnable {
        final EventLoop target;
        final SocketChannel channel;
        final long id;
        final boolean inPlaceOfOldest;
        final Supplier<SSLEngine> tls;

        Handover(EventLoop target, SocketChannel channel, long id, boolean inPlaceOfOldest, Supplier<SSLEngine> tls) {
            this.target = target;
            this.channel = channel;
            this.id = id;
            this.inPlaceOfOldest = inPlaceOfOldest;
            this.tls = tls;
        }

        @Override
        public void run() {
            if (inPlaceOfOldest) {
                target.registerInPlaceOfOldest(channel, id, true, tls);
            } else {
                target.register(channel, id, tls, false);
            }
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "close failed", e);
        }
    }

    // ------------------------------------------------------------------------------------------ shutdown

    /**
     * Closes this loop's listen sockets now: after this returns a connect is refused (a registered channel's socket
     * is only released when its key is deregistered, hence the select). Loop thread.
     */
    void closeServersNow() {
        if (servers.isEmpty()) {
            return;
        }
        closeServers();
        try {
            selector.selectNow(IGNORE_READY); // level-triggered: whatever is ready is reported again next pass
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "selectNow after closing the listen sockets failed", e);
        }
    }

    private static final java.util.function.Consumer<SelectionKey> IGNORE_READY = k -> { };

    /**
     * Starts the graceful shutdown of this loop, with {@code graceNs} for its connections to close; loop thread (sent
     * as a command).
     */
    void beginShutdown(long graceNs) {
        if (state != RUNNING) {
            return;
        }
        state = SHUTTING_DOWN;
        shutdownDeadlineNs = nowNs + graceNs;
        closeServers();
        try {
            driver.handlerFactory().onShutdown(this, nowNs);
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.ERROR, "shutdown hook failed on loop " + index, t);
        }
        for (Connection c : connections()) {
            if (c.isOpen()) {
                try {
                    c.handler().onShutdown(c, nowNs);
                } catch (Throwable t) {
                    c.handlerFailed(t);
                }
            }
        }
    }

    /** The shutdown is over: the handler factory's last word, one flush attempt, then {@link #terminate()}. */
    private void endShutdown() {
        try {
            driver.handlerFactory().onShutdownEnd(this, nowNs);
            flushAll();
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.ERROR, "shutdown end hook failed on loop " + index, t);
        }
    }

    void forceStop() {
        forceStop = true;
        wakeup();
    }

    private boolean shutdownComplete() {
        return liveConnections == 0 || forceStop || nowNs - shutdownDeadlineNs >= 0;
    }

    private List<Connection> connections() {
        List<Connection> list = new ArrayList<>();
        for (SelectionKey k : selector.keys()) {
            if (k.isValid() && k.attachment() instanceof Connection && ((Connection) k.attachment()).loop() == this) {
                list.add((Connection) k.attachment());
            }
        }
        return list;
    }

    private void terminate() {
        state = TERMINATED;
        java.util.Arrays.fill(flushQueue, null); // a terminated loop keeps no connection reachable
        flushCount = 0;
        drainCursor = 0;
        closeServers();
        for (Connection c : connections()) {
            c.close(CloseCause.SHUTDOWN, null);
        }
        // Commands that raced with termination: run none, but keep the count of reserved connections right.
        Runnable r;
        while ((r = commands.poll()) != null) {
            if (r instanceof Handover) {
                Handover h = (Handover) r;
                closeQuietly(h.channel);
                if (h.inPlaceOfOldest) {
                    driver.evictionEnded();
                    driver.connectionRefused();
                } else {
                    driver.connectionClosed();
                }
            } else if (r instanceof Adoption) {
                liveConnections++;
                ((Adoption) r).connection.close(CloseCause.SHUTDOWN, null);
            } else {
                LOG.log(System.Logger.Level.DEBUG, "dropping a command at loop termination: " + r);
            }
        }
        try {
            // A select deregisters the cancelled keys: a closed selector would keep them (and through their
            // attachments every connection) reachable for as long as this loop object is.
            selector.selectNow();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "final selectNow failed", e);
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the selector failed", e);
        }
        terminated.countDown();
    }

    boolean awaitTermination(long timeoutNs) throws InterruptedException {
        return terminated.await(timeoutNs, TimeUnit.NANOSECONDS);
    }

    boolean isTerminated() {
        return terminated.getCount() == 0;
    }

    @Override
    public String toString() {
        return "EventLoop#" + index;
    }
}
