package dev.engineionio.websocket;

/**
 * WebSocket frame opcodes (RFC 6455 §5.2, §11.8).
 *
 * <p>Stateless; any thread may call it. {@code 0x3}-{@code 0x7} are reserved data opcodes and {@code 0xB}-{@code 0xF}
 * reserved control opcodes: a frame carrying one fails the connection with {@code 1002}.
 */
public final class WebSocketOpcodes {

    /** {@code 0x0}: continuation of a fragmented data message. */
    public static final int CONTINUATION = 0x0;
    /** {@code 0x1}: text frame (UTF-8 payload). */
    public static final int TEXT = 0x1;
    /** {@code 0x2}: binary frame. */
    public static final int BINARY = 0x2;
    /** {@code 0x8}: connection close. */
    public static final int CLOSE = 0x8;
    /** {@code 0x9}: ping. */
    public static final int PING = 0x9;
    /** {@code 0xA}: pong. */
    public static final int PONG = 0xA;

    private WebSocketOpcodes() {
    }

    /** Whether {@code opcode} is a control opcode ({@code 0x8}-{@code 0xF}, RFC 6455 §5.5). */
    public static boolean isControl(int opcode) {
        return (opcode & 0x8) != 0;
    }

    /** Whether {@code opcode} is one of the six defined opcodes. */
    public static boolean isDefined(int opcode) {
        return opcode == CONTINUATION || opcode == TEXT || opcode == BINARY
                || opcode == CLOSE || opcode == PING || opcode == PONG;
    }
}
