package dev.engineionio.websocket;

import java.nio.ByteBuffer;

/**
 * The server's receive side of RFC 6455: feeds a {@link WebSocketFrameReader} and enforces every rule on what it
 * tokenises, reporting messages, control frames and the first protocol error to a {@link WebSocketMessageHandler}.
 *
 * <h2>Rules, in the order they are checked on each frame header (RFC 6455 section)</h2>
 * <ol>
 *   <li>RSV2 and RSV3 must be clear (§5.2) → {@link WebSocketError#RESERVED_BITS}, 1002; RSV1 only when
 *       permessage-deflate was agreed (else {@link WebSocketError#RESERVED_BITS}), and then only on the first frame
 *       of a data message (RFC 7692 §6.1) → {@link WebSocketError#COMPRESSED_CONTROL_FRAME},
 *       {@link WebSocketError#COMPRESSED_CONTINUATION}, 1002;</li>
 *   <li>client frames must be masked (§5.1) → {@link WebSocketError#UNMASKED_FRAME}, 1002;</li>
 *   <li>a 64-bit length must have its top bit clear (§5.2) → {@link WebSocketError#INVALID_PAYLOAD_LENGTH}, 1002;
 *       non-minimal length encodings are accepted;</li>
 *   <li>opcodes 0x3-0x7, 0xB-0xF are reserved (§5.2) → {@link WebSocketError#RESERVED_OPCODE}, 1002;</li>
 *   <li>control frames: FIN set, at most 125 bytes, a Close payload is never 1 byte long (§5.5, §5.5.1) → 1002;</li>
 *   <li>a continuation only inside a fragmented message, a new text/binary frame never inside one (§5.4) → 1002;</li>
 *   <li>limits ({@link WebSocketLimits}): frame payload, remaining message budget, fragment count → 1009/1009/1008,
 *       all before any payload byte is buffered.</li>
 * </ol>
 * Then, as payload arrives: text is validated as UTF-8 span by span and fails on the first invalid byte, even in the
 * middle of a frame or a read ({@link WebSocketError#INVALID_UTF8}, 1007; a message ending inside a code point fails
 * at its last frame); a Close frame's code must be valid on the wire ({@link WebSocketCloseCodes#isValidOnWire}, else
 * 1002) and its reason UTF-8 (else 1007).
 *
 * <h2>Delivery</h2>
 * {@link Delivery#WHOLE_MESSAGE} (the Engine.IO transport): a single-frame message whose payload lies whole in one
 * {@link #decode} input is reported as a span of that input, unmasked in place (zero copy). Any other message (split
 * over reads, or fragmented) is copied into an accumulator, a heap {@code ByteBuffer} sized to the first frame's
 * declared length and grown (doubling, at most to {@link WebSocketLimits#maxMessageSize()}) only when a later frame
 * needs it; it is dropped when the message has been reported, so an idle connection holds no payload buffer.
 * {@link Delivery#STREAMING}: every payload span is reported as it arrives (text validated first), nothing is buffered;
 * the size limits still apply. Control payloads are reported as spans too; one split over reads is copied into a
 * 125-byte array allocated on first need and kept.
 *
 * <h2>Compressed messages (RFC 7692 §7.2.2)</h2>
 * With a {@link PerMessageDeflateCodec} (see {@link #rebind(WebSocketLimits, WebSocketMessageHandler,
 * PerMessageDeflateCodec)}), a message whose first frame has RSV1 set is inflated as its payload arrives: each span
 * goes through the connection's {@link java.util.zip.Inflater}, and the {@code 00 00 ff ff} tail is fed after the
 * final frame. The frame and message limits apply to the bytes on the wire; {@link WebSocketLimits#maxMessageSize()}
 * applies again to the inflated bytes, checked as they come out: the output buffer never grows past the limit plus
 * one byte, so a small frame that would inflate to gigabytes fails with
 * {@link WebSocketError#INFLATED_MESSAGE_TOO_LARGE} (1009) after at most one limit's worth of output. Text is
 * validated as it is inflated. Invalid DEFLATE data is {@link WebSocketError#INVALID_COMPRESSED_DATA} (1007; the JDK
 * reports it with an exception, so that one hostile input does build an exception before the connection is failed).
 * The inflated message is delivered from the decoder's inflate buffer (kept between messages up to
 * {@link #RETAINED_INFLATE_BYTES}, so the echo of a compressed message allocates nothing); with {@code STREAMING}
 * delivery each inflated piece is reported as it comes out.
 *
 * <h2>Closing</h2>
 * After {@link WebSocketMessageHandler#onClose} or {@link WebSocketMessageHandler#onProtocolError}, {@link #decode}
 * consumes nothing more: bytes after the Close frame are left in {@code src} (RFC 6455 §5.5.1: nothing may follow a
 * Close), for the driver to discard. When the server starts the closing handshake it writes a Close frame and calls
 * {@link #closeSent()}; data frames are still reported until the peer's Close arrives, which is reported with
 * {@code closeAlreadySent = true}. A peer that never answers is the driver's to cut: it arms a deadline of
 * {@link #DEFAULT_CLOSE_TIMEOUT_MS} (or its configured value) when it sends the Close and closes the TCP connection
 * when it passes. Likewise after a protocol error the driver writes the Close and closes the TCP connection.
 *
 * <h2>Buffer contract</h2>
 * {@link #decode} reads {@code src} from position to limit and always consumes all of it while {@link State#OPEN}
 * (partial headers are held by the reader), unmasking payload bytes in place, so {@code src} must be writable. On
 * {@link State#CLOSE_RECEIVED} the position is just after the Close frame; on {@link State#FAILED} it is somewhere
 * between the old position and the limit (the connection's input is to be dropped, not read further). It
 * keeps no reference to {@code src} after returning. Spans passed to the handler are valid during the callback only.
 *
 * <p>Not thread-safe: one decoder per connection, called on the connection's event loop only. No allocation on the
 * data path except the accumulator of a message that does not lie in one input. RFC 6455 §5, §7; the split between
 * this class and the reader follows the JDK's {@code MessageDecoder}/{@code Frame.Reader}, the checks Netty's
 * {@code WebSocket08FrameDecoder}.
 */
