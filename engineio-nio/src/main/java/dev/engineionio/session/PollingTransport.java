package dev.engineionio.session;

import dev.engineionio.protocol.PacketType;


/**
 * HTTP long-polling, XHR or JSONP, sans-I/O: the reference's {@code transports/polling.js} and
 * {@code polling-jsonp.js} rules, with the HTTP exchange left to {@link PollResponder} and {@link PostResponder}.
 *
 * <p>Rules implemented (engine.io 6.6.12):
 * <ul>
 * <li>A GET is held until something is queued, then answered with the whole write buffer as one payload.</li>
 * <li>A second GET while one is held: the session closes with {@code transport error} / {@code overlap from client},
 *     the held GET gets the close packet {@code 1}, the new GET gets an empty {@code 400}.</li>
 * <li>A second POST while one is in flight: the session closes ({@code data request overlap from client}), the
 *     in-flight POST is aborted, the new one gets an empty {@code 400}.</li>
 * <li>A v4 POST with {@code Content-Type: application/octet-stream}: the session closes ({@code invalid content}),
 *     empty {@code 400}.</li>
 * <li>A POST body over {@code maxHttpBufferSize} (the HTTP layer counts UTF-8 bytes, inclusive limit): empty
 *     {@code 413}, the session lives.</li>
 * <li>The client's close packet {@code 1} in a POST closes the transport ({@code transport close}); a held GET gets
 *     a noop {@code 6}; packets after it in the payload are dropped. A POST that decoded is always answered
 *     {@code ok}, even when its packets closed the session.</li>
 * <li>A server close with a GET held answers it {@code 1}; with none held, the next GET carries the remaining
 *     packets, a later one {@code 6\x1e1}, or the close completes after {@code pollingCloseTimeout} (30 s).</li>
 * <li>A held GET whose connection closes: {@code transport error} / {@code poll connection closed prematurely}; a
 *     POST whose connection closes before its body ends: {@code data request connection closed prematurely}.</li>
 * </ul>
 *
 * <p>The driver calls the public {@code on...} methods on the session's loop thread, after the
 * {@link RequestVerifier} accepted the request for this session on that same thread; it keeps the transport and the
 * responder of a POST together until the POST ends. A method other than GET or POST never reaches here (the
 * verifier answers it {@code 500}).
 */
public final class PollingTransport extends PostingTransport {
    private final String jsonpIndex;
    private PollResponder pendingGet;
    private boolean shouldClose;
    private boolean shouldCloseForced;

    /**
     * @param protocol       3 or 4 (4 when the query's {@code EIO} is exactly {@code "4"})
     * @param supportsBinary false when the query has {@code b64}
     * @param jsonpIndex     the digits of the query's {@code j} (see {@link #jsonpIndex(CharSequence)}) for JSONP,
     *                       or {@code null} for XHR polling
     */
    public PollingTransport(int protocol, boolean supportsBinary, String jsonpIndex) {
        super(protocol, supportsBinary);
        this.jsonpIndex = jsonpIndex;
    }

    /**
     * The JSONP callback index: the decimal digits of {@code j}, others dropped ({@code ab1c2} gives {@code 12};
     * no digit gives the empty string, as the reference).
     */
    public static String jsonpIndex(CharSequence j) {
        StringBuilder sb = new StringBuilder(j.length());
        for (int i = 0; i < j.length(); i++) {
            char c = j.charAt(i);
            if (c >= '0' && c <= '9') {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    @Override
    public TransportKind kind() {
        return TransportKind.POLLING;
    }

    /** Whether this is the JSONP variant (answers wrapped in {@code ___eio[<index>]("...");}). */
    public boolean isJsonp() {
        return jsonpIndex != null;
    }

    /** The JSONP index, or {@code null} for XHR polling. */
    public String jsonpIndex() {
        return jsonpIndex;
    }

    /** Whether a GET is held. */
    public boolean hasPendingGet() {
        return pendingGet != null;
    }

    // ---------------------------------------------------------------- driver input

    /** A GET arrived for this session (after verification). */
    public void onPollRequest(PollResponder responder, long nowNs) {
        enter(nowNs);
        if (readyState == ReadyState.CLOSED || session.transport() != this) {
            throw notCurrent();
        }
        if (pendingGet != null) {
            onTransportError("overlap from client");
            responder.respondStatus(400);
            return;
        }
        pendingGet = responder;
        writable = true;
        session.onTransportReady(this);
        if (writable && shouldClose) {
            sendControl(PacketType.NOOP, null);
        }
    }

    private static IllegalStateException notCurrent() {
        return new IllegalStateException("GET for a polling transport that is not the session's current one:"
                + " run the RequestVerifier on the session's loop first");
    }

    /** The connection of a held GET closed before it was answered. */
    public void onPollConnectionClosed(PollResponder responder, long nowNs) {
        enter(nowNs);
        if (pendingGet != responder || responder == null) {
            return;
        }
        pendingGet = null;
        writable = false;
        onTransportError("poll connection closed prematurely");
    }


    // ---------------------------------------------------------------- transport behaviour

    @Override
    void send(WriteBuffer packets) {
        writable = false;
        boolean closeAfter = false;
        if (shouldClose) {
            packets.add(PacketType.CLOSE, null, false);
            shouldClose = false;
            closeAfter = true;
        }
        PollResponder r = pendingGet;
        pendingGet = null;
        if (r != null) {
            r.respond(packets);
        }
        if (closeAfter) {
            closeNow(shouldCloseForced);
        }
    }

    @Override
    void doClose(boolean forced) {
        abortPendingPost();
        if (writable) {
            sendControl(PacketType.CLOSE, null);
            closeNow(forced);
        } else if (discarded || !forced) {
            // Without the forced-close callback nothing can observe the reference's 30 s linger: the session is
            // closed (unregistered) or the transport discarded by an upgrade. Close at once.
            closeNow(forced);
        } else {
            shouldClose = true;
            shouldCloseForced = true;
            session.armTimer(TimerKind.POLL_CLOSE_TIMEOUT, session.config().pollingCloseTimeoutNs());
        }
    }

    /** {@link TimerKind#POLL_CLOSE_TIMEOUT}: no GET came to carry the close packet. */
    void onCloseTimeout() {
        if (shouldClose) {
            shouldClose = false;
            closeNow(shouldCloseForced);
        }
    }

    private void closeNow(boolean forced) {
        if (forced) {
            session.disarmTimer(TimerKind.POLL_CLOSE_TIMEOUT);
            session.onForcedCloseDone();
        }
        onClose();
    }

    @Override
    void onClose() {
        if (readyState == ReadyState.CLOSED) {
            return;
        }
        if (writable) {
            sendControl(PacketType.NOOP, null);
        }
        super.onClose();
    }
}
