package dev.engineionio.protocol;

import static dev.engineionio.protocol.Fixtures.hex;
import static dev.engineionio.protocol.Fixtures.utf8;
import static dev.engineionio.protocol.PacketType.CLOSE;
import static dev.engineionio.protocol.PacketType.MESSAGE;
import static dev.engineionio.protocol.PacketType.NOOP;
import static dev.engineionio.protocol.PacketType.OPEN;
import static dev.engineionio.protocol.PacketType.PONG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.engineionio.protocol.Fixtures.ListBatch;
import dev.engineionio.protocol.Fixtures.Out;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Every encoding example of the wire transcripts (engine.io 6.6.12), byte for byte, into heap and direct buffers. */
class PacketEncoderTest {
    private static final String[] WS = {"websocket"};
    private static final String[] NONE = {};

    /** Encodes into a heap and a direct buffer (with a non-zero start), checks measure == written, returns the bytes. */
    static byte[] encode(Function<ByteBuffer, Integer> write, int measured) {
        byte[] result = null;
        for (boolean direct : new boolean[] {false, true}) {
            ByteBuffer dst = direct ? ByteBuffer.allocateDirect(measured + 7) : ByteBuffer.allocate(measured + 7);
            dst.position(3).limit(3 + measured);
            int n = write.apply(dst);
            assertEquals(measured, n, "measure and write agree");
            assertEquals(3 + measured, dst.position());
            byte[] out = new byte[n];
            dst.get(3, out);
            if (result != null) {
                assertArrayEquals(result, out, "heap and direct agree");
            }
            result = out;
        }
        return result;
    }

    static byte[] payload(ProtocolVersion v, boolean supportsBinary, Out... packets) {
        for (boolean directData : new boolean[] {false, true}) {
            ListBatch b = new ListBatch(List.of(packets), directData);
            byte[] r = encode(dst -> PacketEncoder.writePayload(v, supportsBinary, b, dst), PacketEncoder.measurePayload(v, supportsBinary, b));
            if (!directData) {
                continue;
            }
            return r;
        }
        throw new AssertionError();
    }

    static String open(String sid, String[] upgrades, long interval, long timeout, long max) {
        return PacketEncoder.handshakeJson(sid, upgrades, interval, timeout, max);
    }

    @Test
    void v4HandshakeBodies() {
        assertArrayEquals(utf8("0{\"sid\":\"pTyvew1wxr0fqlQMAAAA\",\"upgrades\":[\"websocket\"],\"pingInterval\":300,\"pingTimeout\":200,\"maxPayload\":1000000}"),
                payload(ProtocolVersion.V4, true, Out.text(OPEN, open("pTyvew1wxr0fqlQMAAAA", WS, 300, 200, 1000000))));
        byte[] b = payload(ProtocolVersion.V4, true, Out.text(OPEN, open("6b2CWqwJdwhia5ctAAAB", WS, 25000, 20000, 1000000)));
        assertEquals(118, b.length);
        assertArrayEquals(utf8("0{\"sid\":\"V2hwwHob6R_WoUmLAAAD\",\"upgrades\":[\"websocket\"],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":100}\u001e4hello-initial"),
                payload(ProtocolVersion.V4, true, Out.text(OPEN, open("V2hwwHob6R_WoUmLAAAD", WS, 25000, 20000, 100)), Out.text(MESSAGE, "hello-initial")));
        byte[] noUpgrades = payload(ProtocolVersion.V4, true, Out.text(OPEN, open("PDI3Ke-Lu2vpSGWCAAAE", NONE, 25000, 20000, 1000000)));
        assertArrayEquals(utf8("0{\"sid\":\"PDI3Ke-Lu2vpSGWCAAAE\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}"), noUpgrades);
        assertEquals(107, noUpgrades.length);
    }