public final class WebSocketMessageDecoder {

    /** Suggested wait for the peer's Close after ours, in milliseconds, enforced by the driver (5 s). */
    public static final long DEFAULT_CLOSE_TIMEOUT_MS = 5_000;

    /** Capacity of the inflate buffer a decoder keeps between compressed messages (larger ones are dropped). */
    public static final int RETAINED_INFLATE_BYTES = 64 * 1024;

    /** Largest control frame payload (RFC 6455 §5.5). */
    public static final int MAX_CONTROL_PAYLOAD = 125;

    /** What {@link #decode} reports about the connection. */
    public enum State {
        /** Everything given was consumed; more input is welcome. */
        OPEN,
        /** The peer's Close frame was reported; nothing more is read. */
        CLOSE_RECEIVED,
        /** A protocol error was reported; nothing more is read. */
        FAILED
    }

    /** How data messages are reported. */
    public enum Delivery {
        /** {@link WebSocketMessageHandler#onText}/{@link WebSocketMessageHandler#onBinary} once per whole message. */
        WHOLE_MESSAGE,
        /** {@link WebSocketMessageHandler#onTextFragment}/{@link WebSocketMessageHandler#onBinaryFragment} per span. */
        STREAMING
    }

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    private static final byte[] NO_INPUT = new byte[0];
    /** The empty stored block a sender removed from each compressed message (RFC 7692 §7.2.2). */
    private static final byte[] DEFLATE_TAIL = {0x00, 0x00, (byte) 0xFF, (byte) 0xFF};

    private WebSocketLimits limits;
    private final boolean streaming;
    private WebSocketMessageHandler handler;
    private final WebSocketFrameReader reader = new WebSocketFrameReader();
    private final Frames frames = new Frames();
    private final Utf8Validator utf8 = new Utf8Validator();

