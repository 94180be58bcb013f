package dev.engineionio.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Decodes Engine.IO polling payloads (POST bodies) and WebSocket message payloads of protocol versions 3 and 4,
 * reporting each packet to a {@link PacketHandler} as a span, without allocating per packet.
 *
 * <h2>Wire formats</h2>
 * <pre>
 * v4 polling payload   packet *( %x1E packet )          packet = type-digit *data | "b" base64
 * v4 WebSocket text    type-digit *data  |  "b" base64  (the latter: binary message)
 * v4 WebSocket binary  *OCTET                           (always a binary message, no type)
 * v3 text payload      *( length ":" packet )           length = UTF-16 units of packet, decimal
 *                                                       packet = type-digit *data | "b" type-digit base64
 * v3 binary payload    *( flag *digit %xFF data )       flag 0x00 = string (UTF-8, length in bytes),
 *                                                       other = binary (data = type byte + bytes);
 *                                                       digit = a byte of VALUE 0..9 (not ASCII)
 * v3 WebSocket text    as a v3 text packet              v3 WebSocket binary  type-byte *OCTET
 * JSONP POST           d=&lt;form-encoded payload&gt;        (application/x-www-form-urlencoded)
 * </pre>
 * The reference is {@code engine.io-parser} 5.2.3 (v4) and {@code engine.io/build/parser-v3} (v3).
 *
 * <h2>Input and output</h2>
 * Every method takes a complete unit (a whole POST body, a whole WebSocket message) in {@code [position, limit)},
 * leaves the buffer's position and limit unchanged, keeps no reference to it and returns a {@link DecodeStatus}.
 * Decoding stops at the first invalid packet; the packets before it were delivered ({@link #packetCount()}), and
 * {@link #errorOffset()} tells where the failing packet starts. The handler may stop early by returning false.
 *
 * <h2>Leniency, as in the reference (observable behaviour matched)</h2>
 * <ul>
 * <li>Base64 is decoded as Node's {@code Buffer.from(s, "base64")} does: {@code "b!!!"} is an empty binary message.
 *     With {@code strictBase64} non-canonical base64 gives {@link DecodeStatus#BAD_BASE64} instead.</li>
 * <li>Text bodies are UTF-8 read with replacement: malformed bytes pass through to the span (the String made by
 *     {@link #string} holds U+FFFD) and count as one UTF-16 unit per maximal invalid subsequence in v3 lengths
 *     (WHATWG decoding, as Node's). With {@code strictUtf8} they give {@link DecodeStatus#INVALID_UTF8}.
 *     v3 binary-payload string packets are always validated (the reference's {@code utf8.decode} throws), except
 *     UTF-8-encoded surrogates, which the reference turns into U+FFFD.</li>
 * <li>v3 packets whose type the reference leaves {@code undefined} (a binary packet or frame that is empty or whose
 *     type byte is above 6; {@code "b"} followed by a non-digit) are dropped silently, as the reference's socket
 *     ignores them; {@link #ignoredCount()} counts them.</li>
 * <li>An empty v3 text packet ({@code "0:"}) is skipped; an empty v3 binary payload holds no packet.</li>
 * </ul>
 *
 * <h2>Deliberate deviations (stricter than the reference; no client sends these)</h2>
 * v3 text lengths must be ASCII digits (the reference's {@code Number()} also takes {@code " 5"}, {@code "0x5"});
 * v3 binary-payload length bytes must be 0..9 (the reference appends the decimal of any byte) and at least one;
 * a binary-payload length past the end is {@link DecodeStatus#LENGTH_MISMATCH} (the reference truncates the packet);
 * a v3 text length ending inside a surrogate pair is {@link DecodeStatus#SPLIT_SURROGATE_PAIR} (the reference
 * delivers a lone surrogate and fails on the next length).
 *
 * <h2>Limits</h2>
 * <table>
 * <caption>limits</caption>
 * <tr><th>limit</th><th>default</th><th>on excess</th></tr>
 * <tr><td>{@code maxPayload}: bytes in one input</td><td>1,000,000 (the reference's maxHttpBufferSize)</td>
 *     <td>{@link DecodeStatus#PAYLOAD_TOO_LARGE}, nothing delivered</td></tr>
 * <tr><td>v3 binary length digits</td><td>311 (fixed, the reference's)</td>
 *     <td>{@link DecodeStatus#TOO_MANY_LENGTH_DIGITS}</td></tr>
 * </table>
 * The decoder's scratch buffers (base64 output, JSONP form data, span-to-String copies) grow on demand and never
 * beyond {@code maxPayload} bytes (chars). There is no limit on the number of packets in a payload, as in the
 * reference: each costs the handler one call and no memory here.
 *
 * <h2>Threads</h2>
 * Not thread-safe: one decoder per event loop (or per session), used by its owner thread only.
 */
public final class PayloadDecoder {
    /** Default {@code maxPayload}: 1,000,000 bytes, the reference's {@code maxHttpBufferSize}. */
    public static final int DEFAULT_MAX_PAYLOAD = 1_000_000;
    /** The reference rejects a v3 binary length prefix when it already holds more than 310 digits. */
    static final int MAX_LENGTH_DIGITS = 311;

    private static final byte RS = 0x1E;
    private static final int INITIAL_SCRATCH = 256;

    private final int maxPayload;
    private final boolean strictBase64;
    private final boolean strictUtf8;

    private byte[] binScratch = new byte[INITIAL_SCRATCH];
    private ByteBuffer binView = ByteBuffer.wrap(binScratch);
    private byte[] formScratch = new byte[0];
    private ByteBuffer formView = ByteBuffer.wrap(formScratch);
    private byte[] stringScratch = new byte[0];
    private char[] charScratch = new char[0];

    private int packetCount;
    private int ignoredCount;
    private int errorOffset = -1;

    /** A decoder with the reference's behaviour and {@link #DEFAULT_MAX_PAYLOAD}. */
    public PayloadDecoder() {
        this(DEFAULT_MAX_PAYLOAD, false, false);
    }

    /**
     * @param maxPayload   the most bytes one input may hold (inclusive), at least 1
     * @param strictBase64 reject non-canonical base64 with {@link DecodeStatus#BAD_BASE64} (the reference is lenient)
     * @param strictUtf8   reject malformed UTF-8 in text with {@link DecodeStatus#INVALID_UTF8} (the reference
     *                     replaces it)
     */
    public PayloadDecoder(int maxPayload, boolean strictBase64, boolean strictUtf8) {
        if (maxPayload < 1) {
            throw new IllegalArgumentException("maxPayload must be at least 1: " + maxPayload);
        }
        this.maxPayload = maxPayload;
        this.strictBase64 = strictBase64;
        this.strictUtf8 = strictUtf8;
    }

    /**
     * The most bytes one input may hold.
     *
     * @return the limit given at construction
     */
    public int maxPayload() {
        return maxPayload;
    }

    /**
     * Packets delivered by the last call.
     *
     * @return the count
     */
    public int packetCount() {
        return packetCount;
    }

    /**
     * Packets the last call dropped as the reference ignores them (v3 packets of undefined type).
     *
     * @return the count
     */
    public int ignoredCount() {
        return ignoredCount;
    }

    /**
     * Absolute index in the input where the failing packet (or length prefix) starts, or -1 if the last call did not
     * fail. For {@link #decodeJsonpForm} it is an index in the decoded form data.
     *
     * @return the index, or -1
     */
    public int errorOffset() {
        return errorOffset;
    }

    // ------------------------------------------------------------------------------------------------ entry points

    /**
     * Decodes a polling POST body as the reference's polling transport does: v4 text payload; v3 binary payload if
     * the request's {@code Content-Type} is exactly {@code application/octet-stream}, else v3 text payload; a v4
     * octet-stream body is {@link DecodeStatus#BINARY_PAYLOAD_IN_V4}.
     *
     * @param version     the session's protocol version
     * @param octetStream whether the request's {@code Content-Type} is exactly {@code application/octet-stream}
     * @param body        the whole body, {@code [position, limit)}; position and limit are left unchanged
     * @param handler     receives each packet
     * @return {@link DecodeStatus#OK}, {@link DecodeStatus#STOPPED} or the error that stopped decoding
     */
    public DecodeStatus decodePolling(ProtocolVersion version, boolean octetStream, ByteBuffer body, PacketHandler handler) {
        if (version == ProtocolVersion.V4) {
            if (octetStream) {
                reset();
                errorOffset = body.position();
                return DecodeStatus.BINARY_PAYLOAD_IN_V4;
            }
            return decodeV4Payload(body, handler);
        }
        return octetStream ? decodeV3BinaryPayload(body, handler) : decodeV3TextPayload(body, handler);
    }

    /**
     * Decodes a v4 polling payload: packets separated by {@code 0x1E}, binary as {@code b<base64>}.
     *
     * @param body    the whole body, {@code [position, limit)}; position and limit are left unchanged
     * @param handler receives each packet
     * @return {@link DecodeStatus#OK}, {@link DecodeStatus#STOPPED} or the error that stopped decoding
     */
    public DecodeStatus decodeV4Payload(ByteBuffer body, PacketHandler handler) {
        reset();
        int p = body.position();
        int limit = body.limit();
        if (limit - p > maxPayload) {
            return fail(DecodeStatus.PAYLOAD_TOO_LARGE, p);
        }
        if (strictUtf8 && !Utf8.isValid(body, p, limit)) {
            return fail(DecodeStatus.INVALID_UTF8, p);
        }
        while (true) {
            int e = indexOfRs(body, p, limit);
            DecodeStatus s = packetV4(body, p, e, handler);
            if (s != DecodeStatus.OK) {
                return s;
            }
            if (e == limit) {
                return DecodeStatus.OK;
            }
            p = e + 1;
        }
    }

    /**
     * Decodes a v3 text payload: {@code <length>:<packet>} repeated, length in UTF-16 units.
     *
     * @param body    the whole body, {@code [position, limit)}; position and limit are left unchanged
     * @param handler receives each packet
     * @return {@link DecodeStatus#OK}, {@link DecodeStatus#STOPPED} or the error that stopped decoding
     */
    public DecodeStatus decodeV3TextPayload(ByteBuffer body, PacketHandler handler) {
        reset();
        int p = body.position();
        int limit = body.limit();
        if (limit - p > maxPayload) {
            return fail(DecodeStatus.PAYLOAD_TOO_LARGE, p);
        }
        if (p == limit) {
            return fail(DecodeStatus.EMPTY_PACKET, p);
        }
        while (p < limit) {
            long n = 0;
            int q = p;
            int b;
            while (q < limit && (b = body.get(q)) != ':') {
                int d = b - '0';
                if (d < 0 || d > 9) {
                    return fail(DecodeStatus.BAD_LENGTH, p);
                }
                n = Math.min(n * 10 + d, Integer.MAX_VALUE);
                q++;
            }
            if (q == limit || q == p) {
                return fail(DecodeStatus.BAD_LENGTH, p);
            }
            int start = q + 1;
            int end = Utf8.advanceUnits(body, start, limit, n, strictUtf8);
            if (end < 0) {
                return fail(end == Utf8.SHORT ? DecodeStatus.LENGTH_MISMATCH
                        : end == Utf8.SPLIT_PAIR ? DecodeStatus.SPLIT_SURROGATE_PAIR : DecodeStatus.INVALID_UTF8, p);
            }
            if (end > start) {
                DecodeStatus s = packetV3(body, start, end, handler, false);
                if (s != DecodeStatus.OK) {
                    if (s.isError()) {
                        errorOffset = p;
                    }
                    return s;
                }
            }
            p = end;
        }
        return DecodeStatus.OK;
    }

    /**
     * Decodes a v3 binary payload (a POST with {@code Content-Type: application/octet-stream}). The framing of the
     * whole body is checked before the first packet is delivered, as the reference splits it whole first.
     *
     * @param body    the whole body, {@code [position, limit)}; position and limit are left unchanged
     * @param handler receives each packet
     * @return {@link DecodeStatus#OK}, {@link DecodeStatus#STOPPED} or the error that stopped decoding
     */
    public DecodeStatus decodeV3BinaryPayload(ByteBuffer body, PacketHandler handler) {
        reset();
        int start = body.position();
        int limit = body.limit();
        if (limit - start > maxPayload) {
            return fail(DecodeStatus.PAYLOAD_TOO_LARGE, start);
        }
        // pass 1: framing
        int p = start;
        while (p < limit) {
            int q = p + 1;
            int digits = 0;
            long n = 0;
            while (true) {
                if (q >= limit) {
                    return fail(DecodeStatus.BAD_LENGTH, p);
                }
                int b = body.get(q) & 0xFF;
                if (b == 0xFF) {
                    break;
                }
                if (digits >= MAX_LENGTH_DIGITS) {
                    return fail(DecodeStatus.TOO_MANY_LENGTH_DIGITS, p);
                }
                if (b > 9) {
                    return fail(DecodeStatus.BAD_LENGTH, p);
                }
                n = Math.min(n * 10 + b, Integer.MAX_VALUE);
                digits++;
                q++;
            }
            if (digits == 0) {
                return fail(DecodeStatus.BAD_LENGTH, p);
            }
            int dataStart = q + 1;
            if (n > limit - dataStart) {
                return fail(DecodeStatus.LENGTH_MISMATCH, p);
            }
            p = dataStart + (int) n;
        }
        // pass 2: packets
        p = start;
        while (p < limit) {
            boolean string = body.get(p) == 0;
            int q = p + 1;
            int n = 0;
            int b;
            while ((b = body.get(q) & 0xFF) != 0xFF) {
                n = n * 10 + b; // bounded by pass 1
                q++;
            }
            int ds = q + 1;
            int de = ds + n;
            DecodeStatus s = string ? packetV3(body, ds, de, handler, true) : binaryV3(body, ds, de, handler);
            if (s != DecodeStatus.OK) {
                if (s.isError()) {
                    errorOffset = p;
                }
                return s;
            }
            p = de;
        }
        return DecodeStatus.OK;
    }

    /**
     * Decodes the payload of a WebSocket text message: one packet, {@code <type><data>} or {@code b...} base64.
     *
     * @param version the protocol version
     * @param frame   the whole message payload (unmasked), {@code [position, limit)}; left unchanged
     * @param handler receives the packet
     * @return {@link DecodeStatus#OK}, {@link DecodeStatus#STOPPED} or the error
     */
    public DecodeStatus decodeTextFrame(ProtocolVersion version, ByteBuffer frame, PacketHandler handler) {
        reset();
        int p = frame.position();
        int limit = frame.limit();
        if (limit - p > maxPayload) {
            return fail(DecodeStatus.PAYLOAD_TOO_LARGE, p);
        }
        if (strictUtf8 && !Utf8.isValid(frame, p, limit)) {
            return fail(DecodeStatus.INVALID_UTF8, p);
        }
        return version == ProtocolVersion.V4 ? packetV4(frame, p, limit, handler) : packetV3(frame, p, limit, handler, false);
    }

    /**
     * Decodes the payload of a WebSocket binary message: v4, a binary message packet (all bytes, possibly none);
     * v3, a type byte then the data (an empty frame or a type above 6 is ignored, as by the reference).
     *
     * @param version the protocol version
     * @param frame   the whole message payload (unmasked), {@code [position, limit)}; left unchanged
     * @param handler receives the packet
     * @return {@link DecodeStatus#OK}, {@link DecodeStatus#STOPPED} or the error
     */
    public DecodeStatus decodeBinaryFrame(ProtocolVersion version, ByteBuffer frame, PacketHandler handler) {
        reset();
        int p = frame.position();
        int limit = frame.limit();
        if (limit - p > maxPayload) {
            return fail(DecodeStatus.PAYLOAD_TOO_LARGE, p);
        }
        if (version == ProtocolVersion.V4) {
            return deliver(PacketType.MESSAGE, true, frame, p, limit - p, handler);
        }
        return binaryV3(frame, p, limit, handler);
    }

    /**
     * Decodes a JSONP polling POST body ({@code application/x-www-form-urlencoded}) as the reference's JSONP
     * transport does: the value of the single field {@code d} (percent- and {@code +}-decoded as Node's
     * {@code querystring}), then every two-character {@code \n} not preceded by a backslash becomes a newline and
     * every {@code \\n} becomes {@code \n}, then the text payload of {@code version} is decoded (v3: always the
     * text format). A body without a {@code d} field, or with more than one, is ignored as by the reference:
     * {@link DecodeStatus#OK} with no packet. Spans delivered point into a decoder-owned buffer.
     *
     * @param version the protocol version
     * @param body    the whole body, {@code [position, limit)}; position and limit are left unchanged
     * @param handler receives each packet
     * @return {@link DecodeStatus#OK}, {@link DecodeStatus#STOPPED} or the error that stopped decoding
     */
    public DecodeStatus decodeJsonpForm(ProtocolVersion version, ByteBuffer body, PacketHandler handler) {
        reset();
        int p = body.position();
        int limit = body.limit();
        if (limit - p > maxPayload) {
            return fail(DecodeStatus.PAYLOAD_TOO_LARGE, p);
        }
        int n = Jsonp.extractD(body, p, limit, this);
        if (n < 0) {
            return DecodeStatus.OK;
        }
        ByteBuffer form = formView;
        form.limit(n).position(0);
        return version == ProtocolVersion.V4 ? decodeV4Payload(form, handler) : decodeV3TextPayload(form, handler);
    }

    /**
     * The {@code String} of UTF-8 text {@code buf[offset, offset+length)} (malformed bytes become U+FFFD). For a heap
     * buffer it decodes from the backing array; for a direct buffer it copies through a reusable scratch array.
     * The only allocation is the String itself (and, on first use of a size, the scratch). Malformed UTF-8 is replaced
     * as Node.js does (WHATWG: one U+FFFD per maximal invalid subsequence), not as the JDK does.
     *
     * @param buf    the buffer holding the text (e.g. a span given to {@link PacketHandler}); position untouched
     * @param offset the absolute index of the first byte
     * @param length the number of bytes
     * @return the text
     */
    public String string(ByteBuffer buf, int offset, int length) {
        if (length == 0) {
            return "";
        }
        String s;
        if (buf.hasArray()) {
            s = new String(buf.array(), buf.arrayOffset() + offset, length, StandardCharsets.UTF_8);
        } else {
            if (stringScratch.length < length) {
                stringScratch = new byte[Math.max(length, Math.min(maxPayload, stringScratch.length * 2))];
            }
            buf.get(offset, stringScratch, 0, length);
            s = new String(stringScratch, 0, length, StandardCharsets.UTF_8);
        }
        if (s.indexOf('\uFFFD') >= 0) {
            // the JDK's replacement differs from Node's (WHATWG) for some malformed input, e.g. ED A0 80 is one
            // U+FFFD for the JDK and three for Node: decode again the WHATWG way (rare: only text holding U+FFFD)
            s = replacingString(buf, offset, length);
        }
        return s;
    }

    private String replacingString(ByteBuffer buf, int offset, int length) {
        if (charScratch.length < length) {
            charScratch = new char[length];
        }
        int n = Utf8.decodeReplacing(buf, offset, length, charScratch);
        return new String(charScratch, 0, n);
    }

    // ------------------------------------------------------------------------------------------------ packets

    private DecodeStatus packetV4(ByteBuffer src, int s, int e, PacketHandler handler) {
        if (s == e) {
            return fail(DecodeStatus.EMPTY_PACKET, s);
        }
        int t = src.get(s);
        if (t == 'b') {
            return base64Packet(PacketType.MESSAGE, src, s + 1, e, handler, s);
        }
        PacketType type = PacketType.fromAscii(t);
        if (type == null) {
            return fail(DecodeStatus.BAD_PACKET_TYPE, s);
        }
        return deliver(type, false, src, s + 1, e - s - 1, handler);
    }

    /** A v3 packet in text form; {@code validateUtf8} for binary-payload string packets. */
    private DecodeStatus packetV3(ByteBuffer src, int s, int e, PacketHandler handler, boolean validateUtf8) {
        if (s == e) {
            return fail(DecodeStatus.EMPTY_PACKET, s);
        }
        int t = src.get(s);
        if (t == 'b') {
            PacketType type = s + 1 < e ? PacketType.fromAscii(src.get(s + 1)) : null;
            if (type == null) {
                ignoredCount++;
                return DecodeStatus.OK;
            }
            return base64Packet(type, src, s + 2, e, handler, s);
        }
        if (validateUtf8 && !Utf8.isValidAllowingSurrogates(src, s, e)) {
            return fail(DecodeStatus.INVALID_UTF8, s);
        }
        PacketType type = PacketType.fromAscii(t);
        if (type == null) {
            return fail(DecodeStatus.BAD_PACKET_TYPE, s);
        }
        return deliver(type, false, src, s + 1, e - s - 1, handler);
    }

    private DecodeStatus binaryV3(ByteBuffer src, int s, int e, PacketHandler handler) {
        PacketType type = s < e ? PacketType.fromCode(src.get(s)) : null;
        if (type == null) {
            ignoredCount++;
            return DecodeStatus.OK;
        }
        return deliver(type, true, src, s + 1, e - s - 1, handler);
    }

    private DecodeStatus base64Packet(PacketType type, ByteBuffer src, int s, int e, PacketHandler handler, int packetStart) {
        int len = e - s;
        if (strictBase64 && !Base64.isStrict(src, s, len)) {
            return fail(DecodeStatus.BAD_BASE64, packetStart);
        }
        int need = Base64.maxDecodedLength(len);
        if (binScratch.length < need) {
            growBinScratch(need);
        }
        int n = Base64.decode(src, s, len, binScratch);
        return deliver(type, true, binView, 0, n, handler);
    }

    private DecodeStatus deliver(PacketType type, boolean binary, ByteBuffer buf, int off, int len, PacketHandler handler) {
        packetCount++;
        return handler.onPacket(type, binary, buf, off, len) ? DecodeStatus.OK : DecodeStatus.STOPPED;
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static final long RS_WORD = 0x1E1E1E1E1E1E1E1EL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /** The index of the first 0x1E in {@code [from, limit)}, or {@code limit}; eight bytes per step (SWAR zero-byte test). */
    static int indexOfRs(ByteBuffer src, int from, int limit) {
        int i = from;
        while (limit - i >= 8) {
            long x = src.getLong(i) ^ RS_WORD;
            if (((x - ONES) & ~x & HIGHS) != 0) {
                // exact test for "some byte is zero": a separator is among these eight bytes
                while (src.get(i) != RS) {
                    i++;
                }
                return i;
            }
            i += 8;
        }
        for (; i < limit; i++) {
            if (src.get(i) == RS) {
                return i;
            }
        }
        return limit;
    }

    private void reset() {
        packetCount = 0;
        ignoredCount = 0;
        errorOffset = -1;
    }

    private DecodeStatus fail(DecodeStatus status, int offset) {
        errorOffset = offset;
        return status;
    }

    private void growBinScratch(int need) {
        binScratch = new byte[Math.max(need, Math.min(maxPayload, binScratch.length * 2))];
        binView = ByteBuffer.wrap(binScratch);
    }

    /** The form scratch, at least {@code need} bytes (need is at most the body size, so at most maxPayload). */
    byte[] formScratch(int need) {
        if (formScratch.length < need) {
            formScratch = new byte[Math.max(need, Math.min(maxPayload, Math.max(INITIAL_SCRATCH, formScratch.length * 2)))];
            formView = ByteBuffer.wrap(formScratch);
        }
        return formScratch;
    }
}
