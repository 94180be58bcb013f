package dev.engineionio.session;

import dev.engineionio.protocol.PacketType;


/**
 * Server-Sent Events, sans-I/O: this server's own transport (the reference has none; see the README's "SSE
 * transport"). Packets go down one long {@code text/event-stream} response, one event per packet, through an
 * {@link SseSink}; packets come up in POSTs in the polling payload format, answered as polling POSTs.
 *
 * <p>Rules:
 * <ul>
 * <li>Writable while a stream is attached, the transport is not paused for an upgrade, and the stream's connection
 *     is at or below its high-water mark. Otherwise packets wait in the session's write buffer.</li>
 * <li>A stream whose connection is lost does not close the session: the client's {@code EventSource} reconnects with
 *     {@code Last-Event-ID} and the glue replays what it missed, then attaches the new stream
 *     ({@link #onStreamAttached}). While there is no stream, or the stream cannot take output,
 *     {@link TimerKind#SSE_STREAM_TIMEOUT} ({@code pingTimeout}) runs; when it fires the session closes with
 *     {@code transport error} / {@code sse stream lost} (or {@code sse stream stalled}). Memory is so bounded by the
 *     connection's water marks plus what the application queues within {@code pingTimeout}.</li>
 * <li>Upgrade: when the probe WebSocket gets {@code 2probe} (the session is then {@code UPGRADING}) the transport
 *     sends a noop {@code 6} as its last event and pauses; the client closes its {@code EventSource} once it has
 *     seen it. Packets sent meanwhile wait and go out on the WebSocket after {@code 5}. A failed probe un-pauses.</li>
 * <li>POSTs: as {@link PollingTransport}'s (overlap: {@code data request overlap from client}; v4 binary
 *     content: {@code invalid content}; over {@code maxHttpBufferSize}: {@code 413}, the session lives; the client's
 *     {@code 1} closes the transport).</li>
 * <li>A close: with a writable stream the close packet {@code 1} goes out as the last event; the stream then ends.</li>
 * </ul>
 *
 * <p>Every method runs on the session's loop thread, after the {@link RequestVerifier} accepted the request.
 */
public final class SseTransport extends PostingTransport {
    private final SseSink sink;
    private boolean streaming;
    private boolean streamWritable;
    private boolean paused;
    private boolean pauseNoopSent;

    /** @param sink the glue's outbound side (one per session) */
    public SseTransport(SseSink sink) {
        super(4, false);
        if (sink == null) {
            throw new IllegalArgumentException("sink");
        }
        this.sink = sink;
    }

    @Override
    public TransportKind kind() {
        return TransportKind.SSE;
    }

    /** Whether a stream is attached. */
    public boolean hasStream() {
        return streaming;
    }

    /** Whether the transport is paused for an upgrade (sends nothing more). */
    public boolean isPaused() {
        return paused;
    }

    // ---------------------------------------------------------------- stream input

    /**
     * A stream is attached (the handshake's, or a resumed one after its replay was written).
     *
     * @param connectionWritable whether its connection is at or below the high-water mark
     */
    public void onStreamAttached(boolean connectionWritable, long nowNs) {
        enter(nowNs);
        if (readyState != ReadyState.OPEN) {
            sink.end();
            return;
        }
        streaming = true;
        streamWritable = connectionWritable;
        update();
    }

    /** The stream's connection dropped below its low-water mark. */
    public void onStreamWritable(long nowNs) {
        enter(nowNs);
        if (readyState != ReadyState.OPEN || !streaming) {
            return;
        }
        streamWritable = true;
        update();
    }

    /** The current stream's connection closed (cut, or the client closed its {@code EventSource}). */
    public void onStreamLost(long nowNs) {
        enter(nowNs);
        if (readyState != ReadyState.OPEN || !streaming) {
            return;
        }
        streaming = false;
        streamWritable = false;
        update();
    }

    private void update() {
        boolean canWrite = streaming && streamWritable;
        if (paused) {
            writable = false;
            if (canWrite && !pauseNoopSent) {
                pauseNoopSent = true;
                streamWritable = sink.send(noop());
            }
        } else {
            writable = canWrite;
        }
        if (canWrite) {
            session.disarmTimer(TimerKind.SSE_STREAM_TIMEOUT);
        } else if (!session.isArmed(TimerKind.SSE_STREAM_TIMEOUT) && (!streaming || !paused)) {
            session.armTimer(TimerKind.SSE_STREAM_TIMEOUT, session.config().pingTimeoutNs());
        }
        if (writable) {
            session.onTransportReady(this);
        }
    }

    private static WriteBuffer noop() {
        WriteBuffer b = new WriteBuffer(1);
        b.add(PacketType.NOOP, null, false);
        return b;
    }

    /** {@link TimerKind#SSE_STREAM_TIMEOUT}: the stream was missing or stalled for {@code pingTimeout}. */
    void onStreamTimeout() {
        if (readyState != ReadyState.OPEN) {
            return;
        }
        onTransportError(streaming ? "sse stream stalled" : "sse stream lost");
    }

    /** A resume asked for events no longer in the replay buffer: {@code transport error}. */
    public void onResumeFailed(long nowNs) {
        enter(nowNs);
        if (readyState == ReadyState.CLOSED) {
            return;
        }
        onTransportError("sse resume past the replay buffer");
    }

    /** The glue's sink (the driver keeps its per-session state there). */
    public SseSink sink() {
        return sink;
    }

    // ---------------------------------------------------------------- upgrade

    /** The session is upgrading ({@code 2probe} answered): send {@code 6} as the last event, then pause. */
    void pauseForUpgrade() {
        if (paused || readyState != ReadyState.OPEN) {
            return;
        }
        paused = true;
        pauseNoopSent = false;
        update();
    }

    /** The probe failed: writable again when the stream is. */
    void resumeAfterFailedUpgrade() {
        if (!paused || readyState != ReadyState.OPEN) {
            return;
        }
        paused = false;
        pauseNoopSent = false;
        update();
    }


    // ---------------------------------------------------------------- transport behaviour

    @Override
    void send(WriteBuffer packets) {
        streamWritable = sink.send(packets);
        if (!streamWritable) {
            writable = false;
            if (!session.isArmed(TimerKind.SSE_STREAM_TIMEOUT)) {
                session.armTimer(TimerKind.SSE_STREAM_TIMEOUT, session.config().pingTimeoutNs());
            }
        }
    }

    @Override
    void doClose(boolean forced) {
        abortPendingPost();
        if (writable) {
            writable = false;
            WriteBuffer b = new WriteBuffer(1);
            b.add(PacketType.CLOSE, null, false);
            sink.send(b);
        }
        finish(forced);
    }

    private void finish(boolean forced) {
        streaming = false;
        writable = false;
        sink.end();
        session.disarmTimer(TimerKind.SSE_STREAM_TIMEOUT);
        if (forced) {
            session.onForcedCloseDone();
        }
        onClose();
    }

    @Override
    void onClose() {
        if (readyState == ReadyState.CLOSED) {
            return;
        }
        streaming = false;
        writable = false;
        sink.end();
        session.disarmTimer(TimerKind.SSE_STREAM_TIMEOUT);
        super.onClose();
    }
}
