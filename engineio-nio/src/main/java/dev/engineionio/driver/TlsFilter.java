package dev.engineionio.driver;

import dev.engineionio.timer.TimerWheel;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * The TLS filter of one {@link Connection} of a TLS listener: a server-mode {@link SSLEngine} between the channel and
 * the handler. The handler sees plaintext through the same {@link ConnectionHandler} contract as on a plain listener;
 * the connection reads ciphertext, hands it here to unwrap, and wraps its plaintext output queue here before the
 * socket write (see {@code Connection}'s "TLS filter" section, which drives this class).
 *
 * <h2>Threads</h2>
 * The connection's loop thread only, like the connection. Handshakes, records, wrap, unwrap and the engine's delegated
 * tasks all run there: delegated tasks are run inline (the server's certificate signature is the expensive one; see
 * the measurements in benchmarks/README.md).
 *
 * <h2>Memory</h2>
 * Ciphertext is read into the loop's TLS input buffer and wrapped into the loop's TLS output buffer; the filter keeps
 * bytes of its own only for a partial record ({@link #netIn}) or encrypted output the socket did not take ({@link
 * #netOut}), in a pooled chunk (or a heap buffer when larger), given back when drained. An idle TLS connection holds
 * the engine and no network buffer.
 *
 * <h2>Protocol rules enforced here</h2>
 * <ul>
 * <li>the handshake must finish within the listener's handshake timeout (a loop timer armed at open), else the
 * connection is closed ({@link CloseCause#IO_ERROR} with an {@link SSLHandshakeException});
 * <li>a first byte that is an upper-case ASCII letter is a plain HTTP request sent to the TLS port: the connection
 * answers {@code 400} in clear text, as nginx does, and closes;
 * <li>a handshake started by the client after the first one on a TLS 1.2 session (renegotiation) is refused: the
 * connection sends close_notify and closes ({@link CloseCause#IO_ERROR});
 * <li>an EOF without the peer's close_notify after the handshake began is a truncation: {@link CloseCause#IO_ERROR};
 * a close_notify is the peer's EOF ({@link ConnectionHandler#onEof});
 * <li>what the engine rejects (garbage, an oversized record, a bad handshake) closes the connection with the engine's
 * alert sent first when it has one ({@link CloseCause#IO_ERROR}, the {@link SSLException} in {@link
 * Connection#closeError()}).
 * </ul>
 */
final class TlsFilter implements EventLoop.LoopTimer {

    private static final ByteBuffer[] NO_DATA = {ByteBuffer.allocate(0)};
    static final ByteBuffer[] EMPTY = new ByteBuffer[0];

    final SSLEngine engine;
    private final Connection connection;
    private final long handshakeTimeoutNs;
    /** The engine's largest record, ciphertext. */
    final int packetSize;
    /** The engine's largest record, plaintext. */
    final int appSize;
    /** Retained ciphertext (a partial record), read mode; null when none. */
    ByteBuffer netIn;
    /** Encrypted output the socket has not taken yet, read mode; null when none. */
    ByteBuffer netOut;
    /** Any byte received (an EOF before is a plain disconnect, not a truncation). */
    boolean started;
    boolean handshakeDone;
    /** {@link SSLEngine#closeOutbound()} called (close_notify queued in the engine). */
    boolean outboundClosed;
    private long timerId = TimerWheel.NULL_TIMER;

    TlsFilter(Connection connection, SSLEngine engine, long handshakeTimeoutNs) {
        this.connection = connection;
        this.engine = engine;
        this.handshakeTimeoutNs = handshakeTimeoutNs;
        this.packetSize = engine.getSession().getPacketBufferSize();
        this.appSize = engine.getSession().getApplicationBufferSize();
    }

    /** Arms the handshake deadline on the connection's loop. */
    void start(long nowNs) {
        timerId = connection.loop().schedule(nowNs + handshakeTimeoutNs, this);
    }

    @Override
    public void onTimer(long nowNs) {
        timerId = TimerWheel.NULL_TIMER;
        if (!handshakeDone && connection.isOpen()) {
            connection.close(CloseCause.IO_ERROR, new SSLHandshakeException(
                    "TLS handshake not complete within "
                            + java.time.Duration.ofNanos(handshakeTimeoutNs).toMillis() + " ms"));
        }
    }

    private void cancelTimer() {
        if (timerId != TimerWheel.NULL_TIMER) {
            connection.loop().cancelTimer(timerId);
            timerId = TimerWheel.NULL_TIMER;
        }
    }

    /** Whether the engine wants to produce a record now (handshake message, alert, close_notify, session ticket). */
    boolean wantsWrap() {
        return engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP;
    }

    /** Whether the filter holds a network buffer (partial record in, unsent record out). */
    boolean holdsBuffer() {
        return netIn != null || netOut != null;
    }

    // ------------------------------------------------------------------------------------------ input

    /** Where the next ciphertext read goes: after the retained partial record (write mode), else the loop buffer. */
    ByteBuffer readTarget() {
        EventLoop loop = connection.loop();
        ByteBuffer b = netIn;
        if (b == null) {
            b = loop.tlsInBuffer();
            b.clear();
            return b;
        }
        if (b.capacity() - b.remaining() < 1 || b.capacity() < packetSize) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(packetSize, b.remaining() * 2));
            bigger.put(b);
            loop.pool().release(b);
            netIn = bigger;
            return bigger;
        }
        b.compact();
        return b;
    }

    /*
     * Chunks are taken with pool().acquire(), not loop.acquireChunk(): the latter may drain other connections' output
     * when the pool is empty, and a TLS connection's drain wraps into the loop's TLS output buffer, the very buffer
     * whose rest keepOutput is about to copy.
     */

    /** Keeps what is left of {@code net} (read mode) as the partial record, or gives the buffer back. */
    void keepInput(ByteBuffer net) {
        EventLoop loop = connection.loop();
        if (net == netIn) {
            if (!net.hasRemaining()) {
                netIn = null;
                loop.pool().release(net);
            }
            return;
        }
        if (!net.hasRemaining()) {
            return;
        }
        int left = net.remaining();
        ByteBuffer b = left <= loop.pool().chunkSize() ? loop.pool().acquire()
                : ByteBuffer.allocate(Math.max(left, packetSize));
        b.put(net).flip();
        netIn = b;
    }

    void dropInput() {
        ByteBuffer b = netIn;
        if (b != null) {
            netIn = null;
            connection.loop().pool().release(b);
        }
    }

    /** Unwrap stopped because the plaintext buffer is full; more ciphertext may be left. */
    static final int UNWRAP_DST_FULL = 1;
    /** Unwrap stopped for want of ciphertext (all consumed or a partial record left). */
    static final int UNWRAP_NEED_INPUT = 2;
    /** The peer's close_notify arrived. */
    static final int UNWRAP_CLOSED = 3;
    /** The engine wants to wrap before it can go on (a handshake flight): flush, then unwrap again. */
    static final int UNWRAP_NEED_WRAP = 4;

    /**
     * Unwraps records of {@code net} (read mode) into {@code dst} (write mode, at least {@link #appSize} free) while
     * both allow; runs delegated tasks inline.
     */
    int unwrap(ByteBuffer net, ByteBuffer dst) throws SSLException {
        if (!started && net.hasRemaining()) {
            started = true;
        }
        while (true) {
            if (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                return UNWRAP_NEED_WRAP;
            }
            if (!net.hasRemaining()) {
                return UNWRAP_NEED_INPUT;
            }
            if (dst.remaining() < appSize) {
                return UNWRAP_DST_FULL;
            }
            SSLEngineResult r = engine.unwrap(net, dst);
            SSLEngineResult.HandshakeStatus hs = r.getHandshakeStatus();
            switch (r.getStatus()) {
                case CLOSED:
                    return UNWRAP_CLOSED;
                case BUFFER_UNDERFLOW:
                    checkRecordHeader(net);
                    return UNWRAP_NEED_INPUT;
                case BUFFER_OVERFLOW:
                    return UNWRAP_DST_FULL;
                default:
                    break;
            }
            if (handshakeDone && hs != SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING
                    && hs != SSLEngineResult.HandshakeStatus.FINISHED && isTls12()) {
                throw new RenegotiationRefused();
            }
            afterStatus(hs);
            if (r.bytesConsumed() == 0 && r.bytesProduced() == 0
                    && engine.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                return UNWRAP_NEED_INPUT;
            }
        }
    }

    /**
     * A partial record whose header announces more than the largest record: the engine would wait for it (before the
     * handshake it does), so it is refused here.
     */
    private void checkRecordHeader(ByteBuffer net) throws SSLException {
        int p = net.position();
        if (net.remaining() >= 5 && (net.get(p) & 0x80) == 0) {
            int length = (net.get(p + 3) & 0xff) << 8 | net.get(p + 4) & 0xff;
            if (length + 5 > packetSize) {
                throw new RecordTooLarge(length);
            }
        }
    }

    /** A record header announcing more than the largest TLS record. */
    static final class RecordTooLarge extends SSLException {
        private static final long serialVersionUID = 1L;

        RecordTooLarge(int length) {
            super("record of " + length + " bytes: larger than a TLS record may be");
        }
    }

    /** A fatal record_overflow alert in clear text (before the handshake no keys are agreed). */
    static final byte[] RECORD_OVERFLOW_ALERT = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x16};

    private boolean isTls12() {
        return "TLSv1.2".equals(engine.getSession().getProtocol());
    }

    /** A TLS 1.2 client started a new handshake on an established session. */
    static final class RenegotiationRefused extends SSLException {
        private static final long serialVersionUID = 1L;

        RenegotiationRefused() {
            super("client-initiated renegotiation refused");
        }
    }

    private void afterStatus(SSLEngineResult.HandshakeStatus hs) {
        if (hs == SSLEngineResult.HandshakeStatus.NEED_TASK) {
            Runnable task;
            while ((task = engine.getDelegatedTask()) != null) {
                task.run();
            }
            hs = engine.getHandshakeStatus();
        }
        if (!handshakeDone && (hs == SSLEngineResult.HandshakeStatus.FINISHED
                || hs == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING && started)) {
            handshakeDone = true;
            cancelTimer();
        }
    }

    // ------------------------------------------------------------------------------------------ output

    /**
     * Wraps plaintext of {@code src[offset, offset + length)} (read-mode buffers, advanced) and whatever the engine
     * wants to send by itself into {@code net} (write mode) while at least a whole record fits.
     *
     * @return plaintext bytes consumed
     */
    long wrap(ByteBuffer[] src, int offset, int length, ByteBuffer net, boolean withData) throws SSLException {
        long consumed = 0;
        while (net.remaining() >= packetSize) {
            boolean engineWants = wantsWrap();
            boolean data = withData && length > 0 && handshakeDone && !outboundClosed;
            if (!engineWants && !data) {
                break;
            }
            SSLEngineResult r = data ? engine.wrap(src, offset, length, net) : engine.wrap(NO_DATA, net);
            consumed += r.bytesConsumed();
            while (length > 0 && !src[offset].hasRemaining()) {
                offset++;
                length--;
            }
            afterStatus(r.getHandshakeStatus());
            if (r.getStatus() != SSLEngineResult.Status.OK || r.bytesConsumed() == 0 && r.bytesProduced() == 0) {
                break;
            }
        }
        return consumed;
    }

    /**
     * After the engine failed: whatever it still has to send (its fatal alert), into {@code net} (write mode), whatever
     * its handshake status says.
     */
    void wrapAlert(ByteBuffer net) {
        try {
            for (int i = 0; i < 4 && net.remaining() >= packetSize; i++) {
                SSLEngineResult r = engine.wrap(NO_DATA, net);
                if (r.bytesProduced() == 0) {
                    return;
                }
            }
        } catch (SSLException | RuntimeException e) {
            // nothing more to send
        }
    }

    /** Keeps encrypted bytes the socket did not take ({@code net}, read mode), after any already kept. */
    void keepOutput(ByteBuffer net) {
        int left = net.remaining();
        if (left == 0) {
            return;
        }
        EventLoop loop = connection.loop();
        ByteBuffer b = netOut;
        if (b == null) {
            b = left <= loop.pool().chunkSize() ? loop.pool().acquire() : ByteBuffer.allocate(left);
            b.put(net).flip();
            netOut = b;
            return;
        }
        if (b.capacity() - b.remaining() >= left) {
            b.compact().put(net).flip();
            return;
        }
        ByteBuffer bigger = ByteBuffer.allocate(b.remaining() + left);
        bigger.put(b).put(net).flip();
        loop.pool().release(b);
        netOut = bigger;
    }

    /** The kept encrypted output was written out: give the buffer back. */
    void outputDrained() {
        ByteBuffer b = netOut;
        if (b != null && !b.hasRemaining()) {
            netOut = null;
            connection.loop().pool().release(b);
        }
    }

    /** The connection closed: cancel the deadline, give buffers back, end the engine quietly. */
    void release() {
        cancelTimer();
        dropInput();
        ByteBuffer b = netOut;
        if (b != null) {
            netOut = null;
            connection.loop().pool().release(b);
        }
        engine.closeOutbound();
        try {
            engine.closeInbound();
        } catch (SSLException e) {
            // expected when the peer sent no close_notify: the connection is gone anyway
        }
    }
}
