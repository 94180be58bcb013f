package dev.engineionio.server;

import dev.engineionio.driver.CloseCause;
import dev.engineionio.driver.Connection;
import dev.engineionio.driver.ConnectionHandler;
import dev.engineionio.websocket.PerMessageDeflateCodec;
import dev.engineionio.websocket.WebSocketCloseCodes;
import dev.engineionio.websocket.WebSocketError;
import dev.engineionio.websocket.WebSocketFrameWriter;
import dev.engineionio.websocket.WebSocketLimits;
import dev.engineionio.websocket.WebSocketMessageDecoder;
import dev.engineionio.websocket.WebSocketMessageHandler;
import dev.engineionio.websocket.WebSocketOpcodes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The driver handler of one WebSocket connection after its {@code 101} (RFC 6455): a {@link WebSocketMessageDecoder}
 * in front (whole messages, zero copy when a message lies in one read), {@link WebSocketFrameWriter} behind, writing
 * straight into the connection's output chunks.
 *
 * <h2>Protocol duties</h2>
 * Pings are answered with a pong carrying the same bytes (§5.5.2) unless closing; the peer's Close is echoed with its
 * code (§5.5.1) and the connection closed once that is flushed; our own Close ({@link #close(int, String)}) waits at
 * most {@link #closeTimeoutNs} for the peer's answer, then the TCP connection is cut; a protocol error is answered
 * with a Close carrying its code (1002, 1007, 1009 for a message over the limit, 1008) and the connection closed.
 * That Close carries the code only, no reason text (its payload is 2 bytes), on the Engine.IO and the raw endpoints
 * alike: npm ws, the reference's WebSocket layer, does so, and RFC 6455 §5.5.1 makes the reason optional. The
 * {@link WebSocketError#reason()} still reaches the listener ({@link WsListener#onProtocolError}).
 *
 * <h2>permessage-deflate (RFC 7692)</h2>
 * With a {@link PerMessageDeflateCodec} (the extension was agreed in the 101), the borrowed decoder inflates
 * compressed messages, and outgoing messages the codec {@linkplain PerMessageDeflateCodec#compresses compresses} are
 * written into the loop's plain scratch, deflated into the loop's direct scratch and copied into the pooled output
 * chunks behind a header with RSV1 set, as one frame. The codec's zlib streams are ended on every close path
 * ({@link #notifyClosed}, and the driver's {@link #onClose(Connection, CloseCause)} in any case).
 *
 * <h2>Backpressure</h2>
 * {@link #isWritable()} mirrors {@link Connection#isWritable()}; {@link WsListener#onWritable} follows the driver's
 * low-water event. While the peer does not read and our output is above the high-water mark, reading from it is
 * suspended (so a peer that only sends pings cannot make us queue pongs without bound), and resumed on drain.
 *
 * <h2>Threads</h2>
 * Every method runs on the connection's event loop; other threads go through {@code connection().loop().execute}.
 * One instance per connection; the listener is called on the same loop.
 */
final class WsConnection implements ConnectionHandler, WebSocketMessageHandler {

    private static final System.Logger LOG = System.getLogger(WsConnection.class.getName());

    private final Connection connection;
    private final WebSocketLimits limits;
    /**
     * The decoder, borrowed from the loop for a read and given back after it when it holds nothing of this
     * connection ({@link WebSocketMessageDecoder#isReusable()}): an idle WebSocket holds none (≈ 200 B less each).
     */
    private WebSocketMessageDecoder decoder;
    private final WsListener listener;
    private final long closeTimeoutNs;
    /** The agreed permessage-deflate state, or null when the extension is not in use. */
    private final PerMessageDeflateCodec deflate;
    /** The opcode of a compressed frame begun with {@link #beginFrame}, 0 when none. */
    private int pendingCompressedOpcode;
    private ByteBuffer pendingPlain;
    private boolean closeSent;
    private boolean notifiedClosed;
    private boolean suspendedForOutput;
    private boolean inRead;
    private long nowNs;
    /** Free for the layer above (e.g. the Engine.IO bridge or the public session object). */
    Object attachment;

    WsConnection(Connection connection, WebSocketLimits limits, WsListener listener, long closeTimeoutNs) {
        this(connection, limits, listener, closeTimeoutNs, null);
    }

    /** @param deflate the agreed permessage-deflate codec, or null */
    WsConnection(Connection connection, WebSocketLimits limits, WsListener listener, long closeTimeoutNs,
                 PerMessageDeflateCodec deflate) {
        this.deflate = deflate;
        this.connection = connection;
        this.listener = listener;
        this.closeTimeoutNs = closeTimeoutNs;
        this.limits = limits;
    }

    private WebSocketMessageDecoder borrowDecoder() {
        LoopState st = LoopState.of(connection.loop());
        WebSocketMessageDecoder d;
        if (st.spareDecoderCount > 0) {
            d = st.spareDecoders[--st.spareDecoderCount];
            st.spareDecoders[st.spareDecoderCount] = null;
            d.rebind(limits, this, deflate);
        } else {
            d = new WebSocketMessageDecoder(limits, WebSocketMessageDecoder.Delivery.WHOLE_MESSAGE, this);
            d.perMessageDeflate(deflate);
        }
        if (closeSent) {
            d.closeSent();
        }
        return d;
    }

    private void giveBackDecoder(WebSocketMessageDecoder d) {
        decoder = null;
        LoopState st = LoopState.of(connection.loop());
        if (st.spareDecoderCount < st.spareDecoders.length) {
            d.rebind(null, null); // keeps no reference to this connection
            st.spareDecoders[st.spareDecoderCount++] = d;
        }
    }

    /** The agreed permessage-deflate codec, or null (tests, accounting). */
    PerMessageDeflateCodec perMessageDeflate() {
        return deflate;
    }

    /** Whether this connection holds a decoder now (it does only while a message or frame is partly read). */
    boolean holdsDecoder() {
        return decoder != null;
    }

    Connection connection() {
        return connection;
    }

    /** Whether the WebSocket can still send (open, no Close sent or received). */
    boolean isOpen() {
        return !closeSent && !notifiedClosed && connection.isOpen() && !connection.isClosing();
    }

    /** Whether queued output is below the high-water mark. */
    boolean isWritable() {
        return connection.isWritable();
    }

    /** Installs this handler on the connection (after the 101 was queued) and reports {@link WsListener#onOpen}. */
    void start(long nowNs) {
        this.nowNs = nowNs;
        connection.clearDeadline();
        connection.setHandler(this);
        if (connection.isOpen()) {
            listener.onOpen(this, nowNs);
        }
    }

    // ------------------------------------------------------------------------------------------ input

    @Override
    public void onRead(Connection c, ByteBuffer src, long nowNs) {
        this.nowNs = nowNs;
        inRead = true;
        WebSocketMessageDecoder d = decoder;
        if (d == null) {
            d = decoder = borrowDecoder();
        }
        WebSocketMessageDecoder.State s;
        try {
            s = d.decode(src);
        } finally {
            inRead = false;
        }
        if (s != WebSocketMessageDecoder.State.OPEN) {
            src.position(src.limit()); // nothing may follow a Close or an error: drop it
        } else if (decoder == d && d.isReusable()) {
            giveBackDecoder(d);
        }
        listener.afterRead(this, nowNs);
    }

    /** Whether a read is being decoded right now ({@link WsListener#afterRead} follows it). */
    boolean isInRead() {
        return inRead;
    }

    @Override
    public void onText(ByteBuffer buf, int offset, int length) {
        listener.onText(this, buf, offset, length, nowNs);
    }

    @Override
    public void onBinary(ByteBuffer buf, int offset, int length) {
        listener.onBinary(this, buf, offset, length, nowNs);
    }

    @Override
    public void onPing(ByteBuffer buf, int offset, int length) {
        if (closeSent || !connection.isOpen() || connection.isClosing()) {
            return;
        }
        ByteBuffer dst = connection.writeBuffer(length + 2);
        WebSocketFrameWriter.writePong(dst, buf, offset, length);
        connection.commitWrite();
        checkOutput();
    }

    @Override
    public void onPong(ByteBuffer buf, int offset, int length) {
        listener.onPong(this, nowNs);
    }

    @Override
    public void onClose(int code, ByteBuffer reason, int offset, int length, boolean closeAlreadySent) {
        String text = length == 0 ? "" : utf8(reason, offset, length);
        if (!closeAlreadySent && !closeSent) {
            closeSent = true;
            ByteBuffer dst = connection.writeBuffer(4);
            WebSocketFrameWriter.writeCloseEcho(dst, code);
            connection.commitWrite();
        }
        connection.closeAfterFlush();
        notifyClosed(code, text);
    }

    @Override
    public void onProtocolError(WebSocketError error) {
        if (!closeSent) {
            closeSent = true;
            // The code alone, no reason text: what npm ws (the reference's WebSocket layer) sends.
            ByteBuffer dst = connection.writeBuffer(4);
            WebSocketFrameWriter.writeCloseEcho(dst, error.closeCode());
            connection.commitWrite();
        }
        connection.closeAfterFlush();
        try {
            listener.onProtocolError(this, error.closeCode(), error.reason(), nowNs);
        } finally {
            notifyClosed(error.closeCode(), error.reason());
        }
    }

    private static String utf8(ByteBuffer b, int offset, int length) {
        byte[] a = new byte[length];
        b.get(offset, a, 0, length);
        return new String(a, StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------------------------------ output

    /** Sends a text message as one frame (copied into the output queue). Dropped once closing. */
    void sendText(CharSequence text) {
        if (!isOpen()) {
            return;
        }
        int n = WebSocketFrameWriter.utf8Length(text);
        if (deflate != null && deflate.compresses(n)) {
            ByteBuffer plain = deflate.plainScratch(n);
            WebSocketFrameWriter.encodeUtf8(plain, text);
            sendCompressed(WebSocketOpcodes.TEXT, plain);
            return;
        }
        ByteBuffer dst = connection.writeBuffer((int) WebSocketFrameWriter.frameSize(n));
        WebSocketFrameWriter.writeText(dst, text);
        connection.commitWrite();
        checkOutput();
    }

    /** Sends {@code [offset, offset+length)} of {@code data} as one binary frame (copied). Dropped once closing. */
    void sendBinary(ByteBuffer data, int offset, int length) {
        if (!isOpen()) {
            return;
        }
        if (deflate != null && deflate.compresses(length)) {
            ByteBuffer plain = deflate.plainScratch(length);
            plain.put(0, data, offset, length).position(length);
            sendCompressed(WebSocketOpcodes.BINARY, plain);
            return;
        }
        ByteBuffer dst = connection.writeBuffer((int) WebSocketFrameWriter.frameSize(length));
        WebSocketFrameWriter.writeBinary(dst, data, offset, length);
        connection.commitWrite();
        checkOutput();
    }

    /**
     * A frame header for a payload of {@code payloadLength} bytes followed by room for the payload: the caller puts
     * exactly that many bytes, then {@link #endFrame()}. Returns null when closing. When the message is to be
     * compressed, the buffer is the loop's plain scratch instead, and {@link #endFrame()} deflates it into the output.
     */
    ByteBuffer beginFrame(int opcode, int payloadLength) {
        if (!isOpen()) {
            return null;
        }
        if (deflate != null && deflate.compresses(payloadLength)) {
            pendingCompressedOpcode = opcode;
            return pendingPlain = deflate.plainScratch(payloadLength);
        }
        ByteBuffer dst = connection.writeBuffer((int) WebSocketFrameWriter.frameSize(payloadLength));
        WebSocketFrameWriter.writeHeader(dst, opcode, true, payloadLength);
        return dst;
    }

    /** Commits a frame begun with {@link #beginFrame}. */
    void endFrame() {
        int opcode = pendingCompressedOpcode;
        if (opcode != 0) {
            pendingCompressedOpcode = 0;
            ByteBuffer plain = pendingPlain;
            pendingPlain = null;
            sendCompressed(opcode, plain);
            return;
        }
        connection.commitWrite();
        checkOutput();
    }

    /**
     * Deflates {@code plain[0, position)} and queues it as one frame with RSV1 set (RFC 7692 §6): the header in a
     * pooled chunk, the compressed bytes copied behind it.
     */
    private void sendCompressed(int opcode, ByteBuffer plain) {
        plain.flip();
        ByteBuffer out = deflate.compress(plain);
        int n = out.remaining();
        ByteBuffer dst = connection.writeBuffer(WebSocketFrameWriter.headerSize(n));
        WebSocketFrameWriter.writeHeader(dst, opcode, true, true, n);
        connection.commitWrite();
        connection.writeCopy(out);
        deflate.afterCompress();
        checkOutput();
    }

    /** Sends a ping with up to 125 bytes of payload. */
    void sendPing(ByteBuffer data, int offset, int length) {
        if (!isOpen()) {
            return;
        }
        ByteBuffer dst = connection.writeBuffer(length + 2);
        WebSocketFrameWriter.writePing(dst, data, offset, length);
        connection.commitWrite();
    }

    /**
     * Starts the closing handshake: a Close with {@code code} and {@code reason} (a code of 1005 or less than 0 sends a
     * Close without status), then waits for the peer's Close at most the close timeout.
     */
    void close(int code, String reason) {
        if (closeSent || notifiedClosed || !connection.isOpen() || connection.isClosing()) {
            return;
        }
        closeSent = true;
        if (decoder != null) {
            decoder.closeSent(); // else the next borrowed decoder is told (borrowDecoder)
        }
        ByteBuffer dst = connection.writeBuffer(2 + 2 + WebSocketFrameWriter.MAX_CLOSE_REASON);
        if (code < 0 || code == WebSocketCloseCodes.NO_STATUS_RECEIVED) {
            WebSocketFrameWriter.writeEmptyClose(dst);
        } else {
            WebSocketFrameWriter.writeClose(dst, code, reason == null ? "" : reason);
        }
        connection.commitWrite();
        connection.setDeadline(connection.loop().nowNs() + closeTimeoutNs);
    }

    private void checkOutput() {
        if (!connection.isWritable() && !suspendedForOutput) {
            suspendedForOutput = true;
            connection.setReadEnabled(false);
        }
    }

    @Override
    public void onWritable(Connection c, long nowNs) {
        this.nowNs = nowNs;
        if (suspendedForOutput) {
            suspendedForOutput = false;
            c.setReadEnabled(true);
        }
        listener.onWritable(this, nowNs);
    }

    // ------------------------------------------------------------------------------------------ lifecycle

    @Override
    public void onTimeout(Connection c, long nowNs) {
        // Our Close was not answered in time: cut the TCP connection.
        c.close();
    }

    @Override
    public void onEof(Connection c, long nowNs) {
        c.closeAfterFlush();
        notifyClosed(WebSocketCloseCodes.ABNORMAL_CLOSURE, "");
    }

    @Override
    public void onShutdown(Connection c, long nowNs) {
        if (listener.closesAtShutdown()) {
            return; // closed by its session, after what it still has queued (or at the grace's end)
        }
        close(WebSocketCloseCodes.GOING_AWAY, "");
    }

    @Override
    public void onClose(Connection c, CloseCause cause) {
        notifyClosed(WebSocketCloseCodes.ABNORMAL_CLOSURE, "");
        releaseDeflate();
    }

    /** Gives back or ends every zlib stream this connection holds (idempotent). */
    private void releaseDeflate() {
        if (deflate == null) {
            return;
        }
        if (decoder != null && !inRead) {
            decoder.abandon(); // a half-read compressed message's Inflater goes back first
        }
        deflate.release();
    }

    private void notifyClosed(int code, String reason) {
        if (notifiedClosed) {
            return;
        }
        notifiedClosed = true;
        releaseDeflate();
        try {
            listener.onClosed(this, code, reason);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "WebSocket close listener failed", e);
        }
    }

    static boolean isData(int opcode) {
        return opcode == WebSocketOpcodes.TEXT || opcode == WebSocketOpcodes.BINARY;
    }
}