    @Test
    void handshakeJsonWrittenDirectly() {
        String sid = "SdGctSDHgnEhPHMAAAAf";
        byte[] json = encode(dst -> PacketEncoder.writeHandshakeJson(sid, NONE, 300, 200, 1000000, dst),
                PacketEncoder.measureHandshakeJson(sid, NONE, 300, 200, 1000000));
        assertArrayEquals(utf8("{\"sid\":\"SdGctSDHgnEhPHMAAAAf\",\"upgrades\":[],\"pingInterval\":300,\"pingTimeout\":200,\"maxPayload\":1000000}"), json);
        byte[] two = encode(dst -> PacketEncoder.writeHandshakeJson("a\"b", new String[] {"websocket", "webtransport"}, 0, -1, 1, dst),
                PacketEncoder.measureHandshakeJson("a\"b", new String[] {"websocket", "webtransport"}, 0, -1, 1));
        assertArrayEquals(utf8("{\"sid\":\"a\\\"b\",\"upgrades\":[\"websocket\",\"webtransport\"],\"pingInterval\":0,\"pingTimeout\":-1,\"maxPayload\":1}"), two);
    }

    @Test
    void v4PollingPayloads() {
        assertArrayEquals(utf8("4hello"), payload(ProtocolVersion.V4, true, Out.text(MESSAGE, "hello")));
        assertArrayEquals(utf8("4hello\u001ebAQIDBA==\u001e4é€😀"), payload(ProtocolVersion.V4, true,
                Out.text(MESSAGE, "hello"), Out.bin(hex("01020304")), Out.text(MESSAGE, "é€😀")));
        byte[] withBinary = payload(ProtocolVersion.V4, true, Out.text(MESSAGE, "hello"), Out.bin(hex("01020304")), Out.text(MESSAGE, "é€😀"));
        assertEquals(27, withBinary.length, "Content-Length in bytes");
        assertArrayEquals(utf8("b"), payload(ProtocolVersion.V4, true, Out.bin(new byte[0])));
        assertArrayEquals(utf8("4"), payload(ProtocolVersion.V4, true, Out.text(MESSAGE, "")));
        assertArrayEquals(utf8("4"), payload(ProtocolVersion.V4, true, Out.text(MESSAGE, null)));
        assertArrayEquals(utf8("b3q2+7w=="), payload(ProtocolVersion.V4, true, Out.bin(hex("deadbeef"))));
        assertArrayEquals(utf8("6\u001e1"), payload(ProtocolVersion.V4, true, Out.text(NOOP, null), Out.text(CLOSE, null)));
        assertArrayEquals(utf8("4buffered-before-close"), payload(ProtocolVersion.V4, true, Out.text(MESSAGE, "buffered-before-close")));
        assertArrayEquals(utf8("2"), payload(ProtocolVersion.V4, true, Out.text(PacketType.PING, null)));
        assertArrayEquals(new byte[0], payload(ProtocolVersion.V4, true));
    }

    @Test
    void v4WebSocketFrames() {
        assertArrayEquals(utf8("4hello"), encode(dst -> PacketEncoder.writeTextPacket(MESSAGE, "hello", dst), PacketEncoder.measureTextPacket(MESSAGE, "hello")));
        assertArrayEquals(utf8("3probe"), encode(dst -> PacketEncoder.writeTextPacket(PONG, "probe", dst), PacketEncoder.measureTextPacket(PONG, "probe")));
        ByteBuffer data = ByteBuffer.wrap(hex("ff010203")).position(1);
        assertArrayEquals(hex("010203"), encode(dst -> PacketEncoder.writeBinaryFrame(ProtocolVersion.V4, MESSAGE, data, dst),
                PacketEncoder.measureBinaryFrame(ProtocolVersion.V4, data)));
        assertEquals(1, data.position(), "source not moved");
        ByteBuffer nine = ByteBuffer.wrap(hex("090807"));
        assertArrayEquals(utf8("bCQgH"), encode(dst -> PacketEncoder.writeBase64Packet(ProtocolVersion.V4, MESSAGE, nine, dst),
                PacketEncoder.measureBase64Packet(ProtocolVersion.V4, nine)));
    }