    private State state = State.OPEN;
    private boolean closeSent;

    // The frame being read.
    private int frameOpcode;
    private boolean frameFin;
    private long frameLength;
    private long frameReceived;

    // The data message being read: opcode TEXT/BINARY, or 0 between messages.
    private int messageOpcode;
    private long messageSize;
    private int messageFrames;
    private boolean deliveredInPlace;
    private ByteBuffer accumulator;
    private int accumulated;

    // permessage-deflate: the connection's codec (null when not agreed) and the compressed message being read.
    private PerMessageDeflateCodec deflate;
    private boolean messageCompressed;
    private java.util.zip.Inflater inflater;
    /** Inflated output, write mode: [0, position) is the message so far (whole delivery) or the piece (streaming). */
    private ByteBuffer inflated;
    private long inflatedTotal;
    /** The peer's DEFLATE stream ended (BFINAL) with the input so far: the Inflater is fresh, no tail is owed. */
    private boolean streamEnded;

    // The control frame being read: a span of the input when whole, else copied.
    private ByteBuffer controlSpan;
    private int controlOffset;
    private byte[] controlBytes;
    private ByteBuffer controlCopy;
    private int controlCopied;

    /**
     * @param limits the limits to enforce (shared, immutable)
     * @param delivery whole messages or streamed fragments
     * @param handler receives every event; held until {@link #rebind}
     */
    public WebSocketMessageDecoder(WebSocketLimits limits, Delivery delivery, WebSocketMessageHandler handler) {
        if (limits == null || delivery == null || handler == null) {
            throw new NullPointerException("limits, delivery and handler are required");
        }
        this.limits = limits;
        this.streaming = delivery == Delivery.STREAMING;
        this.handler = handler;
    }

    /**
     * Consumes {@code src} (position to limit) and reports what it completes. See the class comment for the buffer
     * contract.
     *
     * @return the state after this input; anything but {@link State#OPEN} is final
     */
    public State decode(ByteBuffer src) {
        if (state == State.OPEN) {
            reader.read(src, frames);
        }
        return state;
    }

    /** The current state; never throws. */
    public State state() {
        return state;
    }

    /** Records that the server wrote its Close frame: the peer's Close will be reported as the answer. */
    public void closeSent() {
        closeSent = true;
    }

    /** Whether {@link #closeSent()} was called. */
    public boolean isCloseSent() {
        return closeSent;
    }

    /** Whether no partial frame or message is held: nothing buffered, between frames. */
    public boolean isIdle() {
        return reader.isAtFrameBoundary() && messageOpcode == 0 && accumulator == null;
    }

    /**
     * Whether this decoder holds nothing of its connection: open, no Close sent, idle ({@link #isIdle()}), so that
     * it may be {@linkplain #rebind rebound} to another connection (a loop lends one decoder to whichever of its
     * connections is reading, instead of each idle connection keeping its own).
     */
    public boolean isReusable() {
        return state == State.OPEN && !closeSent && isIdle();
    }

    /**
     * Hands this decoder to another connection: {@code limits} and {@code handler} replace the current ones.
     * {@code handler} may be {@code null} while the decoder waits unused (it then must not decode).
     *
     * @throws IllegalStateException unless {@link #isReusable()}
     */
    public void rebind(WebSocketLimits limits, WebSocketMessageHandler handler) {
        rebind(limits, handler, null);
    }

    /**
     * As {@link #rebind(WebSocketLimits, WebSocketMessageHandler)}, with the connection's permessage-deflate codec
     * ({@code null} when the extension was not agreed: RSV1 is then a protocol error).
     *
     * @throws IllegalStateException unless {@link #isReusable()}
     */
    public void rebind(WebSocketLimits limits, WebSocketMessageHandler handler, PerMessageDeflateCodec deflate) {
        if (!isReusable()) {
            throw new IllegalStateException("decoder holds a connection's state: " + state);
        }
        if (handler != null && limits == null) {
            throw new NullPointerException("limits");
        }
        this.limits = limits;
        this.handler = handler;
        this.deflate = deflate;
    }

