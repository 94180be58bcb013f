package dev.engineionio.bench.load;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The few Socket.IO (protocol 5, on Engine.IO 4) packets {@link LoadMain}{@code --socketio} speaks, for servers that
 * only speak Socket.IO (netty-socketio): a Socket.IO packet travels as the data of an Engine.IO message packet
 * ({@code 4}), so on the wire {@code 40} connects to the default namespace {@code /}, the server acknowledges with
 * {@code 40{"sid":"..."}}, and an event is {@code 42["echo","<text>"]}. Every method here works on the Engine.IO
 * message <em>data</em> (without the leading {@code 4}).
 *
 * <p>Thread: stateless, any thread. Limits: event arguments are plain strings (JSON-escaped here); binary attachments
 * and acknowledgement ids are not used. Reference: the socket.io-protocol v5 document (packet types 0 CONNECT,
 * 1 DISCONNECT, 2 EVENT, 4 CONNECT_ERROR).
 */
final class SocketIo {

    /** Message data of the namespace connect for {@code /}: Socket.IO packet type 0, no namespace, no payload. */
    static final byte[] CONNECT = {'0'};

    /** What a server's message packet is, to a client that sent {@link #CONNECT} and then events. */
    enum Kind { CONNECT_ACK, CONNECT_ERROR, EVENT, DISCONNECT, OTHER }

    private SocketIo() {
    }

    /** The message data {@code 2["echo","<text>"]} for an ASCII or UTF-8 {@code text}, with JSON escapes. */
    static byte[] echoEvent(byte[] text) {
        String s = new String(text, StandardCharsets.UTF_8);
        StringBuilder b = new StringBuilder(s.length() + 12).append("2[\"echo\",\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append("\"]").toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Classifies the message data {@code [start, start+length)} of {@code buf}: {@code 0} or {@code 0{...}} is the
     * connect acknowledgement of {@code /} (a packet for another namespace, {@code 0/nsp,...}, is {@link Kind#OTHER}),
     * {@code 4...} a connect error, {@code 2[...]} an event, {@code 1} a disconnect.
     */
    static Kind classify(ByteBuffer buf, int start, int length) {
        if (length == 0) {
            return Kind.OTHER;
        }
        byte type = buf.get(start);
        boolean defaultNamespace = length == 1 || buf.get(start + 1) != '/';
        if (!defaultNamespace) {
            return Kind.OTHER;
        }
        return switch (type) {
            case '0' -> length == 1 || buf.get(start + 1) == '{' ? Kind.CONNECT_ACK : Kind.OTHER;
            case '1' -> Kind.DISCONNECT;
            case '2' -> length >= 3 && buf.get(start + 1) == '[' ? Kind.EVENT : Kind.OTHER;
            case '4' -> Kind.CONNECT_ERROR;
            default -> Kind.OTHER;
        };
    }
}
