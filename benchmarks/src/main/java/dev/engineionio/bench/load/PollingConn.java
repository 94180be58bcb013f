package dev.engineionio.bench.load;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Polling scenario session, Engine.IO v4 over HTTP/1.1 long-polling on one keep-alive connection: a handshake
 * {@code GET} (open packet, sid), then a loop of {@code POST 4<message>} (answer {@code ok}) and {@code GET} (answer:
 * the echo). One round trip is timed from the POST to the GET answer that carries the echo. A server ping ({@code 2})
 * seen in a GET answer is answered by appending {@code 3} to the next POST body (or a POST of its own).
 *
 * <p>States: {@code HANDSHAKE}, {@code POSTING}, {@code GETTING}. Thread: the loop thread only. Limits: responses
 * must carry {@code Content-Length} and fit in the read buffer; a chunked body or {@code Connection: close} fails the
 * session clearly. Requests are precomputed byte arrays once the sid is known: nothing is allocated per round trip.
 */
final class PollingConn extends Conn {

    enum State { HANDSHAKE, POSTING, GETTING }

    private final HttpResponseHead head = new HttpResponseHead();
    private final byte[] message;
    private byte[] post;
    private byte[] postWithPong;
    private byte[] postPong;
    private byte[] get;
    private State state;
    private boolean pongDue;
    private boolean messageOut;
    private long postNs;

    PollingConn(ClientLoop loop) {
        super(loop, Math.max(8192, 2 * loop.options.size + 1024), Math.max(4096, loop.options.size + 1024));
        this.message = LoadOptions.message(loop.options.size);
    }

    @Override
    void onConnected(long nowNs) {
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
        switch (state) {
            case HANDSHAKE -> {
                String body = StandardCharsets.ISO_8859_1.decode(in.slice(start, end - start)).toString();
                int s = body.indexOf("\"sid\":\"");
                int e = s < 0 ? -1 : body.indexOf('"', s + 7);
                if (!body.startsWith("0") || e < 0) {
                    fail("handshake answer is not an open packet: " + body);
                    return;
                }
                buildRequests(body.substring(s + 7, e));
                loop.sessionsOpened++;
                sendPost(post, nowNs);
            }
            case POSTING -> {
                if (end - start != 2 || in.get(start) != 'o' || in.get(start + 1) != 'k') {
                    fail("POST answer is not ok");
                    return;
                }
                state = State.GETTING;
                append(get);
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
                    append(get);
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
        append(request);
    }

    private void buildRequests(String sid) {
        String target = loop.options.path + "?EIO=4&transport=polling&sid=" + sid;
        String m = "4" + new String(message, StandardCharsets.ISO_8859_1);
        post = postRequest(target, m);
        postWithPong = postRequest(target, m + "\u001e3");
        postPong = postRequest(target, "3");
        get = ("GET " + target + " HTTP/1.1\r\nHost: " + loop.options.hostHeader + "\r\nAccept: */*\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
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
