package dev.engineionio.protocol;

import java.nio.ByteBuffer;

/**
 * Writes Engine.IO packets and payloads of protocol versions 3 and 4 straight into a caller's {@link ByteBuffer}:
 * UTF-8 from a {@link CharSequence}, base64 from a {@link ByteBuffer}, no intermediate {@code String} or
 * {@code byte[]}.
 *
 * <h2>Wire formats written</h2>
 * <pre>
 * text packet (WebSocket text frame, both versions)   type-digit UTF-8(data)
 * v4 binary WebSocket frame                           data                      (no type)
 * v3 binary WebSocket frame                           type-byte data
 * base64 packet (WebSocket with b64=1)                v4: "b" base64(data)       v3: "b" type-digit base64(data)
 * v4 payload                                          packet *( %x1E packet )    binary packets as "b" base64
 * v3 text payload                                     *( length ":" packet )     length = UTF-16 units; binary
 *                                                     as "b" type-digit base64; an empty batch is "0:"
 * v3 binary payload                                   *( flag digits %xFF data ) flag 0 text (UTF-8, length in
 *                                                     bytes), 1 binary (type byte + data); digits are byte
 *                                                     VALUES 0..9; an empty batch is empty
 * handshake JSON                                      {"sid":..,"upgrades":[..],"pingInterval":..,"pingTimeout":..,"maxPayload":..}
 * error body                                          {"code":N,"message":"..."}
 * </pre>
 * Source: {@code engine.io-parser} 5.2.3 {@code encodePacket}/{@code encodePayload},
 * {@code engine.io/build/parser-v3} {@code encodePayload}/{@code encodePayloadAsBinary}, {@code socket.js onOpen},
 * {@code server.js abortRequest}.
 *
 * <h2>Sizes and buffers</h2>
 * Each {@code writeX} has a {@code measureX} giving its exact size in bytes, so the caller can size (or pick) the
 * destination first. {@code writeX} writes at {@code dst.position()}, advances the position and returns the bytes
 * written; source buffers are read {@code [position, limit)} with absolute gets and not moved. A destination with
 * less room than measured is API misuse: the write throws {@link IndexOutOfBoundsException} and may have written
 * part of its output.
 *
 * <h2>Text</h2>
 * Lone surrogates are written as U+FFFD ({@code EF BF BD}), as the reference does; a v3 text length counts the
 * string's chars (UTF-16 units), as the reference's {@code message.length}. A null text is a packet without data.
 * A v4 payload cannot carry {@code \x1e} inside a text packet: it is written as is and the peer splits on it, exactly
 * as with the reference (which does not escape it either).
 *
 * <p>Stateless; any thread may call it. Never allocates (except {@link #handshakeJson}, which returns a String).
 */
public final class PacketEncoder {
    private PacketEncoder() {
    }

    // ------------------------------------------------------------------------------------------------ single packets

    /**
     * Size of {@code <type-digit><UTF-8 data>}.
     *
     * @param type the packet type
     * @param data the text, or {@code null} for none
     * @return the size in bytes
     */
    public static int measureTextPacket(PacketType type, CharSequence data) {
        return 1 + (data == null ? 0 : Utf8.encodedLength(data));
    }

    /**
     * Writes {@code <type-digit><UTF-8 data>}: a WebSocket text frame's payload (both versions), or a one-packet v4
     * payload.
     *
     * @param type the packet type
     * @param data the text, or {@code null} for none
     * @param dst  the destination: written from its position, which advances; at least the measured size remaining
     * @return the bytes written
     */
    public static int writeTextPacket(PacketType type, CharSequence data, ByteBuffer dst) {
        int start = dst.position();
        int o = writeText(type, data, dst, start);
        dst.position(o);
        return o - start;
    }

    /**
     * Size of a base64 packet: v4 {@code b<base64>}, v3 {@code b<type-digit><base64>}.
     *
     * @param version the protocol version
     * @param data    the binary data, {@code [position, limit)}
     * @return the size in bytes
     */
    public static int measureBase64Packet(ProtocolVersion version, ByteBuffer data) {
        return (version == ProtocolVersion.V4 ? 1 : 2) + Base64.encodedLength(data.remaining());
    }

