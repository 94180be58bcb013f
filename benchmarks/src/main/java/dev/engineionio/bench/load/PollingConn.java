package dev.engineionio.bench.load;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Polling scenario session, Engine.IO v4 over HTTP/1.1 long-polling on one keep-alive connection: a handshake
 * {@code GET} (open packet, sid), then a loop of {@code POST 4<message>} (answer {@code ok}) and {@code GET} (answer:
 * the echo). One round trip is timed from the POST to the GET answer that carries the echo. A server ping ({@code 2})
 * seen in a GET answer is answered by appending {@code 3} to the next POST body (or a POST of its own). With
 * {@code --socketio}, after the handshake it POSTs the namespace connect {@code 40} and GETs until the acknowledgement
 * {@code 40{...}} arrives (the session counts as opened then); the message is the event {@code 42["echo","hello"]}.
 *
 * <p>A server that closes the connection after each response gets each next request on a new connection
 * ({@link #reconnect}; counted as reconnects, 0 for a keep-alive server).
 *
 * <p>States: {@code HANDSHAKE}, {@code CONNECT_POSTING} and {@code CONNECT_GETTING} (Socket.IO only),
 * {@code POSTING}, {@code GETTING}. Thread: the loop thread only. Limits: responses
 * must carry {@code Content-Length} and fit in the read buffer; a chunked body or {@code Connection: close} fails the
 * session clearly. Requests are precomputed byte arrays once the sid is known: nothing is allocated per round trip.
 */
final class PollingConn extends Conn {

    enum State { HANDSHAKE, CONNECT_POSTING, CONNECT_GETTING, POSTING, GETTING }

    private final HttpResponseHead head = new HttpResponseHead();
    private final byte[] message;
    private byte[] post;
    private byte[] postWithPong;
    private byte[] postPong;
    private byte[] get;
    private byte[] connectPost;
    /** The request sent and not yet answered (null in the handshake and between requests). */
    private byte[] pending;
    private int reconnectsUnanswered;
    private State state;
    private boolean pongDue;
    private boolean messageOut;
    private long postNs;

    PollingConn(ClientLoop loop) {
        super(loop, Math.max(8192, 2 * loop.options.echoData().length + 1024),
                Math.max(4096, loop.options.echoData().length + 1024));
        this.message = loop.options.echoData();
    }

    @Override
    void onConnected(long nowNs) {
        if (pending != null) {
            // a new connection after the server closed the last one: send the unanswered request again
            append(pending);
            return;
        }
        state = State.HANDSHAKE;
        append(("GET " + loop.options.path + "?EIO=4&transport=polling HTTP/1.1\r\nHost: " + loop.options.hostHeader
                + "\r\nAccept: */*\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }

    @Override
    void onInput(ByteBuffer in, long nowNs) {
        while (channel != null) {
            int end = head.parse(in);
            if (end == HttpResponseHead.NEED_MORE) {
                return;
            }
            if (end == HttpResponseHead.MALFORMED) {
                fail("malformed response head");
                return;
            }
            if (head.chunked || head.contentLength < 0) {
                fail("response without Content-Length (chunked bodies are not read by this client)");
                return;
            }
            if (head.contentLength > in.capacity() - (end - in.position())) {
                fail("response body of " + head.contentLength + " B over the client's read buffer");
                return;
            }
            if (in.limit() - end < head.contentLength) {
                return;
            }
            int bodyEnd = end + (int) head.contentLength;
            if (head.status != 200) {
                fail("HTTP " + head.status + " in state " + state + ": "
                        + StandardCharsets.ISO_8859_1.decode(in.slice(end, bodyEnd - end)));
                return;
            }
            if (head.connectionClose) {
                fail("server asked to close the keep-alive connection");
                return;
            }
            in.position(bodyEnd);
            onBody(in, end, bodyEnd, nowNs);
        }
    }

    private void onBody(ByteBuffer in, int start, int end, long nowNs) {
        deadlineNs = nowNs + (long) (loop.options.timeoutS * 1e9);
        pending = null;
        reconnectsUnanswered = 0;
        switch (state) {
            case HANDSHAKE -> {
                String body = StandardCharsets.ISO_8859_1.decode(in.slice(start, end - start)).toString();
                String sid = openPacketSid(body);
                if (sid == null) {
                    fail("handshake answer is not an open packet: " + body);
                    return;
                }
                buildRequests(sid);
                if (loop.options.socketIo) {
                    state = State.CONNECT_POSTING;
                    request(connectPost);
                    return;
                }
                loop.sessionsOpened++;
                sendPost(post, nowNs);
            }
            case CONNECT_POSTING -> {
                if (end - start != 2 || in.get(start) != 'o' || in.get(start + 1) != 'k') {
                    fail("POST answer is not ok");
                    return;
                }
                state = State.CONNECT_GETTING;
                request(get);
            }
            case CONNECT_GETTING -> {
                boolean acknowledged = false;
                int p = start;
                while (p < end) {
                    int q = p;
                    while (q < end && in.get(q) != 0x1E) {
                        q++;
                    }
                    if (q - p >= 2 && in.get(p) == '4'
                            && SocketIo.classify(in, p + 1, q - p - 1) == SocketIo.Kind.CONNECT_ACK) {
                        acknowledged = true;
                    } else if (q - p == 1 && in.get(p) == '2') {
                        pongDue = true;
                        loop.pingsAnswered++;
                    } else if (!(q - p == 1 && in.get(p) == '6')) {
                        fail("expected the Socket.IO connect acknowledgement, got "
                                + StandardCharsets.UTF_8.decode(in.slice(p, Math.min(q - p, 200))));
                        return;
                    }
                    p = q + 1;
                }
                if (!acknowledged) {
                    request(get);
                    return;
                }
                loop.sessionsOpened++;
                sendPost(pongDue ? postWithPong : post, nowNs);
            }
            case POSTING -> {
                if (end - start != 2 || in.get(start) != 'o' || in.get(start + 1) != 'k') {
                    fail("POST answer is not ok");
                    return;
                }
                state = State.GETTING;
                request(get);
            }
            default -> { // GETTING
                int echoes = 0;
                int p = start;
                while (p < end) {
                    int q = p;
                    while (q < end && in.get(q) != 0x1E) {
                        q++;
                    }
                    if (q == p) {
                        fail("empty packet in payload");
                        return;
                    }
                    byte type = in.get(p);
                    if (type == '4') {
                        if (q - p - 1 != message.length) {
                            fail("echo of " + (q - p - 1) + " bytes, sent " + message.length);
                            return;
                        }
                        echoes++;
                    } else if (type == '2') {
                        pongDue = true;
                        loop.pingsAnswered++;
                    } else if (type == '1') {
                        loop.sessionsLost++;
                        fail("server closed the session");
                        return;
                    } else if (type != '6') {
                        fail("unexpected packet type '" + (char) type + "'");
                        return;
                    }
                    p = q + 1;
                }
                if (echoes > 1 || (echoes == 1 && !messageOut)) {
                    fail("more echoes than messages sent");
                    return;
                }
                if (echoes == 1) {
                    messageOut = false;
                    if (loop.measuring(nowNs)) {
                        loop.histogram.record(nowNs - postNs);
                        loop.ops++;
                    }
                    if (nowNs - loop.endNs >= 0) {
                        done = true;
                        deadlineNs = 0;
                        return;
                    }
                    sendPost(pongDue ? postWithPong : post, nowNs);
                } else if (pongDue) {
                    sendPost(postPong, nowNs);
                } else {
                    request(get);
                }
            }
        }
    }

    private void sendPost(byte[] request, long nowNs) {
        pongDue = false;
        state = State.POSTING;
        if (request != postPong) {
            messageOut = true;
            postNs = nowNs;
        }
        request(request);
    }

    private void buildRequests(String sid) {
        String target = loop.options.path + "?EIO=4&transport=polling&sid=" + sid;
        String m = "4" + new String(message, StandardCharsets.ISO_8859_1);
        post = postRequest(target, m);
        postWithPong = postRequest(target, m + "\u001e3");
        postPong = postRequest(target, "3");
        connectPost = postRequest(target, "4" + new String(SocketIo.CONNECT, StandardCharsets.ISO_8859_1));
        get = ("GET " + target + " HTTP/1.1\r\nHost: " + loop.options.hostHeader + "\r\nAccept: */*\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Appends a request on the session (after the handshake) and remembers it until its answer arrives. */
    private void request(byte[] r) {
        pending = r;
        append(r);
    }

    /**
     * The server closed the connection (EOF or reset) while a request of this session was unanswered and no byte of
     * its answer had arrived: a server that closes after every response (netty-socketio does, though it says
     * {@code Connection: keep-alive}) never read it, so it is sent again on a new connection, counted in
     * {@link ClientLoop#reconnects}. A second close without any answer in between fails the session.
     */
    private boolean reconnect(long nowNs) {
        if (pending == null || post == null || in.position() != 0 || reconnectsUnanswered >= 1) {
            return false;
        }
        reconnectsUnanswered++;
        if (loop.measuring(nowNs)) {
            loop.reconnects++;
        }
        closeChannel();
        connect(nowNs);
        return true;
    }

    @Override
    void onEof(long nowNs) {
        if (!reconnect(nowNs)) {
            super.onEof(nowNs);
        }
    }

    @Override
    void onIoError(String why, long nowNs) {
        if (!reconnect(nowNs)) {
            super.onIoError(why, nowNs);
        }
    }

    /**
     * The {@code sid} of an Engine.IO open packet body ({@code 0{"sid":"...",...}}), allowing whitespace around the
     * colon (engine.io-server-java writes {@code "sid": "..."}); null when the body is not an open packet with one.
     */
    static String openPacketSid(String body) {
        if (!body.startsWith("0{")) {
            return null;
        }
        int k = body.indexOf("\"sid\"");
        if (k < 0) {
            return null;
        }
        int i = k + 5;
        while (i < body.length() && (body.charAt(i) == ' ' || body.charAt(i) == '\t')) {
            i++;
        }
        if (i >= body.length() || body.charAt(i) != ':') {
            return null;
        }
        i++;
        while (i < body.length() && (body.charAt(i) == ' ' || body.charAt(i) == '\t')) {
            i++;
        }
        if (i >= body.length() || body.charAt(i) != '"') {
            return null;
        }
        int e = body.indexOf('"', i + 1);
        return e < 0 || e == i + 1 ? null : body.substring(i + 1, e);
    }

    private byte[] postRequest(String target, String body) {
        return ("POST " + target + " HTTP/1.1\r\nHost: " + loop.options.hostHeader
                + "\r\nContent-Type: text/plain;charset=UTF-8\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    @Override
    String stateName() {
        return String.valueOf(state);
    }
}
