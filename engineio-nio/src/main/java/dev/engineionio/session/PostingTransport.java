package dev.engineionio.session;

import dev.engineionio.protocol.PacketType;
import java.nio.ByteBuffer;

/**
 * A transport whose client sends its packets in POST requests, as polling does: HTTP long-polling (XHR, JSONP) and
 * Server-Sent Events. The POST rules live here once: one POST at a time (an overlap is {@code 400} and a transport
 * error), binary content refused on protocol 4 ({@code 400}), {@code 413} over {@code maxHttpBufferSize} with the
 * session alive, the packets of a complete body delivered in order, a close packet closing the transport, a decode
 * error closing the session with {@code parse error}, {@code ok} once every packet was delivered, and a POST still
 * reading its body aborted when the transport closes.
 *
 * <p>Threading: as {@link SessionTransport}, the session's loop thread only.
 */
public abstract sealed class PostingTransport extends SessionTransport permits PollingTransport, SseTransport {

    private PostResponder pendingPost;
    private boolean postBodyComplete;

    PostingTransport(int protocol, boolean supportsBinary) {
        super(protocol, supportsBinary);
    }

    /** Whether a POST is in flight. */
    public boolean hasPendingPost() {
        return pendingPost != null;
    }

    /**
     * A POST arrived (after verification), before its body is read. Returns false when it was answered already
     * ({@code 400}: overlap or v4 binary content, the session closed); the driver then discards the body.
     *
     * @param octetStream whether {@code Content-Type} is exactly {@code application/octet-stream}
     */
    public boolean onPostRequest(PostResponder responder, boolean octetStream, long nowNs) {
        enter(nowNs);
        if (readyState == ReadyState.CLOSED || session.transport() != this) {
            throw new IllegalStateException("POST for a transport that is not the session's current one");
        }
        if (pendingPost != null) {
            onTransportError("data request overlap from client");
            responder.respondStatus(400);
            return false;
        }
        if (octetStream && protocol == 4) {
            onTransportError("invalid content");
            responder.respondStatus(400);
            return false;
        }
        pendingPost = responder;
        postBodyComplete = false;
        return true;
    }

    /** The POST body passed {@code maxHttpBufferSize}: answer {@code 413}; the session lives. */
    public void onPostBodyTooLarge(PostResponder responder, long nowNs) {
        enter(nowNs);
        if (pendingPost != responder || responder == null) {
            return;
        }
        pendingPost = null;
        responder.respondStatus(413);
    }

    /** The POST's connection closed before its body ended. */
    public void onPostConnectionClosed(PostResponder responder, long nowNs) {
        enter(nowNs);
        if (pendingPost != responder || responder == null || postBodyComplete) {
            return;
        }
        pendingPost = null;
        onTransportError("data request connection closed prematurely");
    }

    /**
     * One packet decoded from the complete POST body, in payload order. {@code text} and {@code binary} are valid
     * for the duration of the call only.
     */
    public void onPostPacket(PostResponder responder, PacketType type, CharSequence text, ByteBuffer binary,
                             long nowNs) {
        enter(nowNs);
        if (pendingPost != responder || responder == null) {
            return;
        }
        postBodyComplete = true;
        if (readyState == ReadyState.CLOSED) {
            return;
        }
        if (type == PacketType.CLOSE) {
            onClose();
            return;
        }
        session.onTransportPacket(this, type, text, binary);
    }

    /** The POST body failed to decode at this point (packets before it were delivered): {@code parse error}. */
    public void onPostDecodeError(PostResponder responder, long nowNs) {
        enter(nowNs);
        if (pendingPost != responder || responder == null) {
            return;
        }
        postBodyComplete = true;
        if (readyState == ReadyState.CLOSED) {
            return;
        }
        session.onTransportDecodeError(this);
    }

    /** Every packet of the POST was delivered: answer {@code ok}. */
    public void onPostEnd(PostResponder responder, long nowNs) {
        enter(nowNs);
        if (pendingPost != responder || responder == null) {
            return;
        }
        pendingPost = null;
        postBodyComplete = true;
        responder.respondOk();
    }

    /** The transport closes: a POST still reading its body is aborted (its connection closes unanswered). */
    final void abortPendingPost() {
        if (pendingPost != null && !postBodyComplete) {
            PostResponder p = pendingPost;
            pendingPost = null;
            p.abort();
        }
    }
}