    /**
     * Writes a base64 packet (WebSocket text frame for a client that asked for {@code b64=1}).
     *
     * @param version the protocol version
     * @param type    the packet type (v3 writes it; v4 binary packets are always messages)
     * @param data    the binary data, {@code [position, limit)}, not moved
     * @param dst     the destination: written from its position, which advances; at least the measured size remaining
     * @return the bytes written
     */
    public static int writeBase64Packet(ProtocolVersion version, PacketType type, ByteBuffer data, ByteBuffer dst) {
        int start = dst.position();
        int o = writeBase64(version, type, data, dst, start);
        dst.position(o);
        return o - start;
    }

    /**
     * Size of a binary WebSocket frame's payload: v4 the data, v3 a type byte and the data.
     *
     * @param version the protocol version
     * @param data    the binary data, {@code [position, limit)}
     * @return the size in bytes
     */
    public static int measureBinaryFrame(ProtocolVersion version, ByteBuffer data) {
        return (version == ProtocolVersion.V4 ? 0 : 1) + data.remaining();
    }

    /**
     * Writes a binary WebSocket frame's payload: v4 the raw data (always a message), v3 the type byte then the data.
     *
     * @param version the protocol version
     * @param type    the packet type (v3 writes it)
     * @param data    the binary data, {@code [position, limit)}, not moved
     * @param dst     the destination: written from its position, which advances; at least the measured size remaining
     * @return the bytes written
     */
    public static int writeBinaryFrame(ProtocolVersion version, PacketType type, ByteBuffer data, ByteBuffer dst) {
        int start = dst.position();
        int o = start;
        if (version == ProtocolVersion.V3) {
            dst.put(o++, (byte) type.code());
        }
        int n = data.remaining();
        dst.put(o, data, data.position(), n);
        o += n;
        dst.position(o);
        return o - start;
    }

    // ------------------------------------------------------------------------------------------------ payloads

    /**
     * Whether any packet of {@code batch} is binary (the reference's {@code hasBinary}).
     *
     * @param batch the packets
     * @return true if one is binary
     */
    public static boolean hasBinary(PacketBatch batch) {
        for (int i = 0, n = batch.count(); i < n; i++) {
            if (batch.isBinary(i)) {
                return true;
            }
        }
        return false;
    }

    /**
     * True if a polling answer for {@code batch} is a v3 binary payload ({@code Content-Type:
     * application/octet-stream}): v3, the client did not ask for {@code b64}, and the batch holds binary data.
     *
     * @param version        the protocol version
     * @param supportsBinary false when the client's query has {@code b64}
     * @param batch          the packets
     * @return true for a v3 binary payload
     */
    public static boolean isBinaryPayload(ProtocolVersion version, boolean supportsBinary, PacketBatch batch) {
        return version == ProtocolVersion.V3 && supportsBinary && hasBinary(batch);
    }

    /**
     * Size of the polling payload the reference would send for {@code batch}: v4 payload; v3 binary payload if
     * {@link #isBinaryPayload}; else v3 text payload.
     *
     * @param version        the protocol version
     * @param supportsBinary false when the client's query has {@code b64}
     * @param batch          the packets
     * @return the size in bytes
     */
    public static int measurePayload(ProtocolVersion version, boolean supportsBinary, PacketBatch batch) {
        if (version == ProtocolVersion.V4) {
            return measureV4Payload(batch);
        }
        return isBinaryPayload(version, supportsBinary, batch) ? measureV3BinaryPayload(batch) : measureV3TextPayload(batch);
    }

    /**
     * Writes the payload {@link #measurePayload} measures.
     *
     * @param version        the protocol version
     * @param supportsBinary false when the client's query has {@code b64}
     * @param batch          the packets
     * @param dst            the destination: written from its position, which advances; at least the measured size remaining
     * @return the bytes written
     */
    public static int writePayload(ProtocolVersion version, boolean supportsBinary, PacketBatch batch, ByteBuffer dst) {
        if (version == ProtocolVersion.V4) {
            return writeV4Payload(batch, dst);
        }
        return isBinaryPayload(version, supportsBinary, batch) ? writeV3BinaryPayload(batch, dst) : writeV3TextPayload(batch, dst);
    }