    @Test
    void v3TextPayloads() {
        byte[] handshake = payload(ProtocolVersion.V3, true, Out.text(OPEN, open("KA31VoeoDQGXTrAJAAAr", WS, 25000, 20000, 1000000)));
        assertArrayEquals(utf8("118:0{\"sid\":\"KA31VoeoDQGXTrAJAAAr\",\"upgrades\":[\"websocket\"],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}"), handshake);
        assertEquals(122, handshake.length);
        assertArrayEquals(utf8("6:4hello2:4é"), payload(ProtocolVersion.V3, true, Out.text(MESSAGE, "hello"), Out.text(MESSAGE, "é")));
        assertArrayEquals(utf8("6:4héllo"), payload(ProtocolVersion.V3, true, Out.text(MESSAGE, "héllo")));
        assertArrayEquals(utf8("3:4😀"), payload(ProtocolVersion.V3, true, Out.text(MESSAGE, "😀")));
        assertArrayEquals(utf8("1:3"), payload(ProtocolVersion.V3, true, Out.text(PONG, null)));
        assertArrayEquals(utf8("1:1"), payload(ProtocolVersion.V3, true, Out.text(CLOSE, null)));
        assertArrayEquals(utf8("1:6"), payload(ProtocolVersion.V3, true, Out.text(NOOP, null)));
        assertArrayEquals(utf8("8:4multi-18:4multi-2"), payload(ProtocolVersion.V3, false, Out.text(MESSAGE, "multi-1"), Out.text(MESSAGE, "multi-2")));
        assertArrayEquals(utf8("6:b4AQID"), payload(ProtocolVersion.V3, false, Out.bin(hex("010203"))), "b64=1: binary as base64 text");
        assertArrayEquals(utf8("0:"), payload(ProtocolVersion.V3, false), "empty batch");
    }

    @Test
    void v3BinaryPayloads() {
        assertArrayEquals(hex("0104ff04010203"), payload(ProtocolVersion.V3, true, Out.bin(hex("010203"))));
        assertArrayEquals(hex("0001ff330104ff04010203"), payload(ProtocolVersion.V3, true, Out.text(PONG, null), Out.bin(hex("010203"))));
        ListBatch big = new ListBatch(List.of(Out.text(MESSAGE, "é".repeat(600)), Out.bin(new byte[99])), false);
        assertTrue(PacketEncoder.isBinaryPayload(ProtocolVersion.V3, true, big));
        assertFalse(PacketEncoder.isBinaryPayload(ProtocolVersion.V3, false, big));
        assertFalse(PacketEncoder.isBinaryPayload(ProtocolVersion.V4, true, big));
        byte[] b = encode(dst -> PacketEncoder.writeV3BinaryPayload(big, dst), PacketEncoder.measureV3BinaryPayload(big));
        assertArrayEquals(hex("0001020001ff34"), Arrays.copyOf(b, 7), "length 1201 bytes, digits as byte values");
        assertArrayEquals(hex("01010000ff04"), Arrays.copyOfRange(b, 6 + 1201, 6 + 1201 + 6), "type + 99 bytes = 100");
        assertEquals(6 + 1201 + 6 + 99, b.length);
        assertArrayEquals(new byte[0], encode(dst -> PacketEncoder.writeV3BinaryPayload(new ListBatch(), dst), 0));
    }

    @Test
    void v3WebSocketFrames() {
        ByteBuffer data = ByteBuffer.wrap(hex("010203"));
        assertArrayEquals(hex("04010203"), encode(dst -> PacketEncoder.writeBinaryFrame(ProtocolVersion.V3, MESSAGE, data, dst),
                PacketEncoder.measureBinaryFrame(ProtocolVersion.V3, data)));
        assertArrayEquals(utf8("b4AQID"), encode(dst -> PacketEncoder.writeBase64Packet(ProtocolVersion.V3, MESSAGE, data, dst),
                PacketEncoder.measureBase64Packet(ProtocolVersion.V3, data)));
        assertArrayEquals(utf8("4hi"), encode(dst -> PacketEncoder.writeTextPacket(MESSAGE, "hi", dst), PacketEncoder.measureTextPacket(MESSAGE, "hi")));
    }

