package dev.engineionio.bench.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * An Engine.IO v4 client session over a direct WebSocket connection ({@code ?EIO=4&transport=websocket}): the
 * RFC 6455 section 4.1 opening handshake (random key, {@code Sec-WebSocket-Accept} checked), then masked text frames.
 * It answers WebSocket pings with pongs and Engine.IO pings ({@code 2}) with pongs ({@code 3}), reassembles fragmented
 * messages, and runs the close handshake (section 7) when asked. Subclasses decide what to do with the open packet
 * and messages. With {@code --socketio} it answers the open packet with the Socket.IO namespace connect {@code 40}
 * and opens on the acknowledgement {@code 40{...}}; messages are then Socket.IO events ({@link SocketIo}).
 *
 * <p>States: {@code UPGRADING} (request sent, waiting for 101), {@code OPENING} (waiting for the {@code 0} open
 * packet, and with {@code --socketio} then for the namespace acknowledgement), {@code OPEN}, {@code CLOSING} (close frame sent, waiting for the server's). Thread: the loop thread only.
 * Limits: a message (or reassembled fragments) over the read buffer's capacity fails the connection.
 */
abstract class WsConn extends Conn {

    static final byte[] GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11".getBytes(StandardCharsets.ISO_8859_1);
    static final byte[] CLOSE_NORMAL = {0x03, (byte) 0xE8};
    static final byte[] EMPTY = {};

    enum State { UPGRADING, OPENING, OPEN, CLOSING }

    private static final byte[] PONG = {'3'};

    final HttpResponseHead head = new HttpResponseHead();
    final WsFrames frames = new WsFrames();
    private final byte[] requestPrefix;
    private final MessageDigest sha1;
    private final byte[] keyBytes = new byte[16];
    private byte[] expectedAccept;
    private byte[] fragments;
    private int fragmentLength;
    private int fragmentOpcode = -1;
    int seed;
    State state;
    /** The Engine.IO open packet arrived (with {@code --socketio} the session is still OPENING until the ack). */
    private boolean engineOpen;

    WsConn(ClientLoop loop, int inCapacity, int outCapacity, int seed) {
        super(loop, inCapacity, outCapacity);
        this.seed = seed == 0 ? 0x9E3779B9 : seed;
        String p = loop.options.path;
        this.requestPrefix = ("GET " + p + "?EIO=4&transport=websocket HTTP/1.1\r\nHost: " + loop.options.hostHeader
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ")
                .getBytes(StandardCharsets.ISO_8859_1);
        try {
            this.sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** xorshift32: masks and keys need unpredictability only against caches, not against attackers. */
    final int nextRandom() {
        int x = seed;
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        seed = x;
        return x;
    }

    @Override
    final void onConnected(long nowNs) {
        state = State.UPGRADING;
        engineOpen = false;
        for (int i = 0; i < 16; i += 4) {
            int r = nextRandom();
            keyBytes[i] = (byte) r;
            keyBytes[i + 1] = (byte) (r >>> 8);
            keyBytes[i + 2] = (byte) (r >>> 16);
            keyBytes[i + 3] = (byte) (r >>> 24);
        }
        byte[] key = Base64.getEncoder().encode(keyBytes);
        sha1.reset();
        sha1.update(key);
        sha1.update(GUID);
        expectedAccept = Base64.getEncoder().encode(sha1.digest());
        if (append(requestPrefix) && append(key)) {
            append(new byte[] {'\r', '\n', '\r', '\n'});
        }
    }

    @Override
    final void onInput(ByteBuffer in, long nowNs) throws IOException {
        if (state == State.UPGRADING) {
            int end = head.parse(in);
            if (end == HttpResponseHead.NEED_MORE) {
                return;
            }
            if (end == HttpResponseHead.MALFORMED || head.status != 101) {
                fail("upgrade refused: HTTP status " + head.status);
                return;
            }
            if (!acceptMatches(in)) {
                fail("wrong Sec-WebSocket-Accept");
                return;
            }
            in.position(end);
            state = State.OPENING;
        }
        int max = in.capacity();
        while (channel != null) {
            int r = frames.read(in, max);
            if (r == WsFrames.NEED_MORE) {
                return;
            }
            if (r == WsFrames.ERROR) {
                fail(frames.error);
                return;
            }
            int start = frames.payloadStart;
            int length = frames.payloadLength;
            int end = frames.frameEnd;
            switch (frames.opcode) {
                case WsFrames.OP_TEXT, WsFrames.OP_BINARY -> {
                    if (fragmentOpcode >= 0) {
                        fail("new data frame inside a fragmented message");
                        return;
                    }
                    if (frames.fin) {
                        onFrameMessage(in, start, length, nowNs);
                    } else {
                        fragmentOpcode = frames.opcode;
                        fragmentLength = 0;
                        addFragment(in, start, length);
                    }
                }
                case WsFrames.OP_CONTINUATION -> {
                    if (fragmentOpcode < 0) {
                        fail("continuation frame without a message");
                        return;
                    }
                    if (!addFragment(in, start, length)) {
                        return;
                    }
                    if (frames.fin) {
                        fragmentOpcode = -1;
                        onFrameMessage(ByteBuffer.wrap(fragments, 0, fragmentLength), 0, fragmentLength, nowNs);
                    }
                }
                case WsFrames.OP_PING -> {
                    byte[] payload = new byte[length];
                    in.get(start, payload);
                    sendFrame(WsFrames.OP_PONG, -1, payload, 0, length);
                }
                case WsFrames.OP_PONG -> {
                    // unsolicited pongs are allowed (RFC 6455 section 5.5.3)
                }
                default -> { // OP_CLOSE
                    if (state == State.CLOSING) {
                        in.position(end);
                        closeChannel();
                        onClosed(nowNs);
                        return;
                    }
                    loop.sessionsLost++;
                    fail("server closed the session in state " + state);
                    return;
                }
            }
            if (channel != null) {
                in.position(end);
            }
        }
    }

    private boolean addFragment(ByteBuffer in, int start, int length) {
        if (fragments == null) {
            fragments = new byte[in.capacity()];
        }
        if (fragmentLength + length > fragments.length) {
            fail("fragmented message larger than the client's read buffer");
            return false;
        }
        in.get(start, fragments, fragmentLength, length);
        fragmentLength += length;
        return true;
    }

    private boolean acceptMatches(ByteBuffer in) {
        if (head.acceptLength != expectedAccept.length) {
            return false;
        }
        for (int i = 0; i < expectedAccept.length; i++) {
            if (in.get(head.acceptStart + i) != expectedAccept[i]) {
                return false;
            }
        }
        return true;
    }

    private void onFrameMessage(ByteBuffer buf, int start, int length, long nowNs) {
        if (length == 0) {
            fail("empty Engine.IO packet");
            return;
        }
        byte type = buf.get(start);
        switch (type) {
            case '0' -> {
                if (state != State.OPENING || engineOpen) {
                    fail("open packet in state " + state);
                    return;
                }
                engineOpen = true;
                if (loop.options.socketIo) {
                    // Socket.IO: connect to namespace "/"; the session opens with the acknowledgement
                    sendFrame(WsFrames.OP_TEXT, '4', SocketIo.CONNECT, 0, SocketIo.CONNECT.length + 1);
                    return;
                }
                opened(nowNs);
            }
            case '2' -> {
                loop.pingsAnswered++;
                sendFrame(WsFrames.OP_TEXT, -1, PONG, 0, 1);
            }
            case '4' -> {
                if (!loop.options.socketIo) {
                    onMessage(buf, start + 1, length - 1, nowNs);
                    return;
                }
                if (!engineOpen) {
                    fail("message before the open packet");
                    return;
                }
                switch (SocketIo.classify(buf, start + 1, length - 1)) {
                    case CONNECT_ACK -> {
                        if (state != State.OPENING) {
                            fail("second Socket.IO connect acknowledgement");
                            return;
                        }
                        opened(nowNs);
                    }
                    case EVENT -> {
                        if (state != State.OPEN) {
                            fail("Socket.IO event before the connect acknowledgement");
                            return;
                        }
                        onMessage(buf, start + 1, length - 1, nowNs);
                    }
                    case CONNECT_ERROR -> fail("Socket.IO connect refused: "
                            + StandardCharsets.UTF_8.decode(buf.slice(start, Math.min(length, 200))));
                    case DISCONNECT -> {
                        loop.sessionsLost++;
                        fail("server sent the Socket.IO disconnect packet");
                    }
                    default -> fail("unexpected Socket.IO packet "
                            + StandardCharsets.UTF_8.decode(buf.slice(start, Math.min(length, 200))));
                }
            }
            case '6' -> {
                // noop
            }
            case '1' -> {
                loop.sessionsLost++;
                fail("server sent the Engine.IO close packet");
            }
            default -> fail("unexpected Engine.IO packet type '" + (char) type + "'");
        }
    }

    /** The session is open: the Engine.IO open packet (or, with {@code --socketio}, the namespace acknowledgement). */
    private void opened(long nowNs) {
        state = State.OPEN;
        deadlineNs = 0;
        loop.sessionsOpened++;
        onOpen(nowNs);
    }

    /** Appends one masked frame; {@code prefix >= 0} is a first byte sent before {@code src} (counted in length). */
    final boolean sendFrame(int opcode, int prefix, byte[] src, int off, int length) {
        if (channel == null) {
            return false;
        }
        if (out.remaining() < WsFrames.frameSize(length)) {
            try {
                flush();
            } catch (IOException e) {
                fail(e.getMessage());
                return false;
            }
            if (out.remaining() < WsFrames.frameSize(length)) {
                fail("output buffer full (" + out.capacity() + " B)");
                return false;
            }
        }
        WsFrames.write(out, opcode, prefix, src, off, length, nextRandom());
        return true;
    }

    /** Starts the close handshake: a 1000 close frame, then wait (bounded) for the server's. */
    final void beginClose(long nowNs) {
        state = State.CLOSING;
        deadlineNs = nowNs + (long) (loop.options.timeoutS * 1e9);
        sendFrame(WsFrames.OP_CLOSE, -1, CLOSE_NORMAL, 0, 2);
    }

    @Override
    final String stateName() {
        return String.valueOf(state);
    }

    /** The open packet arrived. */
    abstract void onOpen(long nowNs);

    /** A message packet ({@code 4...}) arrived (with {@code --socketio}: an event, {@code 42[...]}); its data is {@code [start, start+length)} of {@code buf}. */
    abstract void onMessage(ByteBuffer buf, int start, int length, long nowNs);

    /** The close handshake finished (the channel is closed). */
    void onClosed(long nowNs) {
        done = true;
    }
}