    /**
     * Sets the permessage-deflate codec of a fresh decoder ({@code null}: none).
     *
     * @throws IllegalStateException unless {@link #isReusable()}
     */
    public void perMessageDeflate(PerMessageDeflateCodec deflate) {
        rebind(limits, handler, deflate);
    }

    /**
     * Gives back what a half-read compressed message holds (its Inflater goes back to the codec or the pool): the
     * connection is going away. The decoder reads nothing more afterwards.
     */
    public void abandon() {
        if (state == State.OPEN) {
            state = State.FAILED;
        }
        releaseMessage();
    }

    /** Capacity of the inflate buffer held (0 when none): for tests and memory accounting. */
    public int inflateBufferCapacity() {
        return inflated == null ? 0 : inflated.capacity();
    }

    /** Bytes of accumulator currently held (0 when none): for tests and memory accounting. */
    public int accumulatorCapacity() {
        return accumulator == null ? 0 : accumulator.capacity();
    }

    private boolean fail(WebSocketError error) {
        state = State.FAILED;
        releaseMessage();
        controlSpan = null;
        handler.onProtocolError(error);
        return false;
    }

    private void releaseMessage() {
        if (inflater != null) {
            java.util.zip.Inflater i = inflater;
            inflater = null;
            i.setInput(NO_INPUT);
            deflate.endInflate(i, false);
        }
        messageCompressed = false;
        if (inflated != null && inflated.capacity() > RETAINED_INFLATE_BYTES) {
            inflated = null;
        }
        messageOpcode = 0;
        messageSize = 0;
        messageFrames = 0;
        accumulator = null;
        accumulated = 0;
    }

    // ---------------------------------------------------------------- frame events

    private boolean onHeader(boolean fin, int rsv, int opcode, boolean masked, long length) {
        if (rsv != 0 && !checkRsv(rsv, opcode)) {
            return false;
        }
        if (!masked) {
            return fail(WebSocketError.UNMASKED_FRAME);
        }
        if (length < 0) {
            return fail(WebSocketError.INVALID_PAYLOAD_LENGTH);
        }
        frameOpcode = opcode;
        frameFin = fin;
        frameLength = length;
        frameReceived = 0;
        switch (opcode) {
            case WebSocketOpcodes.CLOSE:
            case WebSocketOpcodes.PING:
            case WebSocketOpcodes.PONG:
                return onControlHeader(fin, opcode, length);
            case WebSocketOpcodes.CONTINUATION:
                if (messageOpcode == 0) {
                    return fail(WebSocketError.UNEXPECTED_CONTINUATION);
                }
                return checkDataLimits(length);
            case WebSocketOpcodes.TEXT:
            case WebSocketOpcodes.BINARY:
                if (messageOpcode != 0) {
                    return fail(WebSocketError.EXPECTED_CONTINUATION);
                }
                messageOpcode = opcode;
                deliveredInPlace = false;
                utf8.reset();
                if (rsv != 0) {
                    beginCompressed();
                }
                return checkDataLimits(length);
            default:
                return fail(WebSocketError.RESERVED_OPCODE);
        }
    }

    /** RSV bits on a frame: only RSV1, only with permessage-deflate, only on a text or binary frame. */
    private boolean checkRsv(int rsv, int opcode) {
        if (rsv != 4 || deflate == null) {
            return fail(WebSocketError.RESERVED_BITS);
        }
        if (WebSocketOpcodes.isControl(opcode)) {
            return fail(WebSocketError.COMPRESSED_CONTROL_FRAME);
        }
        if (opcode == WebSocketOpcodes.CONTINUATION) {
            return fail(WebSocketError.COMPRESSED_CONTINUATION);
        }
        return true; // a reserved data opcode is reported as such by the switch
    }

