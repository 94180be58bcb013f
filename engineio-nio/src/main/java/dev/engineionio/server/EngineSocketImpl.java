package dev.engineionio.server;

import dev.engineionio.EngineSocket;
import dev.engineionio.driver.EventLoop;
import dev.engineionio.http.KnownHeader;
import dev.engineionio.session.CloseReason;
import dev.engineionio.protocol.PacketType;
import dev.engineionio.session.EngineSession;
import dev.engineionio.session.WriteBuffer;
import dev.engineionio.session.RequestFacts;
import dev.engineionio.session.SessionListener;
import dev.engineionio.session.TransportKind;
import dev.engineionio.timer.TimerWheel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The public {@link EngineSocket} of one {@link EngineSession}, its {@link SessionListener}, and its timer: the
 * session's earliest deadline is held as one entry in its loop's timer wheel, moved only by {@link #onDeadline}, which
 * the session calls after every change of its timers (so no input, whoever delivers it, can leave the entry stale).
 *
 * <p>Its {@link RequestOrder} orders the session's requests (see {@link EngineIo}).
 *
 * <p>Threads: owned by the loop of the handshake. The public methods may be called from any thread (queued to the
 * loop when not on it); everything else runs on the loop. Listener exceptions are logged and close this session.
 */
final class EngineSocketImpl extends RequestOrder<HttpConnection>
        implements EngineSocket, SessionListener, EventLoop.LoopTimer {

    private static final System.Logger LOG = System.getLogger(EngineSocketImpl.class.getName());

    final EngineIo engine;
    final EventLoop loop;
    private final String id;
    private final int protocol;
    private final InetSocketAddress remote;
    /** The first X-Forwarded-For address when trusted, else null. */
    private final String forwardedIp;
    /** The handshake's header lines, copied once as {@code name NUL value NUL ...} (Latin-1). */
    private final byte[] rawHeaders;
    private final String rawQuery;
    /** The handshake's path: the configured path's own instance when equal (no copy per session). */
    private final String path;
    private volatile Map<String, List<String>> headers;
    private volatile Map<String, String> query;
    private EngineSession session;
    private volatile boolean open = true;
    private volatile String transportName;
    private volatile Object attachment;
    private long timerId = TimerWheel.NULL_TIMER;
    private long scheduledNs = EngineSession.NO_DEADLINE;

    /*
     * The listeners of one event: null (none), the listener itself (one, the common case: no list object per
     * session), or a composite of the same type that calls the earlier ones, then the new one (several; see the
     * registration methods). Registration is synchronized and replaces the field; the loop thread reads it once per
     * event, so it calls a snapshot without a lock.
     */
    private volatile Consumer<String> messageListener;
    private volatile Consumer<CharSequence> textListener;
    private volatile Consumer<byte[]> binaryListener;
    private volatile BiConsumer<String, String> closeListener;
    private volatile Consumer<String> upgradeListener;
    private volatile Runnable drainListener;
    private volatile Runnable heartbeatListener;
    private volatile Consumer<String> upgradingListener;
    private volatile BiConsumer<String, Object> packetListener;
    private volatile IntConsumer flushListener;

    EngineSocketImpl(EngineIo engine, HttpConnection hc, RequestFacts f, String id) {
        this.engine = engine;
        this.loop = hc.loop();
        this.id = id;
        this.protocol = f.protocol();
        SocketAddress a = hc.connection().remoteAddress();
        this.remote = a instanceof InetSocketAddress ? (InetSocketAddress) a : null;
        String forwarded = engine.trustForwardedFor ? hc.header(KnownHeader.X_FORWARDED_FOR) : null;
        if (forwarded != null && !forwarded.isBlank()) {
            int comma = forwarded.indexOf(',');
            this.forwardedIp = (comma < 0 ? forwarded : forwarded.substring(0, comma)).trim();
        } else {
            this.forwardedIp = null;
        }
        this.rawHeaders = copyHeaders(hc);
        this.rawQuery = hc.rawQuery();
        String p = hc.path();
        this.path = p.equals(engine.config.path()) ? engine.config.path() : p;
        this.transportName = f.transport;
    }

    void attach(EngineSession s) {
        this.session = s;
        this.transportName = s.transportKind().queryName();
    }

    private static byte[] copyHeaders(HttpConnection hc) {
        dev.engineionio.http.HttpRequestParser p = hc.parser();
        ByteBuffer b = hc.buf();
        int n = 0;
        for (int i = 0, c = p.headerCount(); i < c; i++) {
            n += p.headerNameLength(i) + p.headerValueLength(i) + 2;
        }
        byte[] out = new byte[n];
        int o = 0;
        for (int i = 0, c = p.headerCount(); i < c; i++) {
            int nl = p.headerNameLength(i);
            b.get(p.headerNameStart(i), out, o, nl);
            o += nl + 1;
            int vl = p.headerValueLength(i);
            b.get(p.headerValueStart(i), out, o, vl);
            o += vl + 1;
        }
        return out;
    }

    private static Map<String, List<String>> parseHeaders(byte[] raw) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        int i = 0;
        while (i < raw.length) {
            int e = i;
            while (raw[e] != 0) {
                e++;
            }
            String name = new String(raw, i, e - i, StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
            int v = e + 1;
            int ve = v;
            while (raw[ve] != 0) {
                ve++;
            }
            m.computeIfAbsent(name, k -> new java.util.ArrayList<>(1))
                    .add(new String(raw, v, ve - v, StandardCharsets.ISO_8859_1));
            i = ve + 1;
        }
        for (Map.Entry<String, List<String>> en : m.entrySet()) {
            en.setValue(List.copyOf(en.getValue()));
        }
        return Collections.unmodifiableMap(m);
    }

    private static Map<String, String> parseQuery(String raw) {
        Map<String, String> m = new LinkedHashMap<>();
        if (raw.isEmpty()) {
            return m;
        }
        for (String part : raw.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String k = eq < 0 ? part : part.substring(0, eq);
            String v = eq < 0 ? "" : part.substring(eq + 1);
            try {
                m.putIfAbsent(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                m.putIfAbsent(k, v);
            }
        }
        return m;
    }

    // ------------------------------------------------------------------------------------------ request order

    @Override
    boolean isClosed() {
        return session.state() == EngineSession.State.CLOSED;
    }

    /** Resumes a parked request: queued to this loop, it runs after the current event, never inside it. */
    @Override
    void wake(HttpConnection request) {
        loop.execute(request::unpark);
    }

    // ------------------------------------------------------------------------------------------ timer

    /** The one place the wheel entry moves: to the session's new earliest deadline, if it changed; loop thread. */
    @Override
    public void onDeadline(EngineSession s, long deadlineNs) {
        if (deadlineNs == scheduledNs) {
            return;
        }
        if (timerId != TimerWheel.NULL_TIMER) {
            loop.cancelTimer(timerId);
            timerId = TimerWheel.NULL_TIMER;
        }
        scheduledNs = deadlineNs;
        if (deadlineNs != EngineSession.NO_DEADLINE) {
            timerId = loop.schedule(deadlineNs, this);
        }
    }

    /** The deadline held on the wheel, {@link EngineSession#NO_DEADLINE} when none; loop thread (tests). */
    long armedDeadlineNs() {
        return timerId == TimerWheel.NULL_TIMER ? EngineSession.NO_DEADLINE : scheduledNs;
    }

    /** The session's own next deadline; loop thread (tests). */
    long sessionDeadlineNs() {
        return session.nextDeadlineNs();
    }

    @Override
    public void onTimer(long nowNs) {
        timerId = TimerWheel.NULL_TIMER; // the entry is spent
        scheduledNs = EngineSession.NO_DEADLINE;
        session.onTimer(nowNs);
        onDeadline(session, session.nextDeadlineNs()); // in case no timer was due, so the session changed none
    }

    private long nowNs() {
        return loop.nowNs();
    }

    // ------------------------------------------------------------------------------------------ SessionListener

    @Override
    public void onOpen(EngineSession s) {
        if (engine.onConnection != null) {
            try {
                engine.onConnection.accept(this);
            } catch (Throwable t) {
                failed("onConnection", t);
            }
        }
    }

    @Override
    public void onMessage(EngineSession s, CharSequence text) {
        Consumer<CharSequence> views = textListener;
        if (views != null && !deliver(views, text, "onText")) {
            return;
        }
        Consumer<String> l = messageListener;
        if (l != null) {
            deliver(l, text.toString(), "onMessage");
        }
    }

    @Override
    public void onBinaryMessage(EngineSession s, ByteBuffer data) {
        Consumer<byte[]> l = binaryListener;
        if (l != null) {
            byte[] copy = new byte[data.remaining()]; // the listener's to keep
            data.get(data.position(), copy, 0, copy.length);
            deliver(l, copy, "onBinary");
        }
    }

    @Override
    public void onHeartbeat(EngineSession s) {
        run(heartbeatListener, "onHeartbeat");
    }

    @Override
    public void onUpgrade(EngineSession s, TransportKind to) {
        transportName = to.queryName();
        Consumer<String> l = upgradeListener;
        if (l != null) {
            deliver(l, transportName, "onUpgrade");
        }
    }

    @Override
    public void onUpgrading(EngineSession s, TransportKind to) {
        Consumer<String> l = upgradingListener;
        if (l != null) {
            deliver(l, to.queryName(), "onUpgrading");
        }
    }

    @Override
    public void onPacket(EngineSession s, PacketType type, CharSequence text, ByteBuffer binary) {
        BiConsumer<String, Object> l = packetListener;
        if (l == null) {
            return;
        }
        Object data;
        if (binary != null) {
            byte[] copy = new byte[binary.remaining()]; // the listener's to keep
            binary.get(binary.position(), copy, 0, copy.length);
            data = copy;
        } else {
            // as the reference's parser: a packet with nothing after its type has no data ("6", "4")
            data = text == null || text.length() == 0 ? null : text.toString();
        }
        try {
            l.accept(type.name().toLowerCase(java.util.Locale.ROOT), data);
        } catch (Throwable t) {
            failed("onPacket", t);
        }
    }

    @Override
    public void onFlush(EngineSession s, WriteBuffer writeBuffer) {
        IntConsumer l = flushListener;
        if (l != null) {
            try {
                l.accept(writeBuffer.count());
            } catch (Throwable t) {
                failed("onFlush", t);
            }
        }
    }

    @Override
    public void onDrain(EngineSession s) {
        run(drainListener, "onDrain");
    }

    @Override
    public void onClose(EngineSession s, CloseReason reason, String description) {
        open = false;
        onSessionClosed(); // every parked request resumes, and is answered as for a closed session
        BiConsumer<String, String> l = closeListener;
        if (l != null) {
            try {
                l.accept(reason.text(), description);
            } catch (Throwable t) {
                closeListenerThrew(t);
            }
        }
    }

    private static void closeListenerThrew(Throwable t) {
        LOG.log(System.Logger.Level.WARNING, "EngineSocket close listener threw", t);
    }

    /**
     * Calls {@code l} (one listener, or the composite of several, which calls them in order and stops at the first
     * that throws); a throw closes the session, as {@link #failed} says. Returns whether none threw.
     */
    private <T> boolean deliver(Consumer<T> l, T value, String event) {
        try {
            l.accept(value);
            return true;
        } catch (Throwable t) {
            failed(event, t);
            return false;
        }
    }

    /**
     * Whether a text message may be handed over as a reused view rather than a {@code String}: true while no
     * {@code onMessage} listener needs the {@code String} (packet listeners convert what they get). Loop thread.
     */
    boolean textAsView() {
        return messageListener == null;
    }

    /** As {@link #deliver} for listeners without an argument; {@code null} means none. */
    private void run(Runnable l, String event) {
        if (l != null) {
            try {
                l.run();
            } catch (Throwable t) {
                failed(event, t);
            }
        }
    }

    private void failed(String where, Throwable t) {
        LOG.log(System.Logger.Level.WARNING, "EngineSocket " + where + " listener threw; closing session " + id, t);
        session.close(false, nowNs());
    }

    // ------------------------------------------------------------------------------------------ EngineSocket

    private void onLoop(Runnable r) {
        if (loop.inEventLoop()) {
            r.run();
        } else {
            loop.offer(r);
        }
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public int protocol() {
        return protocol;
    }

    @Override
    public String transport() {
        return transportName;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public String remoteIp() {
        if (forwardedIp != null) {
            return forwardedIp;
        }
        return remote == null ? null : remote.getAddress().getHostAddress();
    }

    @Override
    public Map<String, List<String>> handshakeHeaders() {
        Map<String, List<String>> h = headers;
        if (h == null) {
            h = parseHeaders(rawHeaders); // made on first use; a racing second build is harmless
            headers = h;
        }
        return h;
    }

    @Override
    public Map<String, String> handshakeQuery() {
        Map<String, String> q = query;
        if (q == null) {
            q = Collections.unmodifiableMap(parseQuery(rawQuery));
            query = q;
        }
        return q;
    }

    @Override
    public void send(String text) {
        if (text == null) {
            throw new NullPointerException("text");
        }
        if (loop.inEventLoop()) {
            sendNow(text); // no command, no capture on the loop (the echo path)
        } else {
            loop.offer(() -> sendNow(text));
        }
    }

    private void sendNow(String text) {
        if (session.state() == EngineSession.State.OPEN) {
            session.send(text, true, nowNs());
        }
    }

    @Override
    public void send(CharSequence text) {
        if (text == null) {
            throw new NullPointerException("text");
        }
        if (text instanceof String) {
            send((String) text);
        } else if (loop.inEventLoop()) {
            if (session.state() == EngineSession.State.OPEN) {
                session.sendCopy(text, true, nowNs()); // copied into the pooled write buffer: no allocation
            }
        } else {
            String copy = text.toString();
            loop.offer(() -> sendNow(copy));
        }
    }

    @Override
    public void send(byte[] data) {
        byte[] copy = data.clone();
        onLoop(() -> {
            if (session.state() == EngineSession.State.OPEN) {
                session.send(ByteBuffer.wrap(copy), true, nowNs());
            }
        });
    }

    @Override
    public void send(ByteBuffer data) {
        byte[] copy = new byte[data.remaining()];
        data.get(data.position(), copy, 0, copy.length);
        onLoop(() -> {
            if (session.state() == EngineSession.State.OPEN) {
                session.send(ByteBuffer.wrap(copy), true, nowNs());
            }
        });
    }

    @Override
    public void close() {
        onLoop(() -> session.close(false, nowNs()));
    }

    /**
     * The server is closing, on the loop: {@code close(discard=true)} over polling or once {@code graceOver}, else
     * {@code close(false)} (queued packets are sent first).
     */
    void closeForShutdown(boolean graceOver) {
        onLoop(() -> {
            boolean discard = graceOver || session.transportKind() == dev.engineionio.session.TransportKind.POLLING;
            session.close(discard, nowNs());
        });
    }

    @Override
    public boolean isOpen() {
        return open && (!loop.inEventLoop() || session.state() == EngineSession.State.OPEN);
    }

    @Override
    public boolean isWritable() {
        EngineSession s = session;
        return open && s != null && s.state() == EngineSession.State.OPEN && s.transport() != null
                && s.transport().isWritable();
    }

    @Override
    public synchronized EngineSocket onMessage(Consumer<String> listener) {
        messageListener = then(messageListener, listener);
        return this;
    }

    @Override
    public synchronized EngineSocket onText(Consumer<CharSequence> listener) {
        textListener = then(textListener, listener);
        return this;
    }

    @Override
    public synchronized EngineSocket onBinary(Consumer<byte[]> listener) {
        Consumer<byte[]> earlier = binaryListener;
        binaryListener = earlier == null ? Objects.requireNonNull(listener, "listener") : data -> {
            earlier.accept(data.clone()); // each listener gets its own array to keep
            listener.accept(data);
        };
        return this;
    }

    @Override
    public synchronized EngineSocket onClose(BiConsumer<String, String> listener) {
        BiConsumer<String, String> earlier = closeListener;
        closeListener = earlier == null ? Objects.requireNonNull(listener, "listener") : (reason, description) -> {
            try {
                earlier.accept(reason, description);
            } catch (Throwable t) {
                closeListenerThrew(t); // logged; the later close listeners are still called
            }
            listener.accept(reason, description);
        };
        return this;
    }

    @Override
    public synchronized EngineSocket onUpgrade(Consumer<String> listener) {
        upgradeListener = then(upgradeListener, listener);
        return this;
    }

    @Override
    public synchronized EngineSocket onDrain(Runnable listener) {
        drainListener = then(drainListener, listener);
        return this;
    }

    @Override
    public synchronized EngineSocket onHeartbeat(Runnable listener) {
        heartbeatListener = then(heartbeatListener, listener);
        return this;
    }

    @Override
    public synchronized EngineSocket onUpgrading(Consumer<String> listener) {
        upgradingListener = then(upgradingListener, listener);
        return this;
    }

    @Override
    public synchronized EngineSocket onPacket(BiConsumer<String, Object> listener) {
        BiConsumer<String, Object> earlier = packetListener;
        packetListener = earlier == null ? Objects.requireNonNull(listener, "listener") : (type, data) -> {
            earlier.accept(type, data instanceof byte[] ? ((byte[]) data).clone() : data); // each its own array
            listener.accept(type, data);
        };
        return this;
    }

    @Override
    public synchronized EngineSocket onFlush(IntConsumer listener) {
        flushListener = then(flushListener, listener);
        return this;
    }

    /*
     * The composite of several listeners: the earlier ones, then the new one; a throw stops the rest (the caller
     * closes the session). A listener is required (NullPointerException at registration).
     */

    private static <T> Consumer<T> then(Consumer<T> earlier, Consumer<T> listener) {
        Objects.requireNonNull(listener, "listener");
        return earlier == null ? listener : earlier.andThen(listener);
    }

    private static IntConsumer then(IntConsumer earlier, IntConsumer listener) {
        Objects.requireNonNull(listener, "listener");
        return earlier == null ? listener : earlier.andThen(listener);
    }

    private static Runnable then(Runnable earlier, Runnable listener) {
        Objects.requireNonNull(listener, "listener");
        return earlier == null ? listener : () -> {
            earlier.run();
            listener.run();
        };
    }

    @Override
    public String handshakeUrl() {
        return rawQuery.isEmpty() ? path : path + "?" + rawQuery;
    }

    @Override
    public void execute(Runnable task) {
        if (task == null) {
            throw new NullPointerException("task");
        }
        onLoop(() -> runTask(task));
    }

    private void runTask(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            failed("execute/schedule task", t);
        }
    }

    /** {@link #schedule}'s longest delay: 2<sup>62</sup> ns (146 years), the timer wheel's horizon. */
    private static final long MAX_SCHEDULE_DELAY_NS = 1L << 62;
    private static final Duration MAX_SCHEDULE_DELAY = Duration.ofNanos(MAX_SCHEDULE_DELAY_NS);

    @Override
    public Timer schedule(Duration delay, Runnable task) {
        if (task == null) {
            throw new NullPointerException("task");
        }
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("delay must be zero or more: " + delay);
        }
        ScheduledTask t = new ScheduledTask(task,
                delay.compareTo(MAX_SCHEDULE_DELAY) > 0 ? MAX_SCHEDULE_DELAY_NS : delay.toNanos());
        onLoop(t::arm);
        return t;
    }

    /** One {@link #schedule} task: armed on the loop's wheel; cancelled by a flag, and removed from the wheel. */
    private final class ScheduledTask implements Timer, EventLoop.LoopTimer {
        private final Runnable task;
        private final long delayNs;
        private final java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        private long wheelId = TimerWheel.NULL_TIMER;

        ScheduledTask(Runnable task, long delayNs) {
            this.task = task;
            this.delayNs = delayNs;
        }

        void arm() {
            if (!done.get()) {
                wheelId = loop.schedule(loop.nowNs() + delayNs, this);
            }
        }

        @Override
        public void onTimer(long nowNs) {
            wheelId = TimerWheel.NULL_TIMER;
            if (done.compareAndSet(false, true)) {
                runTask(task);
            }
        }

        @Override
        public boolean cancel() {
            if (!done.compareAndSet(false, true)) {
                return false;
            }
            onLoop(() -> {
                if (wheelId != TimerWheel.NULL_TIMER) {
                    loop.cancelTimer(wheelId);
                    wheelId = TimerWheel.NULL_TIMER;
                }
            });
            return true;
        }
    }

    @Override
    public Object attachment() {
        return attachment;
    }

    @Override
    public void attach(Object attachment) {
        this.attachment = attachment;
    }

    @Override
    public String toString() {
        return "EngineSocket[" + id + ", v" + protocol + ", " + transportName + "]";
    }
}
