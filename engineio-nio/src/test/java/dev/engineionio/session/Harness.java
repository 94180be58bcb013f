package dev.engineionio.session;

import dev.engineionio.protocol.PacketType;

import java.nio.ByteBuffer;

/**
 * Drives one session on a fake clock, like the driver would: {@link #advanceTo(long)} fires each due deadline at its
 * exact time (a perfect timer wheel). Packets are written in v4 text notation ({@code "4hello"}, {@code "2probe"}).
 * The tests read and move the clock in whole milliseconds ({@link #now}); the session is given the same instants in
 * nanoseconds ({@link #nowNs()}), its one time unit.
 */
final class Harness {
    static final String SID = "AAAAAAAAAAAAAAAAAAAA";

    final Recorder rec;
    final EngineConfig config;
    final SessionRegistry registry = new SessionRegistry();
    /** The write buffers, shared by the harness's sessions as by the sessions of one loop. */
    final WriteBuffer.Pool batches = new WriteBuffer.Pool(4);
    EngineSession session;
    PollingTransport polling;
    /** The clock, in milliseconds. */
    long now;
    private int gets;
    private int posts;
    private int sockets;

    Harness(EngineConfig config, Recorder rec) {
        this.config = config;
        this.rec = rec;
    }

    Harness(EngineConfig config) {
        this(config, new Recorder());
    }

    /** A polling session, opened and its handshake GET answered; the log is cleared. */
    Harness pollingSession(int protocol) {
        polling = new PollingTransport(protocol, true, null);
        session = new EngineSession(SID, config, rec.listener, registry, polling, batches);
        session.open(nowNs());
        get();
        rec.take();
        return this;
    }

    /** A direct WebSocket session, opened and its first frames written; the log is cleared. */
    Recorder.Sink webSocketSession(int protocol) {
        Recorder.Sink sink = rec.new Sink("WS" + (++sockets));
        WebSocketTransport ws = new WebSocketTransport(protocol, true, sink);
        session = new EngineSession(SID, config, rec.listener, registry, ws, batches);
        session.open(nowNs());
        writable(ws);
        rec.take();
        return sink;
    }

    Recorder.Poll get() {
        Recorder.Poll p = rec.new Poll("GET" + (++gets));
        polling.onPollRequest(p, nowNs());
        return p;
    }

    /** A POST whose body decodes to {@code packets} (each in v4 text notation; {@code null} is a decode error). */
    Recorder.Post post(String... packets) {
        Recorder.Post p = rec.new Post("POST" + (++posts));
        if (!polling.onPostRequest(p, false, nowNs())) {
            return p;
        }
        for (String packet : packets) {
            if (packet == null) {
                polling.onPostDecodeError(p, nowNs());
                break;
            }
            polling.onPostPacket(p, type(packet), packet.substring(1), null, nowNs());
        }
        polling.onPostEnd(p, nowNs());
        return p;
    }

    Recorder.Post startPost() {
        Recorder.Post p = rec.new Post("POST" + (++posts));
        polling.onPostRequest(p, false, nowNs());
        return p;
    }

    /** Attaches a probe WebSocket; returns its transport (sink name WS<n>). */
    WebSocketTransport probe() {
        Recorder.Sink sink = rec.new Sink("WS" + (++sockets));
        WebSocketTransport ws = new WebSocketTransport(session.protocol(), true, sink);
        session.onWebSocketUpgradeRequest(ws, nowNs());
        return ws;
    }

    void ws(WebSocketTransport ws, String packet) {
        ws.onPacket(type(packet), packet.substring(1), null, nowNs());
    }

    void wsBinary(WebSocketTransport ws, byte... bytes) {
        ws.onPacket(PacketType.MESSAGE, null, ByteBuffer.wrap(bytes), nowNs());
    }

    void writable(WebSocketTransport ws) {
        ws.onWritable(nowNs());
    }

    WebSocketTransport currentWs() {
        return (WebSocketTransport) session.transport();
    }

    /** Moves the clock to {@code t}, firing every deadline on the way at its own time. */
    void advanceTo(long t) {
        while (true) {
            long d = session.nextDeadlineNs();
            if (d == EngineSession.NO_DEADLINE || d > ns(t)) {
                break;
            }
            now = ms(d);
            session.onTimer(d);
        }
        now = t;
    }

    /** {@link #now} in the session's unit. */
    long nowNs() {
        return ns(now);
    }

    /** The session's next deadline in milliseconds, or {@link EngineSession#NO_DEADLINE}. */
    long nextDeadlineMs() {
        return ms(session.nextDeadlineNs());
    }

    /** The deadline of timer {@code kind} in milliseconds, or {@link EngineSession#NO_DEADLINE}. */
    long deadlineMs(TimerKind kind) {
        return ms(session.deadlineNs(kind));
    }

    static long ns(long ms) {
        return ms * 1_000_000L;
    }

    /** Nanoseconds to the test's milliseconds; every deadline of these tests falls on a whole millisecond. */
    static long ms(long ns) {
        if (ns == EngineSession.NO_DEADLINE) {
            return ns;
        }
        if (ns % 1_000_000L != 0) {
            throw new AssertionError("not a whole millisecond: " + ns + " ns");
        }
        return ns / 1_000_000L;
    }

    void advance(long ms) {
        advanceTo(now + ms);
    }

    private static PacketType type(String packet) {
        return PacketType.fromAscii(packet.charAt(0));
    }
}