    private void beginCompressed() {
        messageCompressed = true;
        streamEnded = false;
        inflater = deflate.beginInflate();
        inflatedTotal = 0;
        if (inflated == null) {
            inflated = ByteBuffer.allocate(Math.min(RETAINED_INFLATE_BYTES, limits.maxMessageSize() + 1));
        }
        inflated.clear();
    }

    private boolean onControlHeader(boolean fin, int opcode, long length) {
        if (!fin) {
            return fail(WebSocketError.FRAGMENTED_CONTROL_FRAME);
        }
        if (length > MAX_CONTROL_PAYLOAD) {
            return fail(WebSocketError.CONTROL_FRAME_TOO_LONG);
        }
        if (opcode == WebSocketOpcodes.CLOSE && length == 1) {
            return fail(WebSocketError.CLOSE_PAYLOAD_TOO_SHORT);
        }
        controlSpan = null;
        controlCopied = 0;
        return true;
    }

    private boolean checkDataLimits(long length) {
        if (length > limits.maxFramePayload()) {
            return fail(WebSocketError.FRAME_TOO_LARGE);
        }
        if (length > limits.maxMessageSize() - messageSize) {
            return fail(WebSocketError.MESSAGE_TOO_LARGE);
        }
        if (messageFrames >= limits.maxFragments()) {
            return fail(WebSocketError.TOO_MANY_FRAGMENTS);
        }
        messageFrames++;
        return true;
    }

    private boolean onPayload(ByteBuffer buf, int offset, int length) {
        long receivedBefore = frameReceived;
        frameReceived = receivedBefore + length;
        if (WebSocketOpcodes.isControl(frameOpcode)) {
            return onControlPayload(buf, offset, length, receivedBefore);
        }
        if (messageCompressed) {
            return inflateSpan(buf, offset, length);
        }
        if (messageOpcode == WebSocketOpcodes.TEXT && !utf8.validate(buf, offset, length)) {
            return fail(WebSocketError.INVALID_UTF8);
        }
        boolean lastOfMessage = frameFin && frameReceived == frameLength;
        if (streaming) {
            return deliverFragment(buf, offset, length, lastOfMessage);
        }
        if (lastOfMessage && receivedBefore == 0 && messageFrames == 1) {
            // The whole message is in this span: report it in place.
            if (messageOpcode == WebSocketOpcodes.TEXT && !utf8.isComplete()) {
                return fail(WebSocketError.INVALID_UTF8);
            }
            deliveredInPlace = true;
            if (messageOpcode == WebSocketOpcodes.TEXT) {
                handler.onText(buf, offset, length);
            } else {
                handler.onBinary(buf, offset, length);
            }
            return true;
        }
        accumulate(buf, offset, length, frameLength - receivedBefore);
        return true;
    }

    private boolean deliverFragment(ByteBuffer buf, int offset, int length, boolean last) {
        if (messageOpcode == WebSocketOpcodes.TEXT) {
            if (last && !utf8.isComplete()) {
                return fail(WebSocketError.INVALID_UTF8);
            }
            handler.onTextFragment(buf, offset, length, last);
        } else {
            handler.onBinaryFragment(buf, offset, length, last);
        }
        return true;
    }

    private void accumulate(ByteBuffer buf, int offset, int length, long frameOwed) {
        // frameOwed fits the limits checked on the header, so the sum fits an int.
        int needed = accumulated + (int) frameOwed;
        ByteBuffer acc = accumulator;
        if (acc == null || acc.capacity() < needed) {
            acc = grow(acc, needed);
        }
        acc.put(accumulated, buf, offset, length);
        accumulated += length;
    }

    private ByteBuffer grow(ByteBuffer old, int needed) {
        int capacity = needed;
        if (old != null) {
            long doubled = Math.min(2L * old.capacity(), limits.maxMessageSize());
            capacity = (int) Math.max(doubled, needed);
        }
        ByteBuffer acc = ByteBuffer.allocate(capacity);
        if (old != null) {
            acc.put(0, old, 0, accumulated);
        }
        accumulator = acc;
        return acc;
    }

