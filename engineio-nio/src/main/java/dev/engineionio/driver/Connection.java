package dev.engineionio.driver;

import dev.engineionio.timer.TimerWheel;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One accepted TCP connection, owned by one {@link EventLoop}.
 *
 * <h2>Threads</h2>
 * Every method is for the owning loop's thread only (handlers are called there), except {@link #send(ByteBuffer)},
 * {@link #loop()}, {@link #id()} which any thread may call. Other threads reach a connection through
 * {@code connection.loop().execute(...)}.
 *
 * <h2>Memory</h2>
 * An idle connection (nothing retained, nothing queued) holds no buffer: input is read into the loop's shared read
 * buffer; a buffer of its own (a pooled {@link DriverConfig#chunkSize()} direct chunk, or a heap buffer when larger)
 * is taken only while a handler leaves bytes unconsumed or output is queued, and given back when drained.
 *
 * <h2>Input</h2>
 * See the buffer contract of {@link ConnectionHandler#onRead}. Limit: {@link DriverConfig#maxRetainedBytes()}.
 * Input backpressure: {@link #setReadEnabled(boolean)}.
 *
 * <h2>Output</h2>
 * Two ways, mixable, always sent in call order:
 * <ul>
 * <li>{@link #writeBuffer(int)} returns a buffer with at least {@code minBytes} free from {@code position()}; the
 * caller puts bytes into it (relative puts), then calls {@link #commitWrite()}. Nothing else may be written to this
 * connection in between, and the buffer must not be used after the commit. No allocation when the tail chunk has room
 * or the pool has one.
 * <li>{@link #write(ByteBuffer)} queues {@code [position, limit)} of an external buffer: small ones (at most 512
 * bytes) are copied at once, larger ones are queued by reference and sent with a gathering write; the driver then owns
 * the buffer until it is sent or the connection closes (the caller must not change it; pass a {@code duplicate()} of
 * a shared read-only buffer). The {@code src} of {@code onRead} is always copied.
 * <li>{@link #writeCopy(ByteBuffer)} always copies into pooled chunks.
 * </ul>
 * Output is flushed with gathering writes at the end of the loop pass (or at once with {@link #flush()}); when the
 * socket is full the connection waits for {@code OP_WRITE}. Backpressure: above {@link
 * DriverConfig#writeHighWaterBytes()} queued bytes {@link #isWritable()} is false, and {@link
 * ConnectionHandler#onWritable} is called when it drops to {@link DriverConfig#writeLowWaterBytes()}; above {@link
 * DriverConfig#writeHardLimitBytes()} the connection is closed ({@link CloseCause#OUTPUT_LIMIT}). On a closed
 * connection writes are dropped silently ({@code writeBuffer} then returns a loop scratch buffer).
 *
 * <h2>TLS</h2>
 * A connection accepted on a TLS listener ({@link DriverConfig.Builder#listenTls}) has a {@link TlsFilter} between
 * its channel and its handler: the handler reads and writes plaintext under the same contract (input, output, water
 * marks, limits and close behave as above, on plaintext), and {@link #isTls()} tells it apart. Ciphertext goes through
 * the loop's TLS buffers; the connection keeps a buffer of its own only for a partial record or encrypted output the
 * socket did not take. A graceful close sends close_notify before the TCP shutdown; the peer's close_notify is its
 * {@link ConnectionHandler#onEof}; an EOF without it closes with {@link CloseCause#IO_ERROR}. The TLS code of this
 * class is in one section ("TLS filter") with five call-ins from the plain path.
 *
 * <h2>Deadline</h2>
 * One deadline per connection ({@link #setDeadline(long)}), held as one timer-wheel entry; {@link
 * ConnectionHandler#onTimeout} when it passes. An upper layer with several timers keeps its own table and sets its
 * earliest. {@link #closeAfterFlush()} takes the deadline over for its linger timeout.
 *
 * <h2>Close</h2>
 * {@link #close()} is abortive (queued output discarded). {@link #closeAfterFlush()} is graceful: stop delivering
 * input, flush, shut our output down, wait for the peer's EOF (input is read and discarded meanwhile, so the kernel
 * does not answer unread data with a reset that could destroy our last response), then close; bounded by {@link
 * DriverConfig#lingerTimeoutNs()}. Peer EOF is {@link ConnectionHandler#onEof}. {@link ConnectionHandler#onClose} is
 * called exactly once.
 */
public final class Connection {

    private static final System.Logger LOG = System.getLogger(Connection.class.getName());

    /** External buffers up to this size are copied into the chunk queue rather than queued by reference. */
    static final int COPY_THRESHOLD = 512;
    /** Entries per gathering write (Linux IOV_MAX is 1024). */
    private static final int MAX_GATHER = 1024;
    /** Handler swaps allowed within one delivery before it is taken as a handler bug. */
    private static final int MAX_SWAPS_PER_READ = 16;

    /** Volatile: a transfer ({@link #transferTo}) changes it, and the old loop reads it to skip the connection. */
    private volatile EventLoop loop;
    private final SocketChannel channel;
    private final long id;
    SelectionKey key;
    private ConnectionHandler handler;
    private Object attachment;

    // input
    /** Retained input, in read mode [0, limit) between calls; null when nothing is retained. */
    private ByteBuffer inBuf;
    private boolean inRead;
    private boolean inputClosed;
    private boolean readSuspended;

    // output: entries [outHead, outTail) of out, each in read mode
    private ByteBuffer[] out;
    private boolean[] outOwned;
    private int outHead;
    private int outTail;
    private long queuedBytes;
    /** The buffer handed out by writeBuffer and not yet committed, with its read-mode position and limit. */
    private ByteBuffer openBuf;
    private int openPos;
    private int openLimit;
    boolean flushQueued;
    private boolean awaitingWritable;
    private boolean writable = true;

    // eviction at the connection cap (see EventLoop): the loop's accept-order list of connections not yet served
    /** On its loop's list of connections not yet served (a candidate for eviction at the connection cap). */
    boolean unserved;
    Connection prevUnserved;
    Connection nextUnserved;
    /** Evicted: its place in the driver's connection count passes to the connection that took its place. */
    boolean slotPassedOn;

    // placement (see EventLoop "First reads in arrival order")
    /** Kept on the accepting loop until its first request is read there; its home loop is chosen then. */
    boolean unplaced;

    // lifecycle
    private long timerId = TimerWheel.NULL_TIMER;
    /** Set by transferTo during a delivery: the hand-over happens when the delivery ends. */
    private EventLoop transferTarget;
    private boolean closing;
    private boolean outputShut;
    private boolean closed;
    private Throwable closeError;
    private CloseCause closeCause;

    Connection(EventLoop loop, SocketChannel channel, long id) {
        this.loop = loop;
        this.channel = channel;
        this.id = id;
    }

    void init(SelectionKey key, ConnectionHandler handler) {
        this.key = key;
        this.handler = handler;
    }

    /** The owning loop; any thread. */
    public EventLoop loop() {
        return loop;
    }

    /** A driver-wide sequence number, given at accept (so in accept order); any thread. */
    public long id() {
        return id;
    }

    /**
     * The loop this connection should live on, chosen once, when its first request has been read: a plain connection
     * of a driver with several loops stays on the accepting loop until then, so that the first requests of new
     * connections are read by one thread in the order they arrived (see {@link EventLoop}, "First reads in arrival
     * order"); its home is then the next loop in round-robin order, and the handler moves it there with
     * {@link #transferTo} unless it goes elsewhere (e.g. to the loop owning the session its request names). Returns
     * {@link #loop()} for a connection already placed (a TLS connection, one moved by {@link #transferTo}, one on a
     * single-loop driver, or any later call). Loop thread only.
     */
    public EventLoop placement() {
        if (!unplaced) {
            return loop;
        }
        unplaced = false;
        return loop.nextLoopForPlacement();
    }

    /** This connection's home is where it is now (its first request is acted on here); loop thread only. */
    public void settle() {
        unplaced = false;
    }

    /** The current handler. */
    public ConnectionHandler handler() {
        return handler;
    }

    /**
     * Replaces the handler (e.g. HTTP to WebSocket after an upgrade). Input left unconsumed is presented to the new
     * handler at once: within the current read event if called from {@code onRead}, else right now.
     */
    public void setHandler(ConnectionHandler next) {
        if (next == null) {
            throw new NullPointerException("handler");
        }
        this.handler = next;
        if (!inRead && !closed && !closing && inBuf != null) {
            inRead = true;
            deliver(inBuf);
        }
    }

    /** Upper-layer state; the driver does not touch it. */
    public Object attachment() {
        return attachment;
    }

    public void attach(Object attachment) {
        this.attachment = attachment;
    }

    /** The peer address, or {@code null} once closed (allocates; not for hot paths). */
    public SocketAddress remoteAddress() {
        try {
            return channel.getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
    }

    /** Not yet closed (also true while a graceful close is lingering). */
    public boolean isOpen() {
        return !closed;
    }

    /** {@link #closeAfterFlush()} was called (and the connection may still be open). */
    public boolean isClosing() {
        return closing;
    }

    /** The peer's EOF was seen. */
    public boolean isInputClosed() {
        return inputClosed;
    }

    /** Queued output is at or below the high-water mark (since the last low-water crossing); false once closed. */
    public boolean isWritable() {
        return writable && !closed;
    }

    /** Output bytes queued and not yet accepted by the socket. */
    public long queuedBytes() {
        return queuedBytes;
    }

    /** Bytes of input retained for the handler (0 when none). */
    public int retainedBytes() {
        return inBuf == null ? 0 : inBuf.remaining();
    }

    /** Whether the connection holds a buffer of its own (input or output); false when idle. */
    public boolean holdsBuffer() {
        return inBuf != null || outTail > outHead || tls != null && tls.holdsBuffer();
    }

    /**
     * Marks the connection as served (e.g. its first request head arrived complete): from now on it is never evicted
     * to make room for a new connection at {@link DriverConfig#maxConnections()}. A new connection is a candidate for
     * eviction until its handler calls this. Idempotent and O(1) (one field test once served); loop thread.
     */
    public void markServed() {
        if (unserved) {
            loop.unlinkUnserved(this);
        }
    }

    /** Whether {@link #markServed()} was called (or the connection closed); loop thread. */
    public boolean isServed() {
        return !unserved;
    }

    /** Why it closed, or {@code null} while open. */
    public CloseCause closeCause() {
        return closeCause;
    }

    /** The exception behind {@link CloseCause#IO_ERROR} or {@link CloseCause#HANDLER_ERROR}, else {@code null}. */
    public Throwable closeError() {
        return closeError;
    }

    // ------------------------------------------------------------------------------------------ deadline

    /**
     * Arms the connection's one deadline (replacing any), in driver-clock ns; {@link ConnectionHandler#onTimeout} when
     * it passes. Ignored once closed or closing (the linger timeout owns it then).
     */
    public void setDeadline(long deadlineNs) {
        if (closed || closing) {
            return;
        }
        armTimer(deadlineNs);
    }

    /** Disarms the deadline (if closing, the linger timeout stays). */
    public void clearDeadline() {
        if (closed || closing) {
            return;
        }
        disarmTimer();
    }

    /** Whether a deadline is armed. */
    public boolean hasDeadline() {
        return timerId != TimerWheel.NULL_TIMER;
    }

    /** The armed deadline, or {@code defaultValue}. */
    public long deadlineNs(long defaultValue) {
        return loop.wheel().deadline(timerId, defaultValue);
    }

    private void armTimer(long deadlineNs) {
        TimerWheel<Object> wheel = loop.wheel();
        wheel.cancel(timerId);
        timerId = wheel.schedule(deadlineNs, this);
    }

    private void disarmTimer() {
        loop.wheel().cancel(timerId);
        timerId = TimerWheel.NULL_TIMER;
    }

    /** From the loop's timer handler: the wheel entry is already gone. */
    void onTimer(long nowNs) {
        timerId = TimerWheel.NULL_TIMER;
        if (closed) {
            return;
        }
        if (closing) {
            close(CloseCause.LINGER_TIMEOUT, null);
            return;
        }
        try {
            handler.onTimeout(this, nowNs);
        } catch (Throwable t) {
            handlerFailed(t);
        }
    }

    // ------------------------------------------------------------------------------------------ input

    /** Selected-key dispatch from the loop. */
    void onReady(SelectionKey k) {
        int ready;
        try {
            ready = k.readyOps();
        } catch (CancelledKeyException e) {
            // The key was cancelled after selection (channel closed under us): nothing left to do but close.
            close(CloseCause.IO_ERROR, e);
            return;
        }
        if ((ready & SelectionKey.OP_WRITE) != 0) {
            flush();
        }
        if ((ready & SelectionKey.OP_READ) != 0 && !closed) {
            read();
        }
    }

    private void read() {
        if (tls != null) {
            readTls();
            return;
        }
        ByteBuffer dst;
        if (inBuf != null) {
            dst = inBuf;
            if (dst.limit() == dst.capacity()) {
                dst = growInBuf();
            }
            dst.position(dst.limit()).limit(dst.capacity());
        } else {
            dst = loop.readBuffer();
            dst.clear();
        }
        int n;
        try {
            n = channel.read(dst);
        } catch (IOException e) {
            close(CloseCause.IO_ERROR, e);
            return;
        }
        dst.flip();
        if (n < 0) {
            onEofRead();
            return;
        }
        if (n == 0) {
            return;
        }
        if (closing) {
            // Lingering close: input is read and dropped until the peer's EOF.
            if (dst == inBuf) {
                releaseInBuf();
            }
            return;
        }
        inRead = true;
        deliver(dst);
    }

    /** Presents {@code src} to the handler (inRead already set); keeps what is left. */
    private void deliver(ByteBuffer src) {
        try {
            int swaps = 0;
            while (true) {
                ConnectionHandler h = handler;
                h.onRead(this, src, loop.nowNs());
                if (closed || closing || transferTarget != null || handler == h || !src.hasRemaining()) {
                    break;
                }
                if (++swaps > MAX_SWAPS_PER_READ) {
                    throw new IllegalStateException("handler swapped " + swaps + " times in one read");
                }
            }
        } catch (Throwable t) {
            inRead = false;
            handlerFailed(t);
        } finally {
            inRead = false;
        }
        if (closed || closing) {
            if (inBuf != null) {
                releaseInBuf();
            }
            return;
        }
        retain(src);
        if (transferTarget != null && !closed) {
            EventLoop target = transferTarget;
            transferTarget = null;
            handOver(target);
        }
    }

    SocketChannel channel() {
        return channel;
    }

    /**
     * Moves this connection to another loop of the same driver (e.g. to the loop that owns the Engine.IO session a
     * request belongs to). Everything moves with it: the handler, input left unconsumed, queued output, the deadline.
     * The channel is deregistered from this loop's selector; on {@code target}'s thread it is registered there, its
     * deadline re-armed, queued output flushed, and retained input presented again to the handler
     * ({@link ConnectionHandler#onRead}) at once. Called from {@code onRead}, the hand-over happens when that call
     * returns (after the unconsumed input has been retained). Loop thread only; ignored when closed, closing or
     * already on {@code target}. If {@code target} has terminated the connection is closed ({@link
     * CloseCause#SHUTDOWN}). The handler must take its per-loop resources from {@link #loop()} after the move.
     */
    public void transferTo(EventLoop target) {
        if (target == null) {
            throw new NullPointerException("target");
        }
        if (closed || closing || target == loop) {
            return;
        }
        if (inRead) {
            transferTarget = target;
        } else {
            handOver(target);
        }
    }

    private void handOver(EventLoop target) {
        EventLoop from = loop;
        boolean hadDeadline = timerId != TimerWheel.NULL_TIMER;
        long deadline = hadDeadline ? from.wheel().deadline(timerId, 0L) : 0L;
        if (openBuf != null) {
            commitWrite();
        }
        disarmTimer();
        int ops;
        try {
            ops = key.interestOps();
        } catch (CancelledKeyException e) {
            close(CloseCause.IO_ERROR, e);
            return;
        }
        key.cancel();
        boolean wasUnserved = unserved;
        unplaced = false;
        from.connectionLeft(this);
        flushQueued = false;
        loop = target;
        if (!target.offer(new EventLoop.Adoption(target, this, ops, hadDeadline, deadline, wasUnserved))) {
            loop = from;
            from.adoptBackForClose();
            close(CloseCause.SHUTDOWN, null);
        }
    }

    /** On the new loop (see {@link EventLoop#adopt}). */
    void adopted(SelectionKey k, boolean hadDeadline, long deadlineNs, boolean wasUnserved) {
        this.key = k;
        if (wasUnserved) {
            loop.linkUnserved(this); // at the tail of the new loop's list: it counts as accepted when it arrived
        }
        if (hadDeadline) {
            armTimer(deadlineNs);
        }
        if (outTail > outHead || tls != null && (tls.netOut != null || tls.wantsWrap())) {
            loop.queueFlush(this);
        }
        EventLoop home = loop;
        if (inBuf != null && !inRead) {
            inRead = true;
            deliver(inBuf);
        }
        if (tls != null && tls.netIn != null && !closed && !closing && loop == home) {
            unwrapAndDeliver(tls.netIn);
        }
    }

    /**
     * Presents input left unconsumed to the handler again now (e.g. an HTTP handler that stopped parsing pipelined
     * requests while a response was pending, and can go on). Loop thread; not from inside {@code onRead} (there the
     * handler simply goes on); no-op when nothing is retained.
     */
    public void redeliver() {
        if (!inRead && !closed && !closing && inBuf != null) {
            inRead = true;
            deliver(inBuf);
        }
    }

    private void retain(ByteBuffer src) {
        int left = src.remaining();
        if (left == 0) {
            if (inBuf != null) {
                releaseInBuf();
            }
            return;
        }
        if (left > loop.config().maxRetainedBytes()) {
            close(CloseCause.RETAINED_LIMIT, null);
            return;
        }
        if (src == inBuf) {
            if (src.position() > 0) {
                src.compact().flip();
            }
            return;
        }
        ByteBuffer b = left <= loop.pool().chunkSize() ? loop.acquireChunk(this)
                : ByteBuffer.allocate(Integer.highestOneBit(left) << 1);
        b.put(src).flip();
        inBuf = b;
    }

    private ByteBuffer growInBuf() {
        ByteBuffer old = inBuf;
        long cap = Math.min((long) old.capacity() * 2, (long) loop.config().maxRetainedBytes() + loop.config().readBufferSize());
        ByteBuffer b = ByteBuffer.allocate((int) Math.max(cap, old.capacity() + 1L));
        b.put(old).flip();
        loop.pool().release(old);
        inBuf = b;
        return b;
    }

    private void releaseInBuf() {
        ByteBuffer b = inBuf;
        inBuf = null;
        loop.pool().release(b);
    }

    private void onEofRead() {
        inputClosed = true;
        if (inBuf != null) {
            releaseInBuf();
        }
        // Stop selecting OP_READ: an EOF stays readable and would spin the selector.
        removeInterest(SelectionKey.OP_READ);
        if (closing) {
            if (outputShut) {
                close(CloseCause.GRACEFUL, null);
            }
            return;
        }
        try {
            handler.onEof(this, loop.nowNs());
        } catch (Throwable t) {
            handlerFailed(t);
        }
    }

    /**
     * Stops or resumes reading from the socket (input backpressure: e.g. while {@link #isWritable()} is false, so a
     * peer that sends but does not read cannot make the handler produce output without bound). While suspended, the
     * peer's data waits in the kernel and TCP flow control slows the peer down; an EOF is noticed only after resuming.
     * Ignored once closed, closing, or after EOF.
     */
    public void setReadEnabled(boolean enabled) {
        if (closed || closing || inputClosed || readSuspended == !enabled) {
            return;
        }
        readSuspended = !enabled;
        if (enabled) {
            addInterest(SelectionKey.OP_READ);
        } else {
            removeInterest(SelectionKey.OP_READ);
        }
    }

    /** Whether reading is enabled (see {@link #setReadEnabled(boolean)}). */
    public boolean isReadEnabled() {
        return !readSuspended && !inputClosed && !closed;
    }

    // ------------------------------------------------------------------------------------------ output

    /**
     * A buffer with at least {@code minBytes} free from its position, to {@code put} output into; then {@link
     * #commitWrite()}. An uncommitted buffer is committed by the next write call or flush.
     */
    public ByteBuffer writeBuffer(int minBytes) {
        if (openBuf != null) {
            commitWrite();
        }
        if (closed || closing && outputShut) {
            return loop.scratch(minBytes);
        }
        ByteBuffer b = null;
        if (outTail > outHead && outOwned[outTail - 1]) {
            ByteBuffer tail = out[outTail - 1];
            if (tail.capacity() - tail.limit() >= minBytes) {
                b = tail;
            }
        }
        if (b == null) {
            b = minBytes <= loop.pool().chunkSize() ? loop.acquireChunk(this) : ByteBuffer.allocate(minBytes);
            b.limit(0);
            append(b, true);
        }
        openBuf = b;
        openPos = b.position();
        openLimit = b.limit();
        b.position(openLimit).limit(b.capacity());
        return b;
    }

    /** Queues what was put into the buffer from {@link #writeBuffer(int)}. No-op if none is open. */
    public void commitWrite() {
        ByteBuffer b = openBuf;
        if (b == null) {
            return;
        }
        openBuf = null;
        int end = b.position();
        b.limit(end).position(openPos);
        int added = end - openLimit;
        if (added > 0) {
            queued(added);
        }
    }

    /**
     * Queues {@code [position, limit)} of {@code src}: copied (see {@link #writeCopy}) if at most 512 bytes or if it
     * is the {@code src} of the current {@code onRead}; else queued by reference and owned by the driver until sent.
     */
    public void write(ByteBuffer src) {
        int n = src.remaining();
        if (n == 0 || closed || closing && outputShut) {
            return;
        }
        if (n <= COPY_THRESHOLD || src == loop.readBuffer() || src == inBuf) {
            // Small, or the very input buffer the driver is about to reuse (an echo handler passing src on): copy.
            writeCopy(src);
            return;
        }
        if (openBuf != null) {
            commitWrite();
        }
        append(src, false);
        queued(n);
    }

    /**
     * Copies {@code [position, limit)} of {@code src} into the connection's pooled output chunks (advancing its
     * position), so the caller may reuse {@code src} at once. No allocation when the pool has chunks.
     */
    public void writeCopy(ByteBuffer src) {
        while (src.hasRemaining() && !closed && !(closing && outputShut)) {
            ByteBuffer b = writeBuffer(1);
            int n = Math.min(b.remaining(), src.remaining());
            int limit = src.limit();
            src.limit(src.position() + n);
            b.put(src);
            src.limit(limit);
            commitWrite();
        }
    }

    /**
     * Thread-safe send: on the loop thread it is {@link #write(ByteBuffer)}; from another thread it hands the buffer
     * to the loop (one command and a lambda allocated per call; wakeups are batched), where it is written in call order
     * per sending thread. The driver owns {@code src} from now on.
     *
     * @return false if the loop has terminated (the buffer was dropped)
     */
    public boolean send(ByteBuffer src) {
        if (loop.inEventLoop()) {
            write(src);
            return true;
        }
        return loop.offer(() -> write(src));
    }

    private void append(ByteBuffer b, boolean owned) {
        if (out == null) {
            EventLoop l = loop;
            if (l.spareQueues > 0) {
                out = l.spareOut[--l.spareQueues];
                outOwned = l.spareOwned[l.spareQueues];
                l.spareOut[l.spareQueues] = null;
                l.spareOwned[l.spareQueues] = null;
            } else {
                out = new ByteBuffer[EventLoop.QUEUE_SLOTS];
                outOwned = new boolean[EventLoop.QUEUE_SLOTS];
            }
        }
        if (outTail == out.length) {
            int live = outTail - outHead;
            if (outHead > 0 && live < out.length / 2) {
                System.arraycopy(out, outHead, out, 0, live);
                System.arraycopy(outOwned, outHead, outOwned, 0, live);
                java.util.Arrays.fill(out, live, outTail, null);
            } else {
                ByteBuffer[] o = new ByteBuffer[out.length * 2];
                boolean[] w = new boolean[out.length * 2];
                System.arraycopy(out, outHead, o, 0, live);
                System.arraycopy(outOwned, outHead, w, 0, live);
                out = o;
                outOwned = w;
            }
            outHead = 0;
            outTail = live;
        }
        out[outTail] = b;
        outOwned[outTail] = owned;
        outTail++;
    }

    private void queued(int added) {
        queuedBytes += added;
        DriverConfig c = loop.config();
        if (queuedBytes > c.writeHardLimitBytes()) {
            close(CloseCause.OUTPUT_LIMIT, null);
            return;
        }
        if (writable && queuedBytes > c.writeHighWaterBytes()) {
            writable = false;
        }
        if (!flushQueued && !awaitingWritable) {
            loop.queueFlush(this);
        }
    }

    /**
     * Writes committed queued output as far as the socket takes it and gives the written chunks back, with no callback
     * and no state change: the loop asks for this when its pool is empty in the middle of a pass (see {@link
     * EventLoop#acquireChunk(Connection)}); the connection stays queued, and the end-of-pass {@link #flush()} does the rest
     * (write-ready interest, writability, graceful shutdown). A connection whose handler holds an uncommitted buffer,
     * or that waits for the socket to become writable, is left alone. A write error is left for that flush too: a
     * failed socket fails again there and is closed then, outside whatever handler is running now.
     */
    void drainQuietly() {
        if (openBuf != null || closed || awaitingWritable || outHead == outTail) {
            return;
        }
        try {
            writeQueued();
        } catch (IOException e) {
            return;
        }
        if (outHead == outTail) {
            queueEmptied();
        }
    }

    /** Whether this connection holds output queue arrays (it does only while output is queued); loop thread. */
    boolean holdsQueueArrays() {
        return out != null;
    }

    /**
     * The output queue is empty: its arrays go back to the loop when they are of the initial size, so that an idle
     * connection holds none (a queue that grew keeps its arrays: it is busy).
     */
    private void queueEmptied() {
        outHead = 0;
        outTail = 0;
        ByteBuffer[] o = out;
        EventLoop l = loop;
        if (o != null && o.length == EventLoop.QUEUE_SLOTS && l.spareQueues < l.spareOut.length) {
            l.spareOut[l.spareQueues] = o;
            l.spareOwned[l.spareQueues++] = outOwned;
            out = null;
            outOwned = null;
        }
    }

    /**
     * Gathering writes of the queue until it is empty or the socket is full; written buffers that are ours go back
     * to the pool.
     */
    private void writeQueued() throws IOException {
        if (tls != null) {
            writeQueuedTls();
            return;
        }
        while (outHead < outTail) {
            int count = Math.min(outTail - outHead, MAX_GATHER);
            long n = channel.write(out, outHead, count);
            queuedBytes -= n;
            while (outHead < outTail && !out[outHead].hasRemaining()) {
                if (outOwned[outHead]) {
                    loop.pool().release(out[outHead]);
                }
                out[outHead++] = null;
            }
            if (n == 0 || outHead < outTail && count < MAX_GATHER) {
                break; // the socket took less than everything: it is full
            }
        }
    }

    /** Writes queued output now, as far as the socket takes it (otherwise done at the end of the loop pass). */
    public void flush() {
        if (openBuf != null) {
            commitWrite();
        }
        if (closed) {
            return;
        }
        try {
            writeQueued();
        } catch (IOException e) {
            close(CloseCause.IO_ERROR, e);
            return;
        }
        if (outHead == outTail && !tlsOutputPending()) {
            queueEmptied();
            if (awaitingWritable) {
                awaitingWritable = false;
                removeInterest(SelectionKey.OP_WRITE);
            }
        } else if (!awaitingWritable && (tls == null || tls.netOut != null || tls.handshakeDone)) {
            // (plaintext written before the TLS handshake ends waits for it, not for the socket: see unwrapAndDeliver)
            awaitingWritable = true;
            addInterest(SelectionKey.OP_WRITE);
        }
        if (closed) {
            return;
        }
        if (!writable && queuedBytes <= loop.config().writeLowWaterBytes()) {
            writable = true;
            try {
                handler.onWritable(this, loop.nowNs());
            } catch (Throwable t) {
                handlerFailed(t);
                return;
            }
        }
        if (closing && !outputShut && outHead == outTail && openBuf == null) {
            if (tls != null && !tls.outboundClosed) {
                closeTlsOutbound();
                return;
            }
            if (!tlsOutputPending()) {
                shutdownOutput();
            }
        }
    }

    private void shutdownOutput() {
        outputShut = true;
        if (inputClosed) {
            close(CloseCause.GRACEFUL, null);
            return;
        }
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            close(CloseCause.IO_ERROR, e);
        }
    }

    // ------------------------------------------------------------------------------------------ close

    /** Closes now (abortive: queued output is discarded). Idempotent. */
    public void close() {
        close(CloseCause.LOCAL, null);
    }

    /**
     * Graceful close: input is no longer delivered, queued output is flushed, our output is shut down, and the channel
     * closes at the peer's EOF, or at {@link DriverConfig#lingerTimeoutNs()} ({@link CloseCause#LINGER_TIMEOUT}).
     * Writes made before this call are sent; later ones are dropped once the output is shut. Idempotent.
     */
    public void closeAfterFlush() {
        if (closed || closing) {
            return;
        }
        closing = true;
        if (!inRead && inBuf != null) {
            releaseInBuf();
        }
        armTimer(loop.nowNs() + loop.config().lingerTimeoutNs());
        if (!inputClosed) {
            // Lingering close reads (and drops) until the peer's EOF, even if reading was suspended.
            readSuspended = false;
            addInterest(SelectionKey.OP_READ);
        }
        if (openBuf == null && outHead == outTail && tls == null) {
            shutdownOutput();
        } else if (!flushQueued && !awaitingWritable) {
            loop.queueFlush(this);
        }
    }

    void close(CloseCause cause, Throwable error) {
        if (closed) {
            return;
        }
        closed = true;
        closeCause = cause;
        closeError = error;
        disarmTimer();
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "close failed", e);
        }
        openBuf = null;
        BufferPool pool = loop.pool();
        for (int i = outHead; i < outTail; i++) {
            if (outOwned[i]) {
                pool.release(out[i]);
            }
            out[i] = null;
        }
        queueEmptied();
        queuedBytes = 0;
        if (tls != null) {
            tls.release();
        }
        if (!inRead && inBuf != null) {
            releaseInBuf();
        }
        loop.connectionClosed(this);
        if (handler != null) {
            try {
                handler.onClose(this, cause);
            } catch (Throwable t) {
                LOG.log(System.Logger.Level.WARNING, "onClose threw", t);
            }
        }
    }

    void handlerFailed(Throwable t) {
        if (t instanceof VirtualMachineError) {
            LOG.log(System.Logger.Level.ERROR, "handler failed with a VM error", t);
        } else {
            LOG.log(System.Logger.Level.WARNING, "handler failed; closing connection " + id, t);
        }
        close(CloseCause.HANDLER_ERROR, t);
    }

    // ------------------------------------------------------------------------------------------ interest ops

    private void addInterest(int op) {
        try {
            if (key.isValid()) {
                key.interestOps(key.interestOps() | op);
            }
        } catch (CancelledKeyException e) {
            // Cancelled between isValid and interestOps (another close path): the connection is gone.
            close(CloseCause.IO_ERROR, e);
        }
    }

    private void removeInterest(int op) {
        try {
            if (key.isValid()) {
                key.interestOps(key.interestOps() & ~op);
            }
        } catch (CancelledKeyException e) {
            close(CloseCause.IO_ERROR, e);
        }
    }

    // ------------------------------------------------------------------------------------------ TLS filter
    // Everything TLS-specific of the connection is in this section and in TlsFilter; the plain path calls in at five
    // points: read(), writeQueued(), flush() (drained test and close_notify before the output shutdown), close()
    // and adopted().

    /** The TLS filter of a connection accepted on a TLS listener; null on a plain one (or after a plain-HTTP answer). */
    private TlsFilter tls;

    /** The answer to plain HTTP sent to a TLS port (as nginx gives it), in clear text. */
    private static final byte[] PLAIN_HTTP_TO_TLS_PORT = ("HTTP/1.1 400 Bad Request\r\n"
            + "Content-Type: text/plain\r\nContent-Length: 46\r\nConnection: close\r\n\r\n"
            + "The plain HTTP request was sent to HTTPS port\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Puts a TLS filter between the channel and the handler; from {@link EventLoop#register} before {@code onOpen}. */
    void enableTls(javax.net.ssl.SSLEngine engine, long handshakeTimeoutNs) {
        tls = new TlsFilter(this, engine, handshakeTimeoutNs);
        tls.start(loop.nowNs());
    }

    /** Whether this connection came in on a TLS listener (false also after the plain-HTTP answer). */
    public boolean isTls() {
        return tls != null;
    }

    /** The TLS engine (for its session: protocol, cipher suite, ALPN), or null on a plain connection. */
    public javax.net.ssl.SSLEngine tlsEngine() {
        return tls == null ? null : tls.engine;
    }

    private void readTls() {
        TlsFilter t = tls;
        ByteBuffer net = t.readTarget();
        int n;
        try {
            n = channel.read(net);
        } catch (IOException e) {
            net.flip();
            close(CloseCause.IO_ERROR, e);
            return;
        }
        net.flip();
        if (n < 0) {
            t.dropInput();
            if (closing || !t.started || t.engine.isInboundDone()) {
                onEofRead();
            } else {
                close(CloseCause.IO_ERROR, new javax.net.ssl.SSLException(
                        "truncated: the peer closed the connection without close_notify"));
            }
            return;
        }
        if (n == 0) {
            t.keepInput(net);
            return;
        }
        if (closing) {
            t.dropInput(); // lingering close: input is dropped until the peer's EOF
            return;
        }
        if (!t.started) {
            byte first = net.get(net.position());
            if (first >= 'A' && first <= 'Z') {
                answerPlainHttp(net);
                return;
            }
        }
        unwrapAndDeliver(net);
    }

    /** A plain HTTP request on the TLS port: the 400 in clear text, then a graceful close without TLS. */
    private void answerPlainHttp(ByteBuffer net) {
        TlsFilter t = tls;
        net.position(net.limit());
        t.keepInput(net);
        t.release();
        tls = null;
        writeCopy(ByteBuffer.wrap(PLAIN_HTTP_TO_TLS_PORT));
        closeAfterFlush();
    }

    /**
     * Unwraps {@code net} (read mode: the loop's TLS buffer or the filter's retained partial record) into plaintext
     * and delivers it to the handler, as long as there is ciphertext and the connection stays here and open.
     */
    private void unwrapAndDeliver(ByteBuffer net) {
        TlsFilter t = tls;
        EventLoop home = loop;
        while (true) {
            ByteBuffer dst = loop.readBuffer();
            dst.clear();
            int status;
            try {
                status = t.unwrap(net, dst);
            } catch (javax.net.ssl.SSLException e) {
                tlsFailed(e);
                return;
            }
            t.keepInput(net);
            dst.flip();
            boolean produced = dst.hasRemaining();
            if (produced && inBuf != null) {
                appendToInBuf(dst); // after the input the handler left, as the plain path reads into it
                dst = inBuf;
            }
            if (status == TlsFilter.UNWRAP_NEED_WRAP) {
                flush();
                if (closed || t.wantsWrap() && !produced) {
                    return; // closed, or the engine made no progress: the next readiness event goes on
                }
            }
            if (produced) {
                inRead = true;
                deliver(dst);
                if (loop != home || closed || closing) {
                    return; // moved to another loop (which goes on with the retained ciphertext) or closed
                }
            }
            if (status == TlsFilter.UNWRAP_CLOSED) {
                t.dropInput();
                if (!tlsOutputPending() && t.wantsWrap()) {
                    flush(); // TLS 1.2 answers close_notify with its own
                }
                if (!closed) {
                    onEofRead();
                }
                return;
            }
            if ((t.wantsWrap() || t.handshakeDone && outHead < outTail) && !flushQueued && !awaitingWritable) {
                loop.queueFlush(this);
            }
            if (t.netIn == null || status == TlsFilter.UNWRAP_NEED_INPUT) {
                return;
            }
            net = t.netIn;
        }
    }

    /** Appends {@code src} (read mode, consumed) to the retained input, growing it (on the heap) when needed. */
    private void appendToInBuf(ByteBuffer src) {
        ByteBuffer b = inBuf;
        if (b.capacity() - b.limit() < src.remaining()) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(b.capacity() * 2, b.limit() + src.remaining()));
            bigger.put(b).flip();
            loop.pool().release(b);
            inBuf = bigger;
            b = bigger;
        }
        int start = b.position();
        int end = b.limit();
        b.limit(end + src.remaining()).position(end);
        b.put(src);
        b.position(start);
    }

    private boolean tlsOutputPending() {
        return tls != null && tls.netOut != null;
    }

    /**
     * The TLS side of {@link #writeQueued()}: write what the socket did not take before, then wrap the plaintext
     * queue (records the engine wants to send first) into the loop's TLS output buffer and write it, keeping what the
     * socket does not take. Plaintext stays queued (under the water marks) while encrypted output waits.
     */
    private void writeQueuedTls() throws IOException {
        TlsFilter t = tls;
        boolean full = false;
        if (t.netOut != null) {
            channel.write(t.netOut);
            full = t.netOut.hasRemaining();
            t.outputDrained();
        }
        ByteBuffer net = loop.tlsOutBuffer();
        // Records the engine wants to send (handshake, alerts) are wrapped even when the socket is full, so that a
        // handshake never waits on the write side; application data waits in the plaintext queue then.
        while (outHead < outTail && !full || t.wantsWrap()) {
            net.clear();
            long consumed;
            try {
                consumed = t.wrap(out == null ? TlsFilter.EMPTY : out, outHead, outTail - outHead, net, !full);
            } catch (javax.net.ssl.SSLException e) {
                // A failed handshake step (e.g. thrown by a delegated task) surfaces here: send the engine's alert,
                // then the caller closes the connection (IO_ERROR).
                net.clear();
                t.wrapAlert(net);
                net.flip();
                if (!full && net.hasRemaining()) {
                    channel.write(net);
                }
                throw e;
            }
            queuedBytes -= consumed;
            while (outHead < outTail && !out[outHead].hasRemaining()) {
                if (outOwned[outHead]) {
                    loop.pool().release(out[outHead]);
                }
                out[outHead++] = null;
            }
            net.flip();
            if (!net.hasRemaining()) {
                if (t.engine.isOutboundDone()) {
                    dropQueuedPlaintext(); // after close_notify nothing more can be sent
                }
                return;
            }
            if (!full) {
                channel.write(net);
            }
            if (net.hasRemaining()) {
                t.keepOutput(net);
                full = true;
            }
        }
    }

    private void dropQueuedPlaintext() {
        for (int i = outHead; i < outTail; i++) {
            if (outOwned[i]) {
                loop.pool().release(out[i]);
            }
            out[i] = null;
        }
        outHead = outTail;
        queuedBytes = 0;
    }

    /** Graceful close with the plaintext queue drained: queue close_notify, flush it, then the TCP shutdown. */
    private void closeTlsOutbound() {
        tls.outboundClosed = true;
        tls.engine.closeOutbound();
        flush();
    }

    /**
     * The engine rejected the input (or a renegotiation was refused): send what the engine has to say (its alert, or
     * close_notify) with one write attempt, then close.
     */
    private void tlsFailed(javax.net.ssl.SSLException e) {
        TlsFilter t = tls;
        try {
            if (e instanceof TlsFilter.RenegotiationRefused) {
                t.outboundClosed = true;
                t.engine.closeOutbound();
            }
            ByteBuffer net = loop.tlsOutBuffer();
            net.clear();
            if (e instanceof TlsFilter.RecordTooLarge && !t.handshakeDone) {
                net.put(TlsFilter.RECORD_OVERFLOW_ALERT);
            } else {
                t.wrapAlert(net);
            }
            net.flip();
            if (t.netOut == null && net.hasRemaining()) {
                channel.write(net);
            }
        } catch (IOException | RuntimeException ignored) {
            // best effort: the connection is closed below in any case
        }
        close(CloseCause.IO_ERROR, e);
    }

    @Override
    public String toString() {
        return "Connection#" + id + (closed ? "(closed " + closeCause + ")" : closing ? "(closing)" : "");
    }
}
