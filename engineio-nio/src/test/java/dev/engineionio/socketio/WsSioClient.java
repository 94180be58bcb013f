package dev.engineionio.socketio;

import dev.engineionio.RawClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * A raw Socket.IO client over a raw WebSocket ({@link RawClient}), for server tests that check exact packets:
 * {@link #next()} gives a text frame as String, a binary frame as byte[], the close (or EOF) as {@link #CLOSED};
 * Engine.IO pings are answered on the way. Blocking; its read timeout is a failure guard only.
 */
final class WsSioClient implements AutoCloseable {

    static final Object CLOSED = new Object();

    private final RawClient raw;

    WsSioClient(int port) throws IOException {
        raw = new RawClient(port);
        RawClient.Response r = raw.upgrade("/socket.io/?EIO=4&transport=websocket");
        if (r.status != 101) {
            throw new AssertionError("no upgrade: " + r);
        }
        String open = text();
        if (!open.startsWith("0{\"sid\":")) {
            throw new AssertionError("not an open packet: " + open);
        }
    }

    Object next() throws IOException {
        while (true) {
            RawClient.Frame f;
            try {
                f = raw.readFrame();
            } catch (IOException eof) {
                return CLOSED;
            }
            if (f.opcode() == 8) {
                return CLOSED;
            }
            if (f.opcode() == 2) {
                return f.payload();
            }
            String s = new String(f.payload(), StandardCharsets.UTF_8);
            if (s.equals("2")) {
                raw.sendText("3");
                continue;
            }
            return s;
        }
    }

    String text() throws IOException {
        Object f = next();
        if (!(f instanceof String)) {
            throw new AssertionError("expected a text frame, got " + (f == CLOSED ? "the close" : "binary"));
        }
        return (String) f;
    }

    /** Sends an Engine.IO message: {@code "4" + packet}. */
    void send(String socketIoPacket) throws IOException {
        raw.sendText("4" + socketIoPacket);
    }

    void sendBinary(byte[] b) throws IOException {
        raw.sendFrame(2, true, b);
    }

    /** Connects {@code nsp} with an auth JSON (or none) and returns the server's answer. */
    String connect(String nsp, String authJson) throws IOException {
        send("0" + ("/".equals(nsp) ? "" : nsp + ",") + (authJson == null ? "" : authJson));
        return text();
    }

    @Override
    public void close() throws IOException {
        raw.close();
    }
}