    // ---------------------------------------------------------------- permessage-deflate

    /** Inflates {@code buf[offset, offset+length)} (position and limit of {@code buf} restored afterwards). */
    private boolean inflateSpan(ByteBuffer buf, int offset, int length) {
        int p0 = buf.position();
        int l0 = buf.limit();
        buf.limit(offset + length).position(offset);
        inflater.setInput(buf);
        streamEnded = false;
        boolean ok;
        try {
            ok = drainInflater(buf);
        } finally {
            if (inflater != null) {
                inflater.setInput(NO_INPUT); // keep no reference to the caller's buffer
            }
            buf.limit(l0).position(p0);
        }
        return ok;
    }

    /** Feeds the tail after the final frame, delivers the message, gives the Inflater back. */
    private boolean endCompressed() {
        // After a final block the stream is over and the Inflater was reset: the tail would start a new stream's
        // stored block header at a byte boundary, where 00 00 ff ff is not a whole block.
        if (!streamEnded) {
            inflater.setInput(DEFLATE_TAIL, 0, DEFLATE_TAIL.length);
            if (!drainInflater(null)) {
                return false;
            }
        }
        if (messageOpcode == WebSocketOpcodes.TEXT && !utf8.isComplete()) {
            return fail(WebSocketError.INVALID_UTF8);
        }
        java.util.zip.Inflater i = inflater;
        inflater = null;
        i.setInput(NO_INPUT);
        deflate.endInflate(i, true);
        ByteBuffer out = inflated;
        if (streaming) {
            deliverFragment(out, 0, out.position(), true);
        } else if (messageOpcode == WebSocketOpcodes.TEXT) {
            handler.onText(out, 0, out.position());
        } else {
            handler.onBinary(out, 0, out.position());
        }
        releaseMessage();
        return state == State.OPEN;
    }

    /**
     * Inflates all the input set on the Inflater into {@link #inflated}, validating text and bounding the output by
     * the message limit; {@code input} is the span's buffer (to go on after a final DEFLATE block), or null.
     */
    private boolean drainInflater(ByteBuffer input) {
        java.util.zip.Inflater inf = inflater;
        int max = limits.maxMessageSize();
        while (true) {
            ByteBuffer out = inflated;
            if (!out.hasRemaining() && !makeRoom(max)) {
                return false;
            }
            out = inflated;
            int before = out.position();
            int n;
            try {
                n = inf.inflate(out);
            } catch (java.util.zip.DataFormatException e) {
                return fail(WebSocketError.INVALID_COMPRESSED_DATA);
            }
            if (n > 0) {
                inflatedTotal += n;
                if (inflatedTotal > max) {
                    return fail(WebSocketError.INFLATED_MESSAGE_TOO_LARGE);
                }
                if (messageOpcode == WebSocketOpcodes.TEXT && !utf8.validate(out, before, n)) {
                    return fail(WebSocketError.INVALID_UTF8);
                }
            }
            if (inf.finished()) {
                // The peer ended the DEFLATE stream (BFINAL): a new one may follow (RFC 7692 §7.2.3.3's hint).
                inf.reset();
                if (input == null || !input.hasRemaining()) {
                    streamEnded = input != null;
                    return true;
                }
                inf.setInput(input);
                continue;
            }
            if (n == 0 && out.hasRemaining()) {
                if (inf.needsDictionary() || inf.getRemaining() > 0) {
                    return fail(WebSocketError.INVALID_COMPRESSED_DATA); // a dictionary, or no progress: not ours
                }
                return true; // needs input: everything given was consumed
            }
        }
    }