    @Test
    void loneSurrogatesBecomeReplacementBytesAndKeepTheirV3Length() {
        String lone = "a\ud800b\udc00";
        assertArrayEquals(hex("3461efbfbd62efbfbd"), encode(dst -> PacketEncoder.writeTextPacket(MESSAGE, lone, dst), PacketEncoder.measureTextPacket(MESSAGE, lone)));
        assertArrayEquals(Fixtures.concatBytes(utf8("5:"), hex("3461efbfbd62efbfbd")), payload(ProtocolVersion.V3, false, Out.text(MESSAGE, lone)));
        byte[] binaryPayload = payload(ProtocolVersion.V3, true, Out.text(MESSAGE, lone), Out.bin(new byte[0]));
        assertArrayEquals(Fixtures.concatBytes(hex("0009ff"), hex("3461efbfbd62efbfbd0101ff04")), binaryPayload, "binary payload counts bytes");
        // a high surrogate at the very end
        assertArrayEquals(hex("34efbfbd"), encode(dst -> PacketEncoder.writeTextPacket(MESSAGE, "\ud83d", dst), PacketEncoder.measureTextPacket(MESSAGE, "\ud83d")));
    }

    @Test
    void standardErrorBodies() {
        String[] expected = {
            "{\"code\":0,\"message\":\"Transport unknown\"}",
            "{\"code\":1,\"message\":\"Session ID unknown\"}",
            "{\"code\":2,\"message\":\"Bad handshake method\"}",
            "{\"code\":3,\"message\":\"Bad request\"}",
            "{\"code\":4,\"message\":\"Forbidden\"}",
            "{\"code\":5,\"message\":\"Unsupported protocol version\"}"};
        for (EngineError e : EngineError.values()) {
            assertArrayEquals(utf8(expected[e.code()]), encode(e::writeBody, e.bodyLength()), e.name());
            assertEquals(e == EngineError.FORBIDDEN ? 403 : 400, e.httpStatus());
        }
        assertEquals("Unsupported protocol version", EngineError.UNSUPPORTED_PROTOCOL_VERSION.message());
    }

    @Test
    void customErrorMessagesAreJsonEscaped() {
        BiFunction<Integer, String, byte[]> body = (code, msg) -> encode(dst -> PacketEncoder.writeErrorBody(code, msg, dst), PacketEncoder.measureErrorBody(code, msg));
        assertArrayEquals(utf8("{\"code\":4,\"message\":\"custom reject reason\"}"), body.apply(4, "custom reject reason"));
        // as node JSON.stringify: short escapes, other controls as 6-char escapes, DEL raw, lone surrogates escaped, rest UTF-8
        String msg = "q\"b\\n\n\t\r\b\f\u0001\u001f\u007f?é😀\udc00\ud800€";
        assertArrayEquals(utf8("{\"code\":4,\"message\":\"q\\\"b\\\\n\\n\\t\\r\\b\\f\\u0001\\u001f\u007f?é😀\\udc00\\ud800€\"}"),
                body.apply(4, msg));
    }

    @Test
    void jsonStringsAreEscapedLikeJsonStringify() {
        Function<String, byte[]> q = s -> encode(dst -> PacketEncoder.writeJsonString(s, dst), PacketEncoder.measureJsonString(s));
        assertArrayEquals(utf8("\"plain\""), q.apply("plain"));
        assertArrayEquals(utf8("\"a\\\"b\\\\c\""), q.apply("a\"b\\c"));
        assertArrayEquals(utf8("\"\\b\\f\\n\\r\\t\""), q.apply("\b\f\n\r\t"));
        assertArrayEquals(utf8("\"\\u0000\\u001f\\u001e\""), q.apply("\u0000\u001f\u001e"));
        assertArrayEquals(utf8("\"\u007f\u2028é😀\""), q.apply("\u007f\u2028é😀")); // JSON.stringify leaves these alone
        assertArrayEquals(utf8("\"\\ud800x\\udc00\""), q.apply("\ud800x\udc00")); // lone surrogates
    }

    @Test
    void tooSmallDestinationIsApiMisuse() {
        ByteBuffer dst = ByteBuffer.allocate(3);
        assertThrows(IndexOutOfBoundsException.class, () -> PacketEncoder.writeTextPacket(MESSAGE, "hello", dst));
    }
}
