package dev.engineionio.session;

import dev.engineionio.protocol.PacketType;

/**
 * A transport of one session, sans-I/O: the reference's {@code Transport} ({@code transport.js}) state, with the
 * wire left to an output interface ({@link PollResponder}/{@link PostResponder} or {@link FrameSink}).
 *
 * <p>The driver creates a transport per request kind ({@link PollingTransport} at a polling handshake,
 * {@link WebSocketTransport} for every WebSocket), hands it to a new {@link EngineSession} or to
 * {@link EngineSession#onWebSocketUpgradeRequest}, and then feeds it input through its public {@code on...}
 * methods. Every method runs on the owning session's loop thread. A transport belongs to at most one session.
 *
 * <p>Transport ready states (the reference's {@code readyState}): {@code OPEN} until {@code close()} is called
 * ({@code CLOSING}) and {@code CLOSED} once closed; a closed transport ignores input.
 */
public abstract sealed class SessionTransport permits PostingTransport, WebSocketTransport {
    enum ReadyState { OPEN, CLOSING, CLOSED }

    final int protocol;
    final boolean supportsBinary;
    EngineSession session;
    ReadyState readyState = ReadyState.OPEN;
    boolean writable;
    boolean discarded;

    SessionTransport(int protocol, boolean supportsBinary) {
        if (protocol != 3 && protocol != 4) {
            throw new IllegalArgumentException("protocol must be 3 or 4, got " + protocol);
        }
        this.protocol = protocol;
        this.supportsBinary = supportsBinary;
    }

    /** Which transport this is. */
    public abstract TransportKind kind();

    /** The Engine.IO protocol revision of the request that created it: 4 when {@code EIO=4}, else 3. */
    public final int protocol() {
        return protocol;
    }

    /** False when the request had a {@code b64} parameter: binary goes out base64-encoded. */
    public final boolean supportsBinary() {
        return supportsBinary;
    }

    /** Whether a packet batch can be sent now (a GET is held; no WebSocket send in flight). */
    public final boolean isWritable() {
        return writable;
    }

    /** Whether {@code close()} was called or the transport closed. */
    public final boolean isClosingOrClosed() {
        return readyState != ReadyState.OPEN;
    }

    /** Sends {@code packets}; only when writable. The batch is consumed before this returns. */
    abstract void send(WriteBuffer packets);

    abstract void doClose(boolean forced);

    /**
     * The reference's {@code transport.close(fn)}: no-op unless open. {@code forced} stands for the reference's
     * callback {@code fn = socket.onClose("forced close")}; otherwise the callback is a no-op.
     */
    final void close(boolean forced) {
        if (readyState != ReadyState.OPEN) {
            return;
        }
        readyState = ReadyState.CLOSING;
        doClose(forced);
    }

    /** The transport is closed: tell the session (which ignores it unless this is its current transport or probe). */
    void onClose() {
        readyState = ReadyState.CLOSED;
        session.onTransportClose(this);
    }

    final void onTransportError(String description) {
        session.onTransportError(this, description);
    }

    /**
     * Sends one control packet ({@code 6}, {@code 1}, {@code 3probe}) outside the session's write buffer. These are
     * rare (the upgrade, a close), so the one-packet batch is made for the call rather than kept by every transport.
     */
    final void sendControl(PacketType type, String data) {
        WriteBuffer b = new WriteBuffer(1);
        b.add(type, data, false);
        send(b);
    }

    final EngineSession enter(long nowNs) {
        EngineSession s = session;
        if (s == null) {
            throw notAttached();
        }
        s.enter(nowNs);
        return s;
    }

    private static IllegalStateException notAttached() {
        return new IllegalStateException("transport is not attached to a session");
    }
}