    /**
     * Size of a v4 payload.
     *
     * @param batch the packets
     * @return the size in bytes
     */
    public static int measureV4Payload(PacketBatch batch) {
        int n = batch.count();
        int size = n > 0 ? n - 1 : 0; // separators
        for (int i = 0; i < n; i++) {
            size += batch.isBinary(i)
                    ? 1 + Base64.encodedLength(batch.binary(i).remaining())
                    : measureTextPacket(batch.type(i), batch.text(i));
        }
        return size;
    }

    /**
     * Writes a v4 payload: packets joined by {@code 0x1E}, binary ones as {@code b<base64>}.
     *
     * @param batch the packets
     * @param dst   the destination: written from its position, which advances; at least the measured size remaining
     * @return the bytes written
     */
    public static int writeV4Payload(PacketBatch batch, ByteBuffer dst) {
        int start = dst.position();
        int o = start;
        for (int i = 0, n = batch.count(); i < n; i++) {
            if (i > 0) {
                dst.put(o++, (byte) 0x1E);
            }
            o = batch.isBinary(i)
                    ? writeBase64(ProtocolVersion.V4, PacketType.MESSAGE, batch.binary(i), dst, o)
                    : writeText(batch.type(i), batch.text(i), dst, o);
        }
        dst.position(o);
        return o - start;
    }

    /**
     * Size of a v3 text payload.
     *
     * @param batch the packets
     * @return the size in bytes
     */
    public static int measureV3TextPayload(PacketBatch batch) {
        int n = batch.count();
        if (n == 0) {
            return 2;
        }
        int size = 0;
        for (int i = 0; i < n; i++) {
            int bytes;
            int units;
            if (batch.isBinary(i)) {
                bytes = 2 + Base64.encodedLength(batch.binary(i).remaining());
                units = bytes;
            } else {
                CharSequence t = batch.text(i);
                bytes = measureTextPacket(batch.type(i), t);
                units = 1 + (t == null ? 0 : t.length());
            }
            size += decimalDigits(units) + 1 + bytes;
        }
        return size;
    }

    /**
     * Writes a v3 text payload: {@code <UTF-16 length>:<packet>} per packet; binary as {@code b<type><base64>}; an
     * empty batch as {@code 0:}.
     *
     * @param batch the packets
     * @param dst   the destination: written from its position, which advances; at least the measured size remaining
     * @return the bytes written
     */
    public static int writeV3TextPayload(PacketBatch batch, ByteBuffer dst) {
        int start = dst.position();
        int o = start;
        int n = batch.count();
        if (n == 0) {
            dst.put(o, (byte) '0').put(o + 1, (byte) ':');
            dst.position(o + 2);
            return 2;
        }
        for (int i = 0; i < n; i++) {
            if (batch.isBinary(i)) {
                ByteBuffer data = batch.binary(i);
                o = writeAsciiDecimal(2 + Base64.encodedLength(data.remaining()), dst, o);
                dst.put(o++, (byte) ':');
                o = writeBase64(ProtocolVersion.V3, batch.type(i), data, dst, o);
            } else {
                CharSequence t = batch.text(i);
                o = writeAsciiDecimal(1 + (t == null ? 0 : t.length()), dst, o);
                dst.put(o++, (byte) ':');
                o = writeText(batch.type(i), t, dst, o);
            }
        }
        dst.position(o);
        return o - start;
    }

    /**
     * Size of a v3 binary payload.
     *
     * @param batch the packets
     * @return the size in bytes
     */
    public static int measureV3BinaryPayload(PacketBatch batch) {
        int size = 0;
        for (int i = 0, n = batch.count(); i < n; i++) {
            int len = batch.isBinary(i) ? 1 + batch.binary(i).remaining() : measureTextPacket(batch.type(i), batch.text(i));
            size += 1 + decimalDigits(len) + 1 + len;
        }
        return size;
    }

