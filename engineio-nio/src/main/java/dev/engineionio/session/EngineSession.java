package dev.engineionio.session;

import dev.engineionio.protocol.PacketEncoder;
import dev.engineionio.protocol.PacketType;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * One Engine.IO session: the state machine of the reference's {@code Socket} ({@code socket.js}, engine.io 6.6.12),
 * sans-I/O. Packets come in from its transports, packets go out through them; time is an argument.
 *
 * <h2>Threading</h2>
 * Owned by one event loop: the loop of the connection that performed the handshake. Every method, including the
 * transports' input methods and {@link #onTimer(long)}, must be called on that thread. Other threads reach a
 * session through the owner loop's command queue. Only {@link #id()}, {@link #protocol()} and the registry entry
 * are safe to read from other threads.
 *
 * <h2>States</h2>
 * {@link State} is the reference's {@code readyState}; {@link UpgradeState} its {@code upgrading}/{@code upgraded}
 * flags, orthogonal to it (a closing session can still finish an upgrade). Timers armed in each:
 * <table>
 * <caption>States and their timers</caption>
 * <tr><th>state</th><th>meaning</th><th>timers</th></tr>
 * <tr><td>{@code OPENING}</td><td>constructed, {@link #open(long)} not called</td><td>none</td></tr>
 * <tr><td>{@code OPEN}</td><td>handshake sent; packets flow</td><td>v4: {@code PING} (next ping) or
 *     {@code PING_TIMEOUT} (pong awaited) and, after a PONG, {@code PING} again; v3: {@code PING_TIMEOUT}
 *     ({@code pingInterval+pingTimeout}, refreshed by each client PING)</td></tr>
 * <tr><td>{@code CLOSING}</td><td>{@link #close(boolean, long)} called: waits for the write buffer to drain and
 *     for the transport to close; sends nothing new, ignores incoming packets</td><td>as OPEN, plus
 *     {@code POLL_CLOSE_TIMEOUT} (30 s) while a polling transport waits for a GET to carry {@code 1}</td></tr>
 * <tr><td>{@code CLOSED}</td><td>final; {@link SessionListener#onClose} fired, removed from the registry</td>
 *     <td>none</td></tr>
 * </table>
 * <table>
 * <caption>Upgrade states</caption>
 * <tr><th>upgrade state</th><th>meaning</th><th>timers</th></tr>
 * <tr><td>{@code NONE}</td><td>no probe attached</td><td>none</td></tr>
 * <tr><td>{@code PROBING}</td><td>a probe WebSocket is attached, {@code 2probe} not yet received</td>
 *     <td>{@code UPGRADE_TIMEOUT}</td></tr>
 * <tr><td>{@code UPGRADING}</td><td>{@code 3probe} sent; a held GET is released with {@code 6} every 100 ms; an SSE
 *     stream gets {@code 6} as its last event and pauses</td>
 *     <td>{@code UPGRADE_TIMEOUT}, {@code UPGRADE_NOOP_TICK}</td></tr>
 * <tr><td>{@code UPGRADED}</td><td>{@code 5} received, the session is on the WebSocket; no further probe is
 *     accepted</td><td>none</td></tr>
 * </table>
 *
 * <h2>Timers</h2>
 * A table of deadlines indexed by {@link TimerKind}. The driver keeps one timer-wheel entry per session at
 * {@link #nextDeadlineNs()} and calls {@link #onTimer(long)} when it is due (late is fine; early is harmless). The
 * table changes only in {@code armTimer} and {@code disarmTimer}, and each reports the new {@code nextDeadlineNs()}
 * to {@link SessionListener#onDeadline}: the driver re-arms from those reports alone, whichever input caused the
 * change. Deadlines are compared as {@code deadline - now <= 0}.
 *
 * <h2>Output</h2>
 * Queued packets (the write buffer, a {@link WriteBuffer}) go to the current transport whenever it is writable: as
 * one payload to a held polling GET ({@link PollResponder}), or frame by frame ({@link FrameSink}). The session holds
 * a batch only while packets wait: it takes one from its loop's {@link WriteBuffer.Pool} when it queues a packet and
 * gives it back once the transport has taken them, so an idle session holds none.
 *
 * <h2>Deviation from the reference</h2>
 * The reference clears the pending ping timeout when an upgrade completes ({@code clearTransport()}), so in v3 an
 * upgraded session has no heartbeat deadline at all, and in v4 a session upgraded while a PONG is awaited never
 * times out if that PONG does not come (observed on engine.io 6.6.12: both stay open indefinitely). A client that
 * follows the protocol cannot observe the difference, but a dead peer would hold its session forever; this class
 * keeps the heartbeat timers across the upgrade.
 *
 * <h2>Limits</h2>
 * The write buffer is bounded in time only, as in the reference (see {@link WriteBuffer}).
 */
public final class EngineSession {
    /** The reference's {@code readyState}. */
    public enum State { OPENING, OPEN, CLOSING, CLOSED }

    /** The reference's {@code upgrading}/{@code upgraded} flags as one state. */
    public enum UpgradeState { NONE, PROBING, UPGRADING, UPGRADED }

    /** {@link #nextDeadlineNs()} when no timer is armed. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;

    private static final int TIMER_COUNT = TimerKind.VALUES.length;
    private static final String PROBE = "probe";

    private final String id;
    private final int protocol;
    private final EngineConfig config;
    private final SessionListener listener;
    private final SessionRegistry registry;

    private State state = State.OPENING;
    private UpgradeState upgradeState = UpgradeState.NONE;
    private SessionTransport transport;
    private WebSocketTransport probe;

    private final WriteBuffer.Pool batches;
    /** Packets queued and not yet handed to a transport; {@code null} when there are none. */
    private WriteBuffer writeBuffer;

    private final long[] deadlines = new long[TIMER_COUNT];
    private int armedTimers;
    private long nowNs;

    private boolean hasRefreshedPingTimeout;
    private boolean closeOnDrain;
    private boolean closeOnDrainDiscard;

    /**
     * A session on its first transport. Call {@link #open(long)} next, then hand the handshake request to the
     * transport (a polling GET to {@link PollingTransport#onPollRequest}; a WebSocket is writable already).
     *
     * @param id        the session id (see {@link SessionIdGenerator})
     * @param config    the server options
     * @param listener  the events
     * @param registry  where the session registers at open and unregisters at close; may be {@code null}
     * @param transport the handshake's transport, not attached to any other session; its protocol is the session's
     */
    public EngineSession(String id, EngineConfig config, SessionListener listener, SessionRegistry registry,
                         SessionTransport transport) {
        this(id, config, listener, registry, transport, new WriteBuffer.Pool(1));
    }

    /**
     * A session on its first transport that takes its write buffer from {@code batches}, shared with the other
     * sessions of the same event loop.
     *
     * @param batches the loop's spare batches (see {@link WriteBuffer.Pool}); used on the session's thread only
     */
    public EngineSession(String id, EngineConfig config, SessionListener listener, SessionRegistry registry,
                         SessionTransport transport, WriteBuffer.Pool batches) {
        if (batches == null) {
            throw new IllegalArgumentException("batches is required");
        }
        this.batches = batches;
        if (id == null || config == null || listener == null || transport == null) {
            throw new IllegalArgumentException("id, config, listener and transport are required");
        }
        if (transport.session != null) {
            throw new IllegalArgumentException("transport already belongs to a session");
        }
        this.id = id;
        this.protocol = transport.protocol;
        this.config = config;
        this.listener = listener;
        this.registry = registry;
        this.transport = transport;
        transport.session = this;
    }

    // ---------------------------------------------------------------- accessors

    /** The listener given at construction (the server's socket object). Any thread. */
    public SessionListener listener() {
        return listener;
    }

    /** The session id. Any thread. */
    public String id() {
        return id;
    }

    /** 3 or 4. Any thread. */
    public int protocol() {
        return protocol;
    }

    public State state() {
        return state;
    }

    public UpgradeState upgradeState() {
        return upgradeState;
    }

    /** Whether a probe is attached and the upgrade not finished (the reference's {@code upgrading}). */
    public boolean isUpgrading() {
        return upgradeState == UpgradeState.PROBING || upgradeState == UpgradeState.UPGRADING;
    }

    /** Whether the session switched transport (the reference's {@code upgraded}). */
    public boolean isUpgraded() {
        return upgradeState == UpgradeState.UPGRADED;
    }

    /** The current transport. */
    public SessionTransport transport() {
        return transport;
    }

    /** The current transport's kind (what the {@link RequestVerifier} compares a request's {@code transport} with). */
    public TransportKind transportKind() {
        return transport.kind();
    }

    /** The probe WebSocket while upgrading, else {@code null}. */
    public WebSocketTransport probeTransport() {
        return probe;
    }

    public EngineConfig config() {
        return config;
    }

    /** Number of packets queued and not yet handed to a transport. */
    public int queuedPackets() {
        WriteBuffer wb = writeBuffer;
        return wb == null ? 0 : wb.count();
    }

    // ---------------------------------------------------------------- timers

    /** The earliest armed deadline, or {@link #NO_DEADLINE} (always once closed). */
    public long nextDeadlineNs() {
        long best = NO_DEADLINE;
        if (state == State.CLOSED) {
            return best;
        }
        boolean any = false;
        for (int k = 0; k < TIMER_COUNT; k++) {
            if ((armedTimers & (1 << k)) != 0) {
                long d = deadlines[k];
                if (!any || d - best < 0) {
                    best = d;
                    any = true;
                }
            }
        }
        return best;
    }

    /** The deadline of timer {@code kind}, or {@link #NO_DEADLINE} when it is not armed. */
    public long deadlineNs(TimerKind kind) {
        return isArmed(kind) ? deadlines[kind.ordinal()] : NO_DEADLINE;
    }

    /** Whether timer {@code kind} is armed. */
    public boolean isArmed(TimerKind kind) {
        return (armedTimers & (1 << kind.ordinal())) != 0;
    }

    /** Fires every timer due at {@code nowNs}, earliest deadline first (ties in {@link TimerKind} order). */
    public void onTimer(long nowNs) {
        enter(nowNs);
        // Each firing disarms its timer or re-arms it in the future, so this ends; the bound is a safety net.
        for (int guard = 0; guard < TIMER_COUNT * 4; guard++) {
            int due = -1;
            for (int k = 0; k < TIMER_COUNT; k++) {
                if ((armedTimers & (1 << k)) != 0 && deadlines[k] - nowNs <= 0
                        && (due < 0 || deadlines[k] - deadlines[due] < 0)) {
                    due = k;
                }
            }
            if (due < 0) {
                return;
            }
            disarmTimer(TimerKind.VALUES[due]);
            fire(TimerKind.VALUES[due]);
        }
    }

    private void fire(TimerKind kind) {
        switch (kind) {
            case PING:
                // schedulePing(): a v4 server ping, then wait for the pong
                hasRefreshedPingTimeout = false;
                sendPacket(PacketType.PING, null, false);
                armTimer(TimerKind.PING_TIMEOUT, config.pingTimeoutNs());
                break;
            case PING_TIMEOUT:
                if (state != State.CLOSED) {
                    onClose(CloseReason.PING_TIMEOUT, null);
                }
                break;
            case UPGRADE_TIMEOUT: {
                WebSocketTransport p = probe;
                upgradeCleanup();
                if (p != null && p.readyState == SessionTransport.ReadyState.OPEN) {
                    p.close(false);
                }
                upgradeAbandoned();
                break;
            }
            case UPGRADE_NOOP_TICK:
                // the reference's check(): force a polling cycle for a fast upgrade
                armTimer(TimerKind.UPGRADE_NOOP_TICK, config.upgradeNoopIntervalNs());
                if (transport instanceof PollingTransport && transport.writable) {
                    transport.sendControl(PacketType.NOOP, null);
                }
                break;
            case POLL_CLOSE_TIMEOUT:
                if (transport instanceof PollingTransport) {
                    ((PollingTransport) transport).onCloseTimeout();
                }
                break;
            case SSE_STREAM_TIMEOUT:
                if (transport instanceof SseTransport) {
                    ((SseTransport) transport).onStreamTimeout();
                }
                break;
            default:
                throw new AssertionError(kind);
        }
    }

    void armTimer(TimerKind kind, long delayNs) {
        deadlines[kind.ordinal()] = nowNs + delayNs;
        armedTimers |= 1 << kind.ordinal();
        listener.onDeadline(this, nextDeadlineNs());
    }

    void disarmTimer(TimerKind kind) {
        armedTimers &= ~(1 << kind.ordinal());
        listener.onDeadline(this, nextDeadlineNs());
    }

    void enter(long nowNs) {
        this.nowNs = nowNs;
    }

    // ---------------------------------------------------------------- API

    /**
     * Opens the session (the reference's {@code onOpen()}): registers it, queues the open packet and the
     * {@code initialPacket}, fires {@link SessionListener#onOpen}, arms the heartbeat.
     */
    public void open(long nowNs) {
        enter(nowNs);
        if (state != State.OPENING) {
            throw misuse("open() twice");
        }
        state = State.OPEN;
        if (registry != null) {
            registry.add(this);
        }
        sendPacket(PacketType.OPEN, handshakeJson(), false);
        if (config.initialPacket() != null) {
            sendPacket(PacketType.MESSAGE, config.initialPacket(), true);
        }
        listener.onOpen(this);
        if (state == State.CLOSED) {
            return;
        }
        if (protocol == 3) {
            armTimer(TimerKind.PING_TIMEOUT, config.pingIntervalNs() + config.pingTimeoutNs());
        } else {
            armTimer(TimerKind.PING, config.pingIntervalNs());
        }
    }

    /**
     * The open packet's JSON, keys in the reference's order: {@code sid, upgrades, pingInterval, pingTimeout,
     * maxPayload}.
     */
    public String handshakeJson() {
        List<TransportKind> upgrades = config.upgradesFor(transport.kind());
        String[] names = new String[upgrades.size()];
        for (int i = 0; i < names.length; i++) {
            names[i] = upgrades.get(i).queryName();
        }
        return PacketEncoder.handshakeJson(id, names, config.pingInterval().toMillis(), config.pingTimeout().toMillis(),
                config.maxHttpBufferSize());
    }

    /**
     * Queues a text message. Returns false, sending nothing, when the session is closing or closed (the reference
     * drops it silently).
     */
    public boolean send(CharSequence text, boolean compress, long nowNs) {
        enter(nowNs);
        checkOpened();
        return sendPacket(PacketType.MESSAGE, text == null ? "" : text, compress);
    }

    /**
     * Queues a text message whose text is only borrowed (valid for this call, e.g. the view a text listener got):
     * it is copied into the write buffer's arena now, without allocating once the arena has grown. Returns false
     * when the session is closing or closed.
     */
    public boolean sendCopy(CharSequence text, boolean compress, long nowNs) {
        enter(nowNs);
        checkOpened();
        return sendPacket(PacketType.MESSAGE, text == null ? "" : text, compress, true);
    }

    /**
     * Queues a binary message (bytes between position and limit). The buffer is kept, not copied, until the batch
     * is flushed: the caller must not change it, and must copy a buffer it only borrowed (such as the one passed
     * to {@link SessionListener#onBinaryMessage}, which is valid for that call only). Returns false when the session
     * is closing or closed.
     */
    public boolean send(ByteBuffer data, boolean compress, long nowNs) {
        enter(nowNs);
        checkOpened();
        if (data == null) {
            throw misuse("null data");
        }
        return sendPacket(PacketType.MESSAGE, data, compress);
    }

    /**
     * Closes the session (the reference's {@code socket.close(discard)}): {@code CLOSING}, then once the write
     * buffer is flushed the transport closes and the session closes with {@link CloseReason#FORCED_CLOSE}. Over
     * polling a held GET gets {@code 1}; with none held the next GET carries what is left (then {@code 6\x1e1}).
     * Over WebSocket: a close frame, no close packet. {@code discard} (server shutdown) closes the transport at
     * once, without waiting for a GET. Without {@code discard} it is a no-op unless {@code OPEN}.
     */
    public void close(boolean discard, long nowNs) {
        enter(nowNs);
        if (discard && (state == State.OPEN || state == State.CLOSING)) {
            closeTransport(true);
            return;
        }
        if (state != State.OPEN) {
            return;
        }
        state = State.CLOSING;
        if (queuedPackets() != 0) {
            closeOnDrain = true;
            closeOnDrainDiscard = discard;
            return;
        }
        closeTransport(discard);
    }

    private void closeTransport(boolean discard) {
        if (discard) {
            transport.discarded = true;
        }
        transport.close(true);
    }

    /**
     * A WebSocket with this session's {@code sid} finished its handshake (the reference's {@code onWebSocket} for an
     * existing client). Refused, the WebSocket is closed at once (close frame, no status) when the session is closed,
     * already upgrading, or already upgraded. Otherwise it becomes the probe: {@code 2probe} gets {@code 3probe},
     * {@code 5} switches the session to it, anything else, an error, a close or {@code upgradeTimeout} closes it.
     * Accepted even when {@code allowUpgrades} is off (as the reference). Returns whether it was accepted.
     */
    public boolean onWebSocketUpgradeRequest(WebSocketTransport ws, long nowNs) {
        enter(nowNs);
        if (ws.session != null) {
            throw misuse("transport already belongs to a session");
        }
        ws.session = this;
        if (state == State.CLOSED || state == State.OPENING || upgradeState != UpgradeState.NONE) {
            ws.close(false);
            return false;
        }
        probe = ws;
        upgradeState = UpgradeState.PROBING;
        armTimer(TimerKind.UPGRADE_TIMEOUT, config.upgradeTimeoutNs());
        return true;
    }

    // ---------------------------------------------------------------- transport events

    void onTransportReady(SessionTransport t) {
        if (t == transport) {
            flush();
        }
    }

    void onTransportPacket(SessionTransport t, PacketType type, CharSequence text, ByteBuffer binary) {
        if (t == transport) {
            onPacket(type, text, binary);
        } else if (t == probe) {
            onProbePacket(type, text);
        }
    }

    void onTransportDecodeError(SessionTransport t) {
        if (t == transport) {
            if (state != State.OPEN) {
                return;
            }
            refreshPingTimeoutOnce(null);
            onClose(CloseReason.PARSE_ERROR, null);
        } else if (t == probe) {
            // a bad packet on the probe is "any other packet": the probe closes, the session stays
            probeFailed();
        }
    }

    void onTransportError(SessionTransport t, String description) {
        if (t == transport) {
            onClose(CloseReason.TRANSPORT_ERROR, description);
        } else if (t == probe) {
            probeFailed();
        }
    }

    void onTransportClose(SessionTransport t) {
        if (t == transport) {
            onClose(CloseReason.TRANSPORT_CLOSE, null);
        } else if (t == probe) {
            probeFailed();
        }
    }

    /** The reference's close callback {@code fn = onClose("forced close")}, run by the transport. */
    void onForcedCloseDone() {
        onClose(CloseReason.FORCED_CLOSE, null);
    }

    // ---------------------------------------------------------------- incoming packets

    private void onPacket(PacketType type, CharSequence text, ByteBuffer binary) {
        if (state != State.OPEN) {
            return; // "packet received with closed socket"
        }
        listener.onPacket(this, type, text, binary);
        if (state != State.OPEN) {
            return;
        }
        refreshPingTimeoutOnce(type);
        switch (type) {
            case PING:
                if (protocol != 3) {
                    onClose(CloseReason.TRANSPORT_ERROR, "invalid heartbeat direction");
                    return;
                }
                if (isArmed(TimerKind.PING_TIMEOUT)) {
                    armTimer(TimerKind.PING_TIMEOUT, config.pingIntervalNs() + config.pingTimeoutNs());
                }
                sendPacket(PacketType.PONG, null, false); // v3 pongs carry no data, whatever the ping had
                listener.onHeartbeat(this);
                break;
            case PONG:
                if (protocol == 3) {
                    onClose(CloseReason.TRANSPORT_ERROR, "invalid heartbeat direction");
                    return;
                }
                disarmTimer(TimerKind.PING_TIMEOUT);
                armTimer(TimerKind.PING, config.pingIntervalNs()); // pingIntervalTimer.refresh()
                listener.onHeartbeat(this);
                break;
            case MESSAGE:
                if (binary != null) {
                    listener.onBinaryMessage(this, binary);
                } else {
                    listener.onMessage(this, text == null ? "" : text);
                }
                break;
            default:
                // open, close (over WebSocket), upgrade, noop on the current transport: ignored, as the reference
                break;
        }
    }

    /** 6.6.12: one non-PONG packet received while a PONG is awaited extends the ping timeout, once per ping. */
    private void refreshPingTimeoutOnce(PacketType type) {
        if (protocol != 3 && isArmed(TimerKind.PING_TIMEOUT) && !hasRefreshedPingTimeout && type != PacketType.PONG) {
            armTimer(TimerKind.PING_TIMEOUT, config.pingTimeoutNs());
            hasRefreshedPingTimeout = true;
        }
    }

    private void onProbePacket(PacketType type, CharSequence text) {
        WebSocketTransport p = probe;
        if (type == PacketType.PING && text != null && TransportKind.contentEquals(text, PROBE)) {
            p.sendControl(PacketType.PONG, PROBE);
            upgradeState = UpgradeState.UPGRADING;
            listener.onUpgrading(this, p.kind());
            if (probe == p) {
                armTimer(TimerKind.UPGRADE_NOOP_TICK, config.upgradeNoopIntervalNs());
                if (transport instanceof SseTransport) {
                    ((SseTransport) transport).pauseForUpgrade(); // the stream's last event is 6, as a released poll
                }
            }
        } else if (type == PacketType.UPGRADE && state != State.CLOSED) {
            upgradeCleanup();
            SessionTransport old = transport;
            old.discarded = true;
            upgradeState = UpgradeState.UPGRADED;
            transport = p; // set first: events of the old transport are ignored from here on
            old.close(false); // polling: a held GET gets 1
            listener.onUpgrade(this, p.kind());
            flush();
            if (state == State.CLOSING) {
                p.close(true);
            }
        } else {
            probeFailed();
        }
    }

    private void probeFailed() {
        WebSocketTransport p = probe;
        upgradeCleanup();
        if (p != null) {
            p.close(false);
        }
        upgradeAbandoned();
    }

    /** An upgrade that did not complete: an SSE transport paused for it writes again. */
    private void upgradeAbandoned() {
        if (upgradeState != UpgradeState.UPGRADED && transport instanceof SseTransport) {
            ((SseTransport) transport).resumeAfterFailedUpgrade();
        }
    }

    private void upgradeCleanup() {
        probe = null;
        if (upgradeState != UpgradeState.UPGRADED) {
            upgradeState = UpgradeState.NONE;
        }
        disarmTimer(TimerKind.UPGRADE_TIMEOUT);
        disarmTimer(TimerKind.UPGRADE_NOOP_TICK);
    }

    // ---------------------------------------------------------------- outgoing packets

    private boolean sendPacket(PacketType type, Object payload, boolean compress) {
        return sendPacket(type, payload, compress, false);
    }

    /** Queues a packet and flushes; {@code copyText}: the payload is a borrowed {@link CharSequence}, copy it. */
    private boolean sendPacket(PacketType type, Object payload, boolean compress, boolean copyText) {
        if (state == State.CLOSING || state == State.CLOSED) {
            return false;
        }
        listener.onPacketCreate(this, type, payload);
        if (state == State.CLOSING || state == State.CLOSED) {
            return false;
        }
        WriteBuffer wb = writeBuffer;
        if (wb == null) {
            wb = writeBuffer = batches.acquire();
        }
        if (copyText) {
            wb.addCopy(type, (CharSequence) payload, compress);
        } else {
            wb.add(type, payload, compress);
        }
        flush();
        return true;
    }

    private void flush() {
        if (state == State.CLOSED || !transport.writable || queuedPackets() == 0) {
            return;
        }
        listener.onFlush(this, writeBuffer);
        // the listener may have sent (a nested flush) or closed
        WriteBuffer out = writeBuffer;
        if (state == State.CLOSED || !transport.writable || out == null || out.isEmpty()) {
            return;
        }
        // Packets sent while the transport encodes these (re-entrantly) go to a new batch, flushed next time.
        writeBuffer = null;
        try {
            transport.send(out);
        } finally {
            batches.release(out);
        }
        listener.onDrain(this);
        if (closeOnDrain) {
            closeOnDrain = false;
            if (state != State.CLOSED) {
                closeTransport(closeOnDrainDiscard);
            }
        }
    }

    // ---------------------------------------------------------------- close

    private void onClose(CloseReason reason, String description) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        disarmTimer(TimerKind.PING);
        disarmTimer(TimerKind.PING_TIMEOUT);
        disarmTimer(TimerKind.POLL_CLOSE_TIMEOUT);
        closeOnDrain = false;
        transport.close(false); // clearTransport(): a held GET gets 1, a streaming POST is aborted
        if (registry != null) {
            registry.remove(this);
        }
        listener.onClose(this, reason, description);
        // the upgrade's own "close" listener, registered after the others
        if (probe != null) {
            probeFailed();
        }
        WriteBuffer wb = writeBuffer;
        if (wb != null) {
            writeBuffer = null;
            batches.release(wb);
        }
    }

    private void checkOpened() {
        if (state == State.OPENING) {
            throw misuse("send before open()");
        }
    }

    private static IllegalStateException misuse(String what) {
        return new IllegalStateException(what);
    }

    @Override
    public String toString() {
        return "EngineSession[" + id + ", v" + protocol + ", " + state + ", " + transport.kind() + ", "
                + upgradeState + "]";
    }
}
