package dev.engineionio.socketio;

import java.util.List;

/**
 * One decoded (or to-be-encoded) Socket.IO packet.
 *
 * <p>Wire form (text part): {@code <type>[<attachments>-][<nsp>,][<id>][<json>]}: the namespace is written only
 * when it is not {@code /}; the attachments count only for the binary types, whose binary parts follow as separate
 * Engine.IO binary messages, referred to in the JSON as {@code {"_placeholder":true,"num":<n>}}.
 *
 * @param type the packet type
 * @param nsp  the namespace, {@code /} by default (with protocol 4 it may carry a {@code ?query})
 * @param id   the acknowledgement id, or -1 for none
 * @param data the payload (see {@link Json}; {@code byte[]} for a binary attachment), or null when absent
 */
public record SocketIoPacket(PacketType type, String nsp, long id, Object data) {

    /** The value of {@link #id()} when the packet has no acknowledgement id. */
    public static final long NO_ID = -1;

    /**
     * The packet's event arguments (the payload of an EVENT or ACK, which is a JSON array).
     *
     * @return the list, or an empty list when the payload is not an array
     */
    @SuppressWarnings("unchecked")
    public List<Object> args() {
        return data instanceof List ? (List<Object>) data : List.of();
    }
}