    /** The inflate buffer is full: deliver it (streaming) or grow it, at most to the limit plus one byte. */
    private boolean makeRoom(int max) {
        ByteBuffer out = inflated;
        if (streaming) {
            deliverFragment(out, 0, out.position(), false);
            out.clear();
            return state == State.OPEN;
        }
        long cap = out.capacity();
        if (cap > max) {
            return fail(WebSocketError.INFLATED_MESSAGE_TOO_LARGE);
        }
        int next = (int) Math.min(Math.max(2 * cap, 1024), (long) max + 1);
        ByteBuffer bigger = ByteBuffer.allocate(next);
        out.flip();
        bigger.put(out);
        inflated = bigger;
        return true;
    }

    private boolean onControlPayload(ByteBuffer buf, int offset, int length, long receivedBefore) {
        if (receivedBefore == 0 && length == frameLength) {
            // Whole in this input; onFrameEnd follows within the same read, so the span is still valid then.
            controlSpan = buf;
            controlOffset = offset;
            return true;
        }
        if (controlBytes == null) {
            controlBytes = new byte[MAX_CONTROL_PAYLOAD];
            controlCopy = ByteBuffer.wrap(controlBytes);
        }
        buf.get(offset, controlBytes, controlCopied, length);
        controlCopied += length;
        return true;
    }

    private boolean onEnd() {
        if (WebSocketOpcodes.isControl(frameOpcode)) {
            return onControlEnd();
        }
        messageSize += frameLength;
        if (!frameFin) {
            return true;
        }
        if (messageCompressed) {
            return endCompressed();
        }
        if (messageOpcode == WebSocketOpcodes.TEXT && !utf8.isComplete()) {
            return fail(WebSocketError.INVALID_UTF8);
        }
        if (streaming) {
            if (frameLength == 0) {
                deliverFragment(EMPTY, 0, 0, true);
            }
        } else if (!deliveredInPlace) {
            ByteBuffer acc = accumulator == null ? EMPTY : accumulator;
            if (messageOpcode == WebSocketOpcodes.TEXT) {
                handler.onText(acc, 0, accumulated);
            } else {
                handler.onBinary(acc, 0, accumulated);
            }
        }
        releaseMessage();
        return state == State.OPEN;
    }

    private boolean onControlEnd() {
        ByteBuffer buf;
        int offset;
        if (controlSpan != null) {
            buf = controlSpan;
            offset = controlOffset;
            controlSpan = null;
        } else if (frameLength == 0) {
            buf = EMPTY;
            offset = 0;
        } else {
            buf = controlCopy;
            offset = 0;
        }
        int length = (int) frameLength;
        switch (frameOpcode) {
            case WebSocketOpcodes.PING:
                handler.onPing(buf, offset, length);
                return true;
            case WebSocketOpcodes.PONG:
                handler.onPong(buf, offset, length);
                return true;
            default:
                return onClose(buf, offset, length);
        }
    }

    private boolean onClose(ByteBuffer buf, int offset, int length) {
        int code = WebSocketCloseCodes.NO_STATUS_RECEIVED;
        if (length >= 2) {
            code = ((buf.get(offset) & 0xFF) << 8) | (buf.get(offset + 1) & 0xFF);
            if (!WebSocketCloseCodes.isValidOnWire(code)) {
                return fail(WebSocketError.INVALID_CLOSE_CODE);
            }
            if (!Utf8Validator.isValid(buf, offset + 2, length - 2)) {
                return fail(WebSocketError.INVALID_CLOSE_REASON);
            }
            offset += 2;
            length -= 2;
        }
        state = State.CLOSE_RECEIVED;
        releaseMessage();
        handler.onClose(code, buf, offset, length, closeSent);
        return false;
    }

    /** The reader's handler, kept private so the frame callbacks are not part of this class's API. */
    private final class Frames implements WebSocketFrameReader.FrameHandler {
        @Override
        public boolean onFrameHeader(boolean fin, int rsv, int opcode, boolean masked, long payloadLength) {
            return onHeader(fin, rsv, opcode, masked, payloadLength);
        }

        @Override
        public boolean onFramePayload(ByteBuffer buf, int offset, int length) {
            return onPayload(buf, offset, length);
        }

        @Override
        public boolean onFrameEnd() {
            return onEnd();
        }
    }
}
