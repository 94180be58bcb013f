package dev.engineionio.websocket;

import java.nio.ByteBuffer;

/**
 * What {@link WebSocketMessageDecoder} reports, called on the connection's event loop during
 * {@link WebSocketMessageDecoder#decode}.
 *
 * <h2>Spans</h2>
 * Every {@code (buf, offset, length)} is an absolute span: read it with absolute gets or a duplicate; do not keep
 * {@code buf} or change its position or limit. The span is valid only until the callback returns (it points into the
 * driver's read buffer or into the decoder's accumulator, which is reused or released afterwards); copy what must
 * outlive it.
 *
 * <h2>Order</h2>
 * Callbacks follow wire order. A control frame is reported when its last byte arrives, so a ping interleaved in a
 * fragmented message is reported before that message. A message ({@link #onText}/{@link #onBinary}) is reported when
 * its final frame's last byte arrives; with {@link WebSocketMessageDecoder.Delivery#STREAMING}, its fragments are reported
 * as bytes arrive, the last one flagged. At most one of {@link #onClose} or {@link #onProtocolError} is ever called,
 * and nothing after it.
 */
public interface WebSocketMessageHandler {

    /** A complete text message, already validated as UTF-8 ({@code WHOLE_MESSAGE} delivery). */
    void onText(ByteBuffer buf, int offset, int length);

    /** A complete binary message ({@code WHOLE_MESSAGE} delivery). */
    void onBinary(ByteBuffer buf, int offset, int length);

    /**
     * A piece of a text message ({@code STREAMING} delivery). Every byte reported so far is valid UTF-8; a piece may
     * end inside a code point unless {@code last} is set. The last piece may be empty.
     *
     * @throws UnsupportedOperationException by default: a handler used with {@code STREAMING} must override it
     */
    default void onTextFragment(ByteBuffer buf, int offset, int length, boolean last) {
        throw new UnsupportedOperationException("STREAMING delivery needs onTextFragment");
    }

    /**
     * A piece of a binary message ({@code STREAMING} delivery); the last piece may be empty.
     *
     * @throws UnsupportedOperationException by default: a handler used with {@code STREAMING} must override it
     */
    default void onBinaryFragment(ByteBuffer buf, int offset, int length, boolean last) {
        throw new UnsupportedOperationException("STREAMING delivery needs onBinaryFragment");
    }

    /**
     * A ping (0-125 bytes): the caller must answer with a pong carrying the same bytes
     * ({@link WebSocketFrameWriter#writePong}), unless it is closing. RFC 6455 §5.5.2.
     */
    void onPing(ByteBuffer buf, int offset, int length);

    /** A pong (solicited or not: RFC 6455 §5.5.3 lets a peer send unsolicited pongs; nothing is owed). */
    void onPong(ByteBuffer buf, int offset, int length);

    /**
     * The peer's Close frame, already validated (RFC 6455 §5.5.1, §7.4). {@code code} is
     * {@link WebSocketCloseCodes#NO_STATUS_RECEIVED} (1005) when the frame carried no payload; the reason span is
     * valid UTF-8 (possibly empty). The decoder reads nothing more afterwards.
     *
     * <p>If {@code closeAlreadySent} is false the peer started the closing handshake: send a Close frame back
     * echoing {@code code} ({@link WebSocketFrameWriter#writeCloseEcho}, no payload when {@code code} is 1005), then
     * close the TCP connection once it is flushed (the server closes first, RFC 6455 §7.1.1). If it is true, this is
     * the answer to our Close: the handshake is complete, close the TCP connection.
     */
    void onClose(int code, ByteBuffer reason, int offset, int length, boolean closeAlreadySent);

    /**
     * The peer broke the protocol; the decoder reads nothing more. The caller fails the connection (RFC 6455
     * §7.1.7): write a Close frame with {@link WebSocketError#closeCode()} and {@link WebSocketError#reason()}, flush,
     * close the TCP connection. Counting these is the caller's business.
     */
    void onProtocolError(WebSocketError error);
}
