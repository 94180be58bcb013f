package dev.engineionio.socketio;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The Socket.IO packet codec, as npm {@code socket.io-parser} 4.2 (protocol 5) writes and reads it; protocol 4 uses
 * the same format.
 *
 * <h2>Encoding</h2>
 * {@link #encode} writes a packet's text part once; an EVENT or ACK whose data holds a {@code byte[]} becomes a
 * BINARY_EVENT or BINARY_ACK with each {@code byte[]} replaced, in document order, by a placeholder and carried as
 * an attachment. The result is shared by every recipient of a broadcast.
 *
 * <h2>Decoding</h2>
 * A {@link Decoder} per connection takes Engine.IO messages in order: text, then as many binary messages as a
 * binary packet announced. Bad input answers a {@link DecodeError} (the reference throws, and its server then closes
 * the connection); after an error the decoder stays failed. Two quirks of the reference's number parsing are not
 * copied: it takes whitespace for an ack id digit ({@code Number(" ")} is 0) and reads ids of any length as floats;
 * here an id is ASCII digits, at most 15 of them.
 *
 * <p>Threads: {@link #encode} any thread; a {@link Decoder} belongs to one connection's loop.
 */
public final class SocketIoParser {

    /** Default most attachments a binary packet may announce (the reference's {@code maxAttachments}). */
    public static final int DEFAULT_MAX_ATTACHMENTS = 10;

    /** Event names the reference refuses in an incoming EVENT (and the server refuses to emit). */
    static final List<String> RESERVED_EVENTS = List.of("connect", "connect_error", "disconnect", "disconnecting",
            "newListener", "removeListener");

    private SocketIoParser() {
    }

    /**
     * An encoded packet: the text part and, for a binary packet, its attachments.
     *
     * @param text        the Engine.IO text message
     * @param attachments the Engine.IO binary messages that follow it, in order (unmodifiable; empty for a plain
     *                    packet)
     */
    public record Encoded(String text, List<byte[]> attachments) {
    }

    /**
     * Encodes a packet.
     *
     * @param p the packet
     * @return the text part and the attachments
     * @throws JsonException if the data holds a value JSON has no form for
     */
    public static Encoded encode(SocketIoPacket p) {
        PacketType type = p.type();
        boolean binary = (type == PacketType.EVENT || type == PacketType.ACK) && Json.hasBinary(p.data(), 0)
                || type == PacketType.BINARY_EVENT || type == PacketType.BINARY_ACK;
        if (binary) {
            type = type == PacketType.EVENT || type == PacketType.BINARY_EVENT
                    ? PacketType.BINARY_EVENT : PacketType.BINARY_ACK;
        }
        StringBuilder head = new StringBuilder(16).append(type.ordinal());
        StringBuilder body = new StringBuilder(32);
        List<byte[]> attachments = List.of();
        if (p.data() != null) {
            if (binary) {
                List<byte[]> list = new ArrayList<>(2);
                Json.write(p.data(), body, b -> {
                    list.add(b);
                    return list.size() - 1;
                });
                attachments = Collections.unmodifiableList(list);
            } else {
                Json.write(p.data(), body);
            }
        }
        if (binary) {
            head.append(attachments.size()).append('-');
        }
        if (p.nsp() != null && !"/".equals(p.nsp())) {
            head.append(p.nsp()).append(',');
        }
        if (p.id() >= 0) {
            head.append(p.id());
        }
        return new Encoded(head.append(body).toString(), attachments);
    }

    /** Why a message could not be decoded: the reference's error messages. */
    public enum DecodeError {
        /** The first character is not a packet type 0-6. */
        UNKNOWN_PACKET_TYPE("unknown packet type"),
        /** A binary packet's attachment count is missing, not a number, or below 1. */
        ILLEGAL_ATTACHMENTS("Illegal attachments"),
        /** A binary packet announced more attachments than {@code maxAttachments}. */
        TOO_MANY_ATTACHMENTS("too many attachments"),
        /** An acknowledgement id longer than 15 digits (beyond a JavaScript number's exact integers). */
        INVALID_ACK_ID("invalid ack id"),
        /** The JSON payload is not JSON, or not of the packet type's shape. */
        INVALID_PAYLOAD("invalid payload"),
        /** A text message while the attachments of a binary packet were expected. */
        TEXT_WHILE_RECONSTRUCTING("got plaintext data when reconstructing a packet"),
        /** A binary message when no binary packet announced it. */
        BINARY_WHILE_NOT_RECONSTRUCTING("got binary data when not reconstructing a packet"),
        /** A placeholder with a number outside the attachments received. */
        ILLEGAL_PLACEHOLDER("illegal attachments");

        private final String message;

        DecodeError(String message) {
            this.message = message;
        }

        /**
         * The reference's text for this error.
         *
         * @return the message
         */
        public String message() {
            return message;
        }
    }

    /**
     * Decodes one connection's messages into packets. One per connection; not thread-safe.
     */
    public static final class Decoder {
        /** {@link #text}/{@link #binary} result: a packet is complete ({@link #packet()}). */
        public static final int COMPLETE = 0;
        /** Result: more binary messages are expected. */
        public static final int NEED_ATTACHMENT = 1;
        /** Result: the input was refused ({@link #error()}); the decoder stays failed. */
        public static final int ERROR = 2;

        private final int maxAttachments;
        private final int maxDepth;
        private SocketIoPacket packet;
        private SocketIoPacket pending;
        private int expected;
        private List<byte[]> buffers;
        private DecodeError error;

        /**
         * A decoder with the default limits.
         */
        public Decoder() {
            this(DEFAULT_MAX_ATTACHMENTS, Json.DEFAULT_MAX_DEPTH);
        }

        /**
         * A decoder.
         *
         * @param maxAttachments the most attachments a binary packet may announce
         * @param maxDepth       the JSON nesting limit of payloads
         */
        public Decoder(int maxAttachments, int maxDepth) {
            this.maxAttachments = maxAttachments;
            this.maxDepth = maxDepth;
        }

        /**
         * The packet completed by the last call that returned {@link #COMPLETE}.
         *
         * @return the packet
         */
        public SocketIoPacket packet() {
            return packet;
        }

        /**
         * The error of the last call that returned {@link #ERROR}.
         *
         * @return the error, or null
         */
        public DecodeError error() {
            return error;
        }

        /**
         * Takes an Engine.IO text message.
         *
         * @param s the message
         * @return {@link #COMPLETE}, {@link #NEED_ATTACHMENT} or {@link #ERROR}
         */
        public int text(String s) {
            if (error != null) {
                return ERROR;
            }
            if (pending != null) {
                return fail(DecodeError.TEXT_WHILE_RECONSTRUCTING);
            }
            int n = s.length();
            int i = 0;
            // Number("") is 0 in the reference: an empty message is a CONNECT to "/"
            PacketType type = n == 0 ? PacketType.CONNECT : PacketType.of(s.charAt(0) - '0');
            if (type == null) {
                return fail(DecodeError.UNKNOWN_PACKET_TYPE);
            }
            int attachments = 0;
            if (type == PacketType.BINARY_EVENT || type == PacketType.BINARY_ACK) {
                int start = 1;
                i = 1;
                while (i < n && s.charAt(i) != '-') {
                    i++;
                }
                if (i >= n || i == start || i - start > 9) {
                    return fail(DecodeError.ILLEGAL_ATTACHMENTS);
                }
                for (int k = start; k < i; k++) {
                    char c = s.charAt(k);
                    if (c < '0' || c > '9') {
                        return fail(DecodeError.ILLEGAL_ATTACHMENTS);
                    }
                    attachments = attachments * 10 + (c - '0');
                }
                if (attachments < 1) {
                    return fail(DecodeError.ILLEGAL_ATTACHMENTS);
                }
                if (attachments > maxAttachments) {
                    return fail(DecodeError.TOO_MANY_ATTACHMENTS);
                }
            } else {
                i = 0;
            }
            // i: index of the last character consumed (as the reference's cursor)
            String nsp = "/";
            if (i + 1 < n && s.charAt(i + 1) == '/') {
                int start = i + 1;
                int comma = s.indexOf(',', start);
                i = comma < 0 ? n : comma;
                nsp = s.substring(start, i);
            }
            long id = SocketIoPacket.NO_ID;
            if (i + 1 < n && isDigit(s.charAt(i + 1))) {
                int start = i + 1;
                int j = start;
                while (j < n && isDigit(s.charAt(j))) {
                    j++;
                }
                if (j - start > 15) {
                    return fail(DecodeError.INVALID_ACK_ID);
                }
                id = Long.parseLong(s, start, j, 10);
                i = j - 1;
            }
            Object data = null;
            if (i + 1 < n) {
                try {
                    data = Json.parse(s.substring(i + 1), maxDepth, Integer.MAX_VALUE);
                } catch (JsonException e) {
                    return fail(DecodeError.INVALID_PAYLOAD);
                }
                if (!payloadValid(type, data)) {
                    return fail(DecodeError.INVALID_PAYLOAD);
                }
            }
            SocketIoPacket p = new SocketIoPacket(type, nsp, id, data);
            if (attachments > 0) {
                pending = p;
                expected = attachments;
                buffers = new ArrayList<>(attachments);
                return NEED_ATTACHMENT;
            }
            packet = p;
            return COMPLETE;
        }

        /**
         * Takes an Engine.IO binary message (an attachment of the pending binary packet).
         *
         * @param data the message; kept (the caller gives it up)
         * @return {@link #COMPLETE}, {@link #NEED_ATTACHMENT} or {@link #ERROR}
         */
        public int binary(byte[] data) {
            if (error != null) {
                return ERROR;
            }
            if (pending == null) {
                return fail(DecodeError.BINARY_WHILE_NOT_RECONSTRUCTING);
            }
            buffers.add(data);
            if (buffers.size() < expected) {
                return NEED_ATTACHMENT;
            }
            SocketIoPacket p = pending;
            List<byte[]> b = buffers;
            pending = null;
            buffers = null;
            Object d;
            try {
                d = reconstruct(p.data(), b);
            } catch (IllegalArgumentException e) {
                return fail(DecodeError.ILLEGAL_PLACEHOLDER);
            }
            PacketType t = p.type() == PacketType.BINARY_EVENT ? PacketType.EVENT : PacketType.ACK;
            packet = new SocketIoPacket(t, p.nsp(), p.id(), d);
            return COMPLETE;
        }

        /** Whether a binary packet waits for attachments. */
        boolean reconstructing() {
            return pending != null;
        }

        /** Drops a pending binary packet (the connection closed). */
        public void reset() {
            pending = null;
            buffers = null;
        }

        private int fail(DecodeError e) {
            error = e;
            pending = null;
            buffers = null;
            return ERROR;
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }
    }

    @SuppressWarnings("unchecked")
    private static Object reconstruct(Object data, List<byte[]> buffers) {
        if (data instanceof Map) {
            Map<String, Object> m = (Map<String, Object>) data;
            if (Boolean.TRUE.equals(m.get("_placeholder"))) {
                Object num = m.get("num");
                double v = num instanceof Number ? ((Number) num).doubleValue() : -1;
                if (v >= 0 && v < buffers.size() && v == Math.rint(v)) {
                    return buffers.get((int) v);
                }
                throw new IllegalArgumentException("illegal attachments");
            }
            for (Map.Entry<String, Object> e : m.entrySet()) {
                e.setValue(reconstruct(e.getValue(), buffers));
            }
        } else if (data instanceof List) {
            List<Object> l = (List<Object>) data;
            for (int i = 0; i < l.size(); i++) {
                l.set(i, reconstruct(l.get(i), buffers));
            }
        }
        return data;
    }

    static boolean payloadValid(PacketType type, Object payload) {
        switch (type) {
            case CONNECT:
                return payload instanceof Map;
            case DISCONNECT:
                return false; // only valid without payload (the caller checks presence first)
            case CONNECT_ERROR:
                return payload instanceof String || payload instanceof Map;
            case EVENT:
            case BINARY_EVENT:
                if (!(payload instanceof List) || ((List<?>) payload).isEmpty()) {
                    return false;
                }
                Object first = ((List<?>) payload).get(0);
                return first instanceof Number || first instanceof String && !RESERVED_EVENTS.contains(first);
            case ACK:
            case BINARY_ACK:
                return payload instanceof List;
            default:
                return false;
        }
    }
}
