package dev.engineionio.protocol;

/**
 * The seven Engine.IO packet types, identical in protocol versions 3 and 4.
 *
 * <p>On the wire a packet type is one ASCII digit ({@code '0'}..{@code '6'}) in text encodings and one
 * byte of value {@code 0}..{@code 6} at the head of a v3 binary WebSocket frame or v3 binary payload.
 *
 * <p>Immutable; any thread may use it.
 */
public enum PacketType {
    /** {@code 0}: sent by the server at handshake, carrying the JSON handshake data. */
    OPEN,
    /** {@code 1}: request to close the transport (v4: over polling only; ignored over WebSocket). */
    CLOSE,
    /** {@code 2}: heartbeat ping (server to client in v4, client to server in v3) and the {@code 2probe} probe. */
    PING,
    /** {@code 3}: heartbeat pong and the {@code 3probe} probe answer. */
    PONG,
    /** {@code 4}: an application message, text or binary. */
    MESSAGE,
    /** {@code 5}: the client's request to switch to the probed transport. */
    UPGRADE,
    /** {@code 6}: no operation, used to release a pending polling request during an upgrade. */
    NOOP;

    private static final PacketType[] BY_CODE = values();

    /**
     * The ASCII digit of this type.
     *
     * @return {@code '0'}..{@code '6'}
     */
    public byte asciiCode() {
        return (byte) ('0' + ordinal());
    }

    /**
     * The numeric code of this type.
     *
     * @return {@code 0}..{@code 6}
     */
    public int code() {
        return ordinal();
    }

    /**
     * The type whose ASCII digit is {@code b}, or {@code null} if {@code b} is not {@code '0'}..{@code '6'}.
     * Never throws: hostile input is answered by the caller with an enumerated error.
     *
     * @param b a byte value
     * @return the type, or {@code null}
     */
    public static PacketType fromAscii(int b) {
        int code = b - '0';
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /**
     * The type whose numeric code is {@code code}. Never throws.
     *
     * @param code a number
     * @return the type, or {@code null} if {@code code} is not 0..6
     */
    public static PacketType fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
