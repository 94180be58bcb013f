package dev.engineionio.protocol;

import static dev.engineionio.protocol.Fixtures.bin;
import static dev.engineionio.protocol.Fixtures.hex;
import static dev.engineionio.protocol.Fixtures.text;
import static dev.engineionio.protocol.Fixtures.utf8;
import static dev.engineionio.protocol.PacketType.CLOSE;
import static dev.engineionio.protocol.PacketType.MESSAGE;
import static dev.engineionio.protocol.PacketType.PING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every decoding example of the wire transcripts (engine.io 6.6.12), plus the malformed inputs, as data: raw input
 * beside the expected packets and status. Each case runs over heap, sliced-heap and direct buffers whose limit is
 * the input's end, and every truncation of each input is decoded without an exception.
 */
class PayloadDecoderTest {

    enum Format { V4, V3_TEXT, V3_BINARY, WS_TEXT_V4, WS_TEXT_V3, WS_BIN_V4, WS_BIN_V3, JSONP_V4, JSONP_V3 }

    record Case(String name, Format format, byte[] input, DecodeStatus status, List<String> packets) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case ok(String name, Format f, byte[] in, String... packets) {
        return new Case(name, f, in, DecodeStatus.OK, List.of(packets));
    }

    static Case err(String name, Format f, byte[] in, DecodeStatus s, String... packetsBefore) {
        return new Case(name, f, in, s, List.of(packetsBefore));
    }

    static DecodeStatus decode(Format f, PayloadDecoder d, ByteBuffer in, PacketHandler h) {
        switch (f) {
            case V4: return d.decodePolling(ProtocolVersion.V4, false, in, h);
            case V3_TEXT: return d.decodePolling(ProtocolVersion.V3, false, in, h);
            case V3_BINARY: return d.decodePolling(ProtocolVersion.V3, true, in, h);
            case WS_TEXT_V4: return d.decodeTextFrame(ProtocolVersion.V4, in, h);
            case WS_TEXT_V3: return d.decodeTextFrame(ProtocolVersion.V3, in, h);
            case WS_BIN_V4: return d.decodeBinaryFrame(ProtocolVersion.V4, in, h);
            case WS_BIN_V3: return d.decodeBinaryFrame(ProtocolVersion.V3, in, h);
            case JSONP_V4: return d.decodeJsonpForm(ProtocolVersion.V4, in, h);
            case JSONP_V3: return d.decodeJsonpForm(ProtocolVersion.V3, in, h);
            default: throw new AssertionError(f);
        }
    }

    static byte[] digitsThenFf(int flag, int digits) {
        byte[] b = new byte[digits + 3];
        b[0] = (byte) flag;
        for (int i = 1; i <= digits; i++) {
            b[i] = 0; // leading zeros: the value stays 1 after the last digit
        }
        b[digits] = 1;
        b[digits + 1] = (byte) 0xFF;
        b[digits + 2] = '2';
        return b;
    }