    /**
     * Writes a v3 binary payload: per packet a flag byte (0 text, 1 binary), the decimal digits of the length as
     * byte values 0..9, {@code 0xFF}, then the UTF-8 text packet or the type byte and the binary data.
     *
     * @param batch the packets
     * @param dst   the destination: written from its position, which advances; at least the measured size remaining
     * @return the bytes written
     */
    public static int writeV3BinaryPayload(PacketBatch batch, ByteBuffer dst) {
        int start = dst.position();
        int o = start;
        for (int i = 0, n = batch.count(); i < n; i++) {
            if (batch.isBinary(i)) {
                ByteBuffer data = batch.binary(i);
                int len = data.remaining();
                dst.put(o++, (byte) 1);
                o = writeDigitValues(1 + len, dst, o);
                dst.put(o++, (byte) 0xFF);
                dst.put(o++, (byte) batch.type(i).code());
                dst.put(o, data, data.position(), len);
                o += len;
            } else {
                CharSequence t = batch.text(i);
                dst.put(o++, (byte) 0);
                o = writeDigitValues(measureTextPacket(batch.type(i), t), dst, o);
                dst.put(o++, (byte) 0xFF);
                o = writeText(batch.type(i), t, dst, o);
            }
        }
        dst.position(o);
        return o - start;
    }

    // ------------------------------------------------------------------------------------------------ JSON bodies

    /**
     * Size of the handshake JSON (the open packet's data, without the {@code 0}).
     *
     * @param sid          the session id (any chars; JSON-escaped)
     * @param upgrades     the transports offered, e.g. {@code {"websocket"}} or an empty array
     * @param pingInterval milliseconds
     * @param pingTimeout  milliseconds
     * @param maxPayload   bytes
     * @return the size in bytes
     */
    public static int measureHandshakeJson(CharSequence sid, String[] upgrades, long pingInterval, long pingTimeout, long maxPayload) {
        int n = "{\"sid\":".length() + jsonStringLength(sid) + ",\"upgrades\":[".length();
        for (int i = 0; i < upgrades.length; i++) {
            n += (i > 0 ? 1 : 0) + jsonStringLength(upgrades[i]);
        }
        n += "],\"pingInterval\":".length() + signedDecimalLength(pingInterval)
                + ",\"pingTimeout\":".length() + signedDecimalLength(pingTimeout)
                + ",\"maxPayload\":".length() + signedDecimalLength(maxPayload) + 1;
        return n;
    }

    /**
     * Writes {@code {"sid":"..","upgrades":[..],"pingInterval":N,"pingTimeout":N,"maxPayload":N}}, keys in the
     * reference's order. Prefix it with {@code 0} (or use {@link #handshakeJson} as the open packet's text).
     *
     * @param sid          the session id (any chars; JSON-escaped)
     * @param upgrades     the transports offered, e.g. {@code {"websocket"}} or an empty array
     * @param pingInterval milliseconds
     * @param pingTimeout  milliseconds
     * @param maxPayload   bytes
     * @param dst         the destination: written from its position, which advances; at least the measured size remaining
     * @return the bytes written
     */
    public static int writeHandshakeJson(CharSequence sid, String[] upgrades, long pingInterval, long pingTimeout,
                                         long maxPayload, ByteBuffer dst) {
        int start = dst.position();
        int o = ascii("{\"sid\":", dst, start);
        o = writeJsonString(sid, dst, o);
        o = ascii(",\"upgrades\":[", dst, o);
        for (int i = 0; i < upgrades.length; i++) {
            if (i > 0) {
                dst.put(o++, (byte) ',');
            }
            o = writeJsonString(upgrades[i], dst, o);
        }
        o = ascii("],\"pingInterval\":", dst, o);
        o = writeSignedDecimal(pingInterval, dst, o);
        o = ascii(",\"pingTimeout\":", dst, o);
        o = writeSignedDecimal(pingTimeout, dst, o);
        o = ascii(",\"maxPayload\":", dst, o);
        o = writeSignedDecimal(maxPayload, dst, o);
        dst.put(o++, (byte) '}');
        dst.position(o);
        return o - start;
    }

