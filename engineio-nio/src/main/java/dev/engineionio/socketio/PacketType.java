package dev.engineionio.socketio;

/**
 * Socket.IO packet types (protocol 5; protocol 4 has the same numbers, its {@code 4} is called {@code ERROR}).
 */
public enum PacketType {
    /** {@code 0}: connect to a namespace (client: with an optional auth object; server: {@code {"sid":...}}). */
    CONNECT,
    /** {@code 1}: leave a namespace. */
    DISCONNECT,
    /** {@code 2}: an event, {@code [name, args...]}. */
    EVENT,
    /** {@code 3}: an acknowledgement, {@code [args...]}. */
    ACK,
    /** {@code 4}: the namespace refused the connection ({@code {"message":...,"data":...}}). */
    CONNECT_ERROR,
    /** {@code 5}: an event with binary attachments. */
    BINARY_EVENT,
    /** {@code 6}: an acknowledgement with binary attachments. */
    BINARY_ACK;

    private static final PacketType[] ALL = values();

    /**
     * The type of a digit.
     *
     * @param code 0 to 6
     * @return the type, or null for any other number
     */
    public static PacketType of(int code) {
        return code >= 0 && code < ALL.length ? ALL[code] : null;
    }
}