    static Stream<Case> cases() {
        return Stream.of(
                // --- v4 polling (transcripts section 3)
                ok("v4 one text packet", Format.V4, utf8("4hello"), text(MESSAGE, "hello")),
                ok("v4 text + base64 binary + non-ASCII", Format.V4, utf8("4hello\u001ebAQIDBA==\u001e4é€😀"),
                        text(MESSAGE, "hello"), bin(MESSAGE, "01020304"), text(MESSAGE, "é€😀")),
                ok("v4 b!!! is an empty binary message (lenient base64)", Format.V4, utf8("b!!!"), bin(MESSAGE, "")),
                ok("v4 message without data", Format.V4, utf8("4"), text(MESSAGE, "")),
                ok("v4 server Buffer as base64", Format.V4, utf8("b3q2+7w=="), bin(MESSAGE, "deadbeef")),
                ok("v4 noop then close", Format.V4, utf8("6\u001e1"), text(PacketType.NOOP, ""), text(CLOSE, "")),
                ok("v4 close in the middle is delivered, the session stops", Format.V4, utf8("4a\u001e1\u001e4b"),
                        text(MESSAGE, "a"), text(CLOSE, ""), text(MESSAGE, "b")),
                ok("v4 b alone is an empty binary message", Format.V4, utf8("b"), bin(MESSAGE, "")),
                ok("v4 invalid UTF-8 passes, replaced in the String", Format.V4, hex("34ff"), text(MESSAGE, "\ufffd")),
                err("v4 empty POST body", Format.V4, new byte[0], DecodeStatus.EMPTY_PACKET),
                err("v4 invalid type abc", Format.V4, utf8("abc"), DecodeStatus.BAD_PACKET_TYPE),
                err("v4 second packet invalid", Format.V4, utf8("4a\u001exyz\u001e4b"), DecodeStatus.BAD_PACKET_TYPE, text(MESSAGE, "a")),
                err("v4 trailing separator", Format.V4, utf8("4a\u001e"), DecodeStatus.EMPTY_PACKET, text(MESSAGE, "a")),
                err("v4 leading separator", Format.V4, utf8("\u001e4a"), DecodeStatus.EMPTY_PACKET),
                err("v4 control byte as type", Format.V4, hex("040102"), DecodeStatus.BAD_PACKET_TYPE),
                // --- v4 WebSocket (section 6)
                ok("v4 ws text", Format.WS_TEXT_V4, utf8("4hello"), text(MESSAGE, "hello")),
                ok("v4 ws base64 text frame is binary", Format.WS_TEXT_V4, utf8("bAQID"), bin(MESSAGE, "010203")),
                ok("v4 ws b64=1 echo", Format.WS_TEXT_V4, utf8("bCQgH"), bin(MESSAGE, "090807")),
                ok("v4 ws empty message", Format.WS_TEXT_V4, utf8("4"), text(MESSAGE, "")),
                ok("v4 ws pong", Format.WS_TEXT_V4, utf8("3"), text(PacketType.PONG, "")),
                ok("v4 ws probe", Format.WS_TEXT_V4, utf8("2probe"), text(PING, "probe")),
                ok("v4 ws binary frame is raw", Format.WS_BIN_V4, hex("010203"), bin(MESSAGE, "010203")),
                ok("v4 ws empty binary frame", Format.WS_BIN_V4, new byte[0], bin(MESSAGE, "")),
                err("v4 ws invalid packet abc", Format.WS_TEXT_V4, utf8("abc"), DecodeStatus.BAD_PACKET_TYPE),
                err("v4 ws empty text frame", Format.WS_TEXT_V4, new byte[0], DecodeStatus.EMPTY_PACKET),
                // --- v3 text payloads (section 8)
                ok("v3 two packets, lengths in UTF-16 units", Format.V3_TEXT, utf8("6:4hello2:4é"), text(MESSAGE, "hello"), text(MESSAGE, "é")),
                ok("v3 base64 binary in text payload", Format.V3_TEXT, utf8("6:b4AQID"), bin(MESSAGE, "010203")),
                ok("v3 non-ASCII", Format.V3_TEXT, utf8("6:4héllo"), text(MESSAGE, "héllo")),
                ok("v3 astral char counts two units", Format.V3_TEXT, utf8("3:4😀"), text(MESSAGE, "😀")),
                ok("v3 ping with data", Format.V3_TEXT, utf8("2:2x"), text(PING, "x")),
                ok("v3 two messages", Format.V3_TEXT, utf8("8:4multi-18:4multi-2"), text(MESSAGE, "multi-1"), text(MESSAGE, "multi-2")),
                ok("v3 handshake payload", Format.V3_TEXT, utf8("1:6"), text(PacketType.NOOP, "")),
                ok("v3 empty packet 0: is skipped", Format.V3_TEXT, utf8("0:1:3"), text(PacketType.PONG, "")),
                ok("v3 leading zeros in a length", Format.V3_TEXT, utf8("002:4a"), text(MESSAGE, "a")),
                ok("v3 invalid byte is one unit (WHATWG replacement)", Format.V3_TEXT, hex("323a34ff"), text(MESSAGE, "\ufffd")),
                ok("v3 truncated sequence is one unit", Format.V3_TEXT, hex("323a34e282"), text(MESSAGE, "\ufffd")),
                ok("v3 encoded surrogate is three units", Format.V3_TEXT, hex("343a34eda080"), text(MESSAGE, "\ufffd\ufffd\ufffd")),
                ok("v3 replacement stops before a valid byte", Format.V3_TEXT, hex("333a34c328"), text(MESSAGE, "\ufffd(")),
                ok("v3 b with bad type is ignored", Format.V3_TEXT, utf8("6:b9AQID1:3"), text(PacketType.PONG, "")),
                ok("v3 b alone is ignored", Format.V3_TEXT, utf8("1:b"), new String[0]),
                err("v3 length past the end", Format.V3_TEXT, utf8("9:4hi"), DecodeStatus.LENGTH_MISMATCH),
                err("v3 empty body", Format.V3_TEXT, new byte[0], DecodeStatus.EMPTY_PACKET),
                err("v3 non-digit length", Format.V3_TEXT, utf8("a:4x"), DecodeStatus.BAD_LENGTH),
                err("v3 empty length", Format.V3_TEXT, utf8(":4x"), DecodeStatus.BAD_LENGTH),
                err("v3 no colon", Format.V3_TEXT, utf8("4hi"), DecodeStatus.BAD_LENGTH),
                err("v3 trailing garbage after a packet", Format.V3_TEXT, utf8("2:4a5"), DecodeStatus.BAD_LENGTH, text(MESSAGE, "a")),
                err("v3 bad type", Format.V3_TEXT, utf8("2:9a"), DecodeStatus.BAD_PACKET_TYPE),
                err("v3 second packet too long", Format.V3_TEXT, utf8("2:4a5:4b"), DecodeStatus.LENGTH_MISMATCH, text(MESSAGE, "a")),
                err("v3 length splits a surrogate pair", Format.V3_TEXT, utf8("2:4😀"), DecodeStatus.SPLIT_SURROGATE_PAIR),
                err("v3 huge length", Format.V3_TEXT, utf8("99999999999999999999999:4a"), DecodeStatus.LENGTH_MISMATCH),
                // --- v3 binary payloads
                ok("v3 binary payload echo of [1,2,3]", Format.V3_BINARY, hex("0104ff04010203"), bin(MESSAGE, "010203")),
                ok("v3 binary payload ping + binary", Format.V3_BINARY, hex("0001ff320104ff04010203"), text(PING, ""), bin(MESSAGE, "010203")),
                ok("v3 binary payload pong + binary", Format.V3_BINARY, hex("0001ff330104ff04010203"), text(PacketType.PONG, ""), bin(MESSAGE, "010203")),
                ok("v3 empty binary payload holds no packet", Format.V3_BINARY, new byte[0]),
                ok("v3 binary payload, two-digit length", Format.V3_BINARY, concat(hex("000102ff"), utf8("4hello world")), text(MESSAGE, "hello world")),
                ok("v3 binary payload non-zero flag is binary", Format.V3_BINARY, hex("0702ff0409"), bin(MESSAGE, "09")),
                ok("v3 binary payload string b-packet is base64", Format.V3_BINARY, concat(hex("0006ff"), utf8("b4AQID")), bin(MESSAGE, "010203")),
                ok("v3 binary payload encoded surrogate tolerated", Format.V3_BINARY, hex("0004ff34eda080"), text(MESSAGE, "\ufffd\ufffd\ufffd")),
                ok("v3 binary payload binary type 9 ignored", Format.V3_BINARY, hex("0102ff09010001ff33"), text(PacketType.PONG, "")),
                ok("v3 binary payload 311 length digits", Format.V3_BINARY, digitsThenFf(0, 311), text(PING, "")),
                err("v3 binary payload 312 length digits", Format.V3_BINARY, digitsThenFf(0, 312), DecodeStatus.TOO_MANY_LENGTH_DIGITS),
                err("v3 binary payload invalid UTF-8", Format.V3_BINARY, hex("0003ff34c328"), DecodeStatus.INVALID_UTF8),
                err("v3 binary payload length past the end", Format.V3_BINARY, hex("0104ff040102"), DecodeStatus.LENGTH_MISMATCH),
                err("v3 binary payload missing 0xFF", Format.V3_BINARY, hex("0104"), DecodeStatus.BAD_LENGTH),
                err("v3 binary payload empty length", Format.V3_BINARY, hex("00ff34"), DecodeStatus.BAD_LENGTH),
                err("v3 binary payload digit byte above 9", Format.V3_BINARY, hex("000aff34"), DecodeStatus.BAD_LENGTH),
                err("v3 binary payload framing checked before delivery", Format.V3_BINARY, hex("0001ff3301"), DecodeStatus.BAD_LENGTH),
                err("v3 binary payload empty string packet", Format.V3_BINARY, hex("0000ff"), DecodeStatus.EMPTY_PACKET),
                err("v3 binary payload bad string type", Format.V3_BINARY, hex("0001ff39"), DecodeStatus.BAD_PACKET_TYPE),
                // --- v3 WebSocket
                ok("v3 ws text", Format.WS_TEXT_V3, utf8("4hi"), text(MESSAGE, "hi")),
                ok("v3 ws base64 text frame", Format.WS_TEXT_V3, utf8("b4AQID"), bin(MESSAGE, "010203")),
                ok("v3 ws binary frame with type byte", Format.WS_BIN_V3, hex("04010203"), bin(MESSAGE, "010203")),
                ok("v3 ws empty binary frame ignored", Format.WS_BIN_V3, new byte[0]),
                ok("v3 ws binary type 7 ignored", Format.WS_BIN_V3, hex("0701")),
                err("v3 ws empty text frame", Format.WS_TEXT_V3, new byte[0], DecodeStatus.EMPTY_PACKET),
                // --- JSONP POST (section 5)
                ok("jsonp v4 form with newline rules", Format.JSONP_V4,
                        utf8("d=4line1%5Cnline2%20%5C%5Cn%20literal%1E4%3C%2Fscript%3E%E2%80%A8"),
                        text(MESSAGE, "line1\nline2 \\n literal"), text(MESSAGE, "</script>\u2028")),
                ok("jsonp v3 form", Format.JSONP_V3, utf8("d=6%3A4hello"), text(MESSAGE, "hello")),
                ok("jsonp plus is a space, bad percent kept", Format.JSONP_V4, utf8("x=1&d=4a+b%zz%4"), text(MESSAGE, "a b%zz%4")),
                ok("jsonp encoded key", Format.JSONP_V4, utf8("%64=4a"), text(MESSAGE, "a")),
                ok("jsonp without d is ignored", Format.JSONP_V4, utf8("x=4a")),
                ok("jsonp with two d is ignored", Format.JSONP_V4, utf8("d=4a&d=4b")),
                err("jsonp empty d", Format.JSONP_V4, utf8("d="), DecodeStatus.EMPTY_PACKET));
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decodesOverEveryBufferShape(Case c) {
        for (ByteBuffer in : Fixtures.shapes(c.input())) {
            int pos = in.position();
            int lim = in.limit();
            PayloadDecoder d = new PayloadDecoder();
            Fixtures.Recorder r = new Fixtures.Recorder(d);
            DecodeStatus s = decode(c.format(), d, in, r);
            assertEquals(c.status(), s, c.name() + " " + in);
            assertEquals(c.packets(), r.events, c.name() + " " + in);
            assertEquals(c.packets().size(), d.packetCount());
            assertEquals(pos, in.position());
            assertEquals(lim, in.limit());
            if (s.isError() && c.format() != Format.JSONP_V3 && c.format() != Format.JSONP_V4) {
                assertTrue(d.errorOffset() >= pos && d.errorOffset() <= lim, "error offset " + d.errorOffset());
            } else if (!s.isError()) {
                assertEquals(-1, d.errorOffset());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyTruncationDecodesWithoutException(Case c) {
        PayloadDecoder d = new PayloadDecoder();
        for (int k = 0; k < c.input().length; k++) {
            for (ByteBuffer in : Fixtures.shapes(Arrays.copyOf(c.input(), k))) {
                Fixtures.Recorder r = new Fixtures.Recorder(d);
                DecodeStatus s = decode(c.format(), d, in, r);
                assertEquals(r.events.size(), d.packetCount());
                if (s.isError() && c.format() != Format.JSONP_V3 && c.format() != Format.JSONP_V4) {
                    assertTrue(d.errorOffset() >= in.position() && d.errorOffset() <= in.limit());
                }
            }
        }
    }

    @Test
    void v3BinaryPayloadCutInsideDataIsLengthMismatch() {
        byte[] full = hex("0001ff330104ff04010203");
        PayloadDecoder d = new PayloadDecoder();
        for (int k = 8; k < full.length; k++) {
            Fixtures.Recorder r = new Fixtures.Recorder(d);
            assertEquals(DecodeStatus.LENGTH_MISMATCH, d.decodeV3BinaryPayload(ByteBuffer.wrap(full, 0, k).slice(), r));
            assertEquals(List.of(), r.events, "framing is checked before any packet is delivered");
        }
    }

    @Test
    void handlerCanStopDecoding() {
        PayloadDecoder d = new PayloadDecoder();
        Fixtures.Recorder r = new Fixtures.Recorder(d);
        r.stopAfter = 2;
        assertEquals(DecodeStatus.STOPPED, d.decodeV4Payload(ByteBuffer.wrap(utf8("4a\u001e1\u001e4b")), r));
        assertEquals(List.of(text(MESSAGE, "a"), text(CLOSE, "")), r.events);
        assertEquals(-1, d.errorOffset());
    }

    @Test
    void maxPayloadIsInclusiveForEveryFormat() {
        PayloadDecoder d = new PayloadDecoder(10, false, false);
        byte[] ten = utf8("4123456789");
        byte[] eleven = utf8("41234567890");
        for (Format f : List.of(Format.V4, Format.WS_TEXT_V4, Format.WS_TEXT_V3, Format.WS_BIN_V4, Format.WS_BIN_V3)) {
            assertEquals(DecodeStatus.OK, decode(f, d, ByteBuffer.wrap(ten), new Fixtures.Recorder(d)), f.name());
            Fixtures.Recorder r = new Fixtures.Recorder(d);
            assertEquals(DecodeStatus.PAYLOAD_TOO_LARGE, decode(f, d, ByteBuffer.wrap(eleven), r), f.name());
            assertEquals(List.of(), r.events);
        }
        assertEquals(DecodeStatus.OK, d.decodeV3TextPayload(ByteBuffer.wrap(utf8("8:41234567")), new Fixtures.Recorder(d)));
        assertEquals(DecodeStatus.PAYLOAD_TOO_LARGE, d.decodeV3TextPayload(ByteBuffer.wrap(utf8("9:412345678")), new Fixtures.Recorder(d)));
        assertEquals(DecodeStatus.OK, d.decodeV3BinaryPayload(ByteBuffer.wrap(hex("0107ff04010203040506")), new Fixtures.Recorder(d)));
        assertEquals(DecodeStatus.PAYLOAD_TOO_LARGE, d.decodeV3BinaryPayload(ByteBuffer.wrap(hex("0108ff0401020304050607")), new Fixtures.Recorder(d)));
        assertEquals(DecodeStatus.PAYLOAD_TOO_LARGE, d.decodeJsonpForm(ProtocolVersion.V4, ByteBuffer.wrap(utf8("d=4a&x=1234")), new Fixtures.Recorder(d)));
        assertEquals(PayloadDecoder.DEFAULT_MAX_PAYLOAD, new PayloadDecoder().maxPayload());
    }

    @Test
    void v4OctetStreamIsRejectedWithItsOwnStatus() {
        PayloadDecoder d = new PayloadDecoder();
        DecodeStatus s = d.decodePolling(ProtocolVersion.V4, true, ByteBuffer.wrap(hex("040102")), new Fixtures.Recorder(d));
        assertEquals(DecodeStatus.BINARY_PAYLOAD_IN_V4, s);
        assertEquals(400, s.httpStatus());
        assertEquals("transport error", s.closeReason());
    }

    @Test
    void strictBase64RejectsWhatNodeAccepts() {
        PayloadDecoder strict = new PayloadDecoder(PayloadDecoder.DEFAULT_MAX_PAYLOAD, true, false);
        for (String bad : List.of("b!!!", "bAQI", "bAQ=D", "b-_-_", "bAQ==AQID")) {
            assertEquals(DecodeStatus.BAD_BASE64, strict.decodeV4Payload(ByteBuffer.wrap(utf8(bad)), new Fixtures.Recorder(strict)), bad);
        }
        Fixtures.Recorder r = new Fixtures.Recorder(strict);
        assertEquals(DecodeStatus.OK, strict.decodeV4Payload(ByteBuffer.wrap(utf8("bAQIDBA==\u001ebAQI=\u001eb")), r));
        assertEquals(List.of(bin(MESSAGE, "01020304"), bin(MESSAGE, "0102"), bin(MESSAGE, "")), r.events);
        assertEquals(DecodeStatus.BAD_BASE64, strict.decodeV3TextPayload(ByteBuffer.wrap(utf8("5:b4AQI")), new Fixtures.Recorder(strict)));
    }

    @Test
    void lenientBase64MatchesNodeBufferFrom() {
        // expectations printed by node 20: Buffer.from(s, "base64").toString("hex")
        String[][] cases = {{"!!!", ""}, {"AQID", "010203"}, {"AQI", "0102"}, {"AQ", "01"}, {"A", ""},
            {"AQ==AQID", "01"}, {"A Q I D", "010203"}, {"-_-_", "fbffbf"}, {"AQ=D", "01"}, {"AQIDB", "010203"},
            {"AQIDBA", "01020304"}, {"QUJD\nREVG", "414243444546"}, {"====", ""}, {"A=QID", ""}, {"éAQID", "010203"}};
        PayloadDecoder d = new PayloadDecoder();
        for (String[] c : cases) {
            Fixtures.Recorder r = new Fixtures.Recorder(d);
            assertEquals(DecodeStatus.OK, d.decodeTextFrame(ProtocolVersion.V4, ByteBuffer.wrap(utf8("b" + c[0])), r));
            assertEquals(List.of(bin(MESSAGE, c[1])), r.events, c[0]);
        }
    }

    @Test
    void strictUtf8RejectsMalformedText() {
        PayloadDecoder strict = new PayloadDecoder(PayloadDecoder.DEFAULT_MAX_PAYLOAD, false, true);
        for (String h : List.of("34ff", "34e282", "34eda080", "34c0af", "34f4908080")) {
            assertEquals(DecodeStatus.INVALID_UTF8, strict.decodeV4Payload(ByteBuffer.wrap(hex(h)), new Fixtures.Recorder(strict)), h);
            assertEquals(DecodeStatus.INVALID_UTF8, strict.decodeTextFrame(ProtocolVersion.V3, ByteBuffer.wrap(hex(h)), new Fixtures.Recorder(strict)), h);
            byte[] v3 = concat(utf8((hex(h).length) + ":"), hex(h));
            assertEquals(DecodeStatus.INVALID_UTF8, strict.decodeV3TextPayload(ByteBuffer.wrap(v3), new Fixtures.Recorder(strict)), h);
        }
        Fixtures.Recorder r = new Fixtures.Recorder(strict);
        assertEquals(DecodeStatus.OK, strict.decodeV3TextPayload(ByteBuffer.wrap(utf8("3:4😀2:4é")), r));
        assertEquals(List.of(text(MESSAGE, "😀"), text(MESSAGE, "é")), r.events);
    }

    @Test
    void binaryScratchGrowsAndIsReused() {
        PayloadDecoder d = new PayloadDecoder();
        byte[] data = new byte[3000];
        new java.util.Random(7).nextBytes(data);
        String b64 = java.util.Base64.getEncoder().encodeToString(data);
        ByteBuffer[] seen = new ByteBuffer[2];
        for (int i = 0; i < 2; i++) {
            int k = i;
            d.decodeV4Payload(ByteBuffer.wrap(utf8("b" + b64)), (type, binary, buf, off, len) -> {
                byte[] got = new byte[len];
                buf.get(off, got);
                assertTrue(Arrays.equals(data, got));
                seen[k] = buf;
                return true;
            });
        }
        assertTrue(seen[0] == seen[1], "the same view is handed out again");
    }

    @Test
    void stringOfDirectSpanCopiesThroughScratch() {
        PayloadDecoder d = new PayloadDecoder();
        ByteBuffer direct = ByteBuffer.allocateDirect(20);
        direct.put(utf8("xx4héllo"));
        assertEquals("héllo", d.string(direct, 3, 6));
        assertEquals("", d.string(direct, 3, 0));
    }

    @Test
    void statusesCarryTheirWireAnswers() {
        assertEquals(413, DecodeStatus.PAYLOAD_TOO_LARGE.httpStatus());
        assertEquals(1009, DecodeStatus.PAYLOAD_TOO_LARGE.webSocketCloseCode());
        for (DecodeStatus s : DecodeStatus.values()) {
            if (s == DecodeStatus.OK || s == DecodeStatus.STOPPED) {
                assertTrue(!s.isError() && s.closeReason() == null);
            } else if (s != DecodeStatus.PAYLOAD_TOO_LARGE && s != DecodeStatus.BINARY_PAYLOAD_IN_V4) {
                assertEquals("parse error", s.closeReason(), s.name());
                assertEquals(200, s.httpStatus());
            }
        }
    }
}