    /**
     * The handshake JSON as a String, for the open packet's text in a {@link PacketBatch} (once per session).
     *
     * @param sid          the session id (any chars; JSON-escaped)
     * @param upgrades     the transports offered, e.g. {@code {"websocket"}} or an empty array
     * @param pingInterval milliseconds
     * @param pingTimeout  milliseconds
     * @param maxPayload   bytes
     * @return the JSON text
     */
    public static String handshakeJson(CharSequence sid, String[] upgrades, long pingInterval, long pingTimeout, long maxPayload) {
        ByteBuffer b = ByteBuffer.allocate(measureHandshakeJson(sid, upgrades, pingInterval, pingTimeout, maxPayload));
        writeHandshakeJson(sid, upgrades, pingInterval, pingTimeout, maxPayload, b);
        return new String(b.array(), java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Size of {@code {"code":N,"message":"..."}}.
     *
     * @param code    the Engine.IO error code
     * @param message the message (JSON-escaped when written)
     * @return the size in bytes
     */
    public static int measureErrorBody(int code, CharSequence message) {
        return "{\"code\":".length() + signedDecimalLength(code) + ",\"message\":".length() + jsonStringLength(message) + 1;
    }

    /**
     * Writes the JSON error body {@code {"code":N,"message":"..."}} with {@code message} escaped as
     * {@code JSON.stringify} does (e.g. an {@code allowRequest} refusal reason); see {@link EngineError} for the
     * standard ones.
     *
     * @param code    the Engine.IO error code
     * @param message the message
     * @param dst     the destination: written from its position, which advances; at least the measured size remaining
     * @return the bytes written
     */
    public static int writeErrorBody(int code, CharSequence message, ByteBuffer dst) {
        int start = dst.position();
        int o = ascii("{\"code\":", dst, start);
        o = writeSignedDecimal(code, dst, o);
        o = ascii(",\"message\":", dst, o);
        o = writeJsonString(message, dst, o);
        dst.put(o++, (byte) '}');
        dst.position(o);
        return o - start;
    }

    /**
     * Size of {@code JSON.stringify(s)} in UTF-8 bytes.
     *
     * @param s the string
     * @return the size in bytes, quotes included
     */
    public static int measureJsonString(CharSequence s) {
        return jsonStringLength(s);
    }

    /**
     * Writes {@code s} as {@code JSON.stringify} does (well-formed since ES2019): quote and backslash escaped;
     * backspace, tab, newline, form feed and return as two-character escapes; other controls below U+0020 and lone
     * surrogates as six-character {@code u}-escapes; everything else as UTF-8. The one JSON string escaper of the
     * Engine.IO layers (handshake JSON, error bodies, {@code connection_error} contexts).
     *
     * @param s   the string
     * @param dst the destination: written from its position, which advances; at least the measured size remaining
     * @return the bytes written
     */
    public static int writeJsonString(CharSequence s, ByteBuffer dst) {
        int start = dst.position();
        int o = writeJsonString(s, dst, start);
        dst.position(o);
        return o - start;
    }

    // ------------------------------------------------------------------------------------------------ internals

    private static int writeText(PacketType type, CharSequence data, ByteBuffer dst, int o) {
        dst.put(o++, type.asciiCode());
        return data == null ? o : Utf8.write(data, dst, o);
    }

    private static int writeBase64(ProtocolVersion version, PacketType type, ByteBuffer data, ByteBuffer dst, int o) {
        dst.put(o++, (byte) 'b');
        if (version == ProtocolVersion.V3) {
            dst.put(o++, type.asciiCode());
        }
        return Base64.encode(data, data.position(), data.remaining(), dst, o);
    }

    private static int ascii(String s, ByteBuffer dst, int o) {
        for (int i = 0, n = s.length(); i < n; i++) {
            dst.put(o++, (byte) s.charAt(i));
        }
        return o;
    }

    static int decimalDigits(long v) {
        int d = 1;
        while (v >= 10) {
            v /= 10;
            d++;
        }
        return d;
    }

    private static int signedDecimalLength(long v) {
        return v < 0 ? 1 + decimalDigits(-v) : decimalDigits(v);
    }

    private static int writeSignedDecimal(long v, ByteBuffer dst, int o) {
        if (v < 0) {
            dst.put(o++, (byte) '-');
            v = -v;
        }
        return writeAsciiDecimal(v, dst, o);
    }

    private static int writeAsciiDecimal(long v, ByteBuffer dst, int o) {
        int d = decimalDigits(v);
        for (int i = o + d - 1; i >= o; i--) {
            dst.put(i, (byte) ('0' + v % 10));
            v /= 10;
        }
        return o + d;
    }

    private static int writeDigitValues(int v, ByteBuffer dst, int o) {
        int d = decimalDigits(v);
        for (int i = o + d - 1; i >= o; i--) {
            dst.put(i, (byte) (v % 10));
            v /= 10;
        }
        return o + d;
    }

    /** Length of {@code JSON.stringify(s)} in UTF-8 bytes (lone surrogates as {@code \}{@code udxxx}, as since ES2019). */
    static int jsonStringLength(CharSequence s) {
        int n = 2;
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\' || c == '\b' || c == '\t' || c == '\n' || c == '\f' || c == '\r') {
                n += 2;
            } else if (c < 0x20) {
                n += 6;
            } else if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                    n += 4;
                    i++;
                } else {
                    n += 6;
                }
            } else {
                n += 3;
            }
        }
        return n;
    }

    private static int writeCodePoint(int cp, ByteBuffer dst, int o) {
        if (cp < 0x800) {
            dst.put(o, (byte) (0xC0 | cp >> 6)).put(o + 1, (byte) (0x80 | cp & 0x3F));
            return o + 2;
        }
        if (cp < 0x10000) {
            dst.put(o, (byte) (0xE0 | cp >> 12)).put(o + 1, (byte) (0x80 | cp >> 6 & 0x3F)).put(o + 2, (byte) (0x80 | cp & 0x3F));
            return o + 3;
        }
        dst.put(o, (byte) (0xF0 | cp >> 18)).put(o + 1, (byte) (0x80 | cp >> 12 & 0x3F))
                .put(o + 2, (byte) (0x80 | cp >> 6 & 0x3F)).put(o + 3, (byte) (0x80 | cp & 0x3F));
        return o + 4;
    }

    private static final byte[] HEX = {'0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};

    static int writeJsonString(CharSequence s, ByteBuffer dst, int o) {
        dst.put(o++, (byte) '"');
        for (int i = 0, len = s.length(); i < len; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': dst.put(o, (byte) '\\').put(o + 1, (byte) '"'); o += 2; continue;
                case '\\': dst.put(o, (byte) '\\').put(o + 1, (byte) '\\'); o += 2; continue;
                case '\b': dst.put(o, (byte) '\\').put(o + 1, (byte) 'b'); o += 2; continue;
                case '\t': dst.put(o, (byte) '\\').put(o + 1, (byte) 't'); o += 2; continue;
                case '\n': dst.put(o, (byte) '\\').put(o + 1, (byte) 'n'); o += 2; continue;
                case '\f': dst.put(o, (byte) '\\').put(o + 1, (byte) 'f'); o += 2; continue;
                case '\r': dst.put(o, (byte) '\\').put(o + 1, (byte) 'r'); o += 2; continue;
                default:
                    break;
            }
            if (c < 0x20 || (Character.isSurrogate(c)
                    && !(Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))))) {
                dst.put(o, (byte) '\\').put(o + 1, (byte) 'u').put(o + 2, HEX[c >> 12]).put(o + 3, HEX[c >> 8 & 15])
                        .put(o + 4, HEX[c >> 4 & 15]).put(o + 5, HEX[c & 15]);
                o += 6;
            } else if (c < 0x80) {
                dst.put(o++, (byte) c);
            } else {
                int cp = c;
                if (Character.isHighSurrogate(c)) {
                    cp = Character.toCodePoint(c, s.charAt(++i));
                }
                o = writeCodePoint(cp, dst, o);
            }
        }
        dst.put(o++, (byte) '"');
        return o;
    }
}
