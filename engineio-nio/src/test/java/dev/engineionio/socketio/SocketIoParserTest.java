package dev.engineionio.socketio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.engineionio.socketio.SocketIoParser.DecodeError;
import dev.engineionio.socketio.SocketIoParser.Decoder;
import dev.engineionio.socketio.SocketIoParser.Encoded;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link SocketIoParser}: the wire forms of socket.io-parser 4.2, binary placeholders, and every refusal. */
class SocketIoParserTest {

    private static SocketIoPacket p(PacketType t, String nsp, long id, Object data) {
        return new SocketIoPacket(t, nsp, id, data);
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void encodesEachTypeAsTheReference() {
        long none = SocketIoPacket.NO_ID;
        assertEquals("0{\"sid\":\"abc\"}", SocketIoParser.encode(p(PacketType.CONNECT, "/", none,
                map("sid", "abc"))).text());
        assertEquals("0/chat,{\"sid\":\"abc\"}", SocketIoParser.encode(p(PacketType.CONNECT, "/chat", none,
                map("sid", "abc"))).text());
        assertEquals("0", SocketIoParser.encode(p(PacketType.CONNECT, "/", none, null)).text());
        assertEquals("1/chat,", SocketIoParser.encode(p(PacketType.DISCONNECT, "/chat", none, null)).text());
        assertEquals("1", SocketIoParser.encode(p(PacketType.DISCONNECT, "/", none, null)).text());
        assertEquals("2[\"hello\",1,{\"a\":[true,null]}]", SocketIoParser.encode(p(PacketType.EVENT, "/", none,
                List.of("hello", 1, map("a", java.util.Arrays.asList(true, null))))).text());
        assertEquals("2/chat,12[\"hello\"]", SocketIoParser.encode(p(PacketType.EVENT, "/chat", 12,
                List.of("hello"))).text());
        assertEquals("30[]", SocketIoParser.encode(p(PacketType.ACK, "/", 0, List.of())).text());
        assertEquals("4{\"message\":\"no\",\"data\":{\"code\":1}}", SocketIoParser.encode(p(PacketType.CONNECT_ERROR,
                "/", none, map("message", "no", "data", map("code", 1)))).text());
    }

    @Test
    void binaryDataBecomesPlaceholdersInDocumentOrder() {
        byte[] a = {1};
        byte[] b = {2, 2};
        byte[] c = {};
        Encoded e = SocketIoParser.encode(p(PacketType.EVENT, "/chat", 7,
                List.of("up", a, map("x", List.of(b, map("y", c))))));
        assertEquals("53-/chat,7[\"up\",{\"_placeholder\":true,\"num\":0},{\"x\":[{\"_placeholder\":true,\"num\":1},"
                + "{\"y\":{\"_placeholder\":true,\"num\":2}}]}]", e.text());
        assertEquals(3, e.attachments().size());
        assertSame(a, e.attachments().get(0));
        assertSame(b, e.attachments().get(1));
        assertSame(c, e.attachments().get(2));
        Encoded ack = SocketIoParser.encode(p(PacketType.ACK, "/", 3, List.of(a)));
        assertEquals("61-3[{\"_placeholder\":true,\"num\":0}]", ack.text());
    }

    @Test
    void decodesEachType() {
        Decoder d = new Decoder();
        assertEquals(Decoder.COMPLETE, d.text("0"));
        assertEquals(p(PacketType.CONNECT, "/", -1, null), d.packet());
        assertEquals(Decoder.COMPLETE, d.text("0/admin,{\"token\":\"x\"}"));
        assertEquals(p(PacketType.CONNECT, "/admin", -1, map("token", "x")), d.packet());
        assertEquals(Decoder.COMPLETE, d.text("1/admin,"));
        assertEquals(p(PacketType.DISCONNECT, "/admin", -1, null), d.packet());
        assertEquals(Decoder.COMPLETE, d.text("2/admin,456[\"ev\",1.5]"));
        assertEquals(p(PacketType.EVENT, "/admin", 456, List.of("ev", 1.5)), d.packet());
        assertEquals(Decoder.COMPLETE, d.text("2[7,\"numeric name\"]"));
        assertEquals(List.of(7L, "numeric name"), d.packet().args());
        assertEquals(Decoder.COMPLETE, d.text("3/admin,456[]"));
        assertEquals(p(PacketType.ACK, "/admin", 456, List.of()), d.packet());
        assertEquals(Decoder.COMPLETE, d.text("2"));
        assertEquals(p(PacketType.EVENT, "/", -1, null), d.packet());
        assertEquals(Decoder.COMPLETE, d.text(""));
        assertEquals(p(PacketType.CONNECT, "/", -1, null), d.packet()); // Number("") is 0 in the reference
        assertEquals(Decoder.COMPLETE, d.text("0/nsp-without-comma"));
        assertEquals("/nsp-without-comma", d.packet().nsp());
    }

    @Test
    void binaryPacketCompletesWithItsLastAttachment() {
        Decoder d = new Decoder();
        assertEquals(Decoder.NEED_ATTACHMENT, d.text("52-/x,9[\"up\",{\"_placeholder\":true,\"num\":1},"
                + "{\"deep\":[{\"_placeholder\":true,\"num\":0}]}]"));
        byte[] first = {9};
        byte[] second = {8, 8};
        assertEquals(Decoder.NEED_ATTACHMENT, d.binary(first));
        assertEquals(Decoder.COMPLETE, d.binary(second));
        SocketIoPacket pk = d.packet();
        assertEquals(PacketType.EVENT, pk.type());
        assertEquals("/x", pk.nsp());
        assertEquals(9, pk.id());
        assertEquals("up", pk.args().get(0));
        assertSame(second, pk.args().get(1));
        assertSame(first, ((List<?>) ((Map<?, ?>) pk.args().get(2)).get("deep")).get(0));
        assertEquals(Decoder.NEED_ATTACHMENT, d.text("61-[{\"_placeholder\":true,\"num\":0}]"));
        assertEquals(Decoder.COMPLETE, d.binary(first));
        assertEquals(PacketType.ACK, d.packet().type());
        // a placeholder-shaped object that is not one stays an object
        assertEquals(Decoder.NEED_ATTACHMENT, d.text("51-[\"e\",{\"_placeholder\":false,\"num\":0},"
                + "{\"_placeholder\":true,\"num\":0}]"));
        assertEquals(Decoder.COMPLETE, d.binary(first));
        assertEquals(map("_placeholder", false, "num", 0L), d.packet().args().get(1));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "7|UNKNOWN_PACKET_TYPE", "a|UNKNOWN_PACKET_TYPE", "-1|UNKNOWN_PACKET_TYPE",
        "5|ILLEGAL_ATTACHMENTS", "5-|ILLEGAL_ATTACHMENTS", "50-[\"a\"]|ILLEGAL_ATTACHMENTS",
        "5x-[\"a\"]|ILLEGAL_ATTACHMENTS", "51[\"a\"]|ILLEGAL_ATTACHMENTS", "5 1-[\"a\"]|ILLEGAL_ATTACHMENTS",
        "511-[\"a\"]|TOO_MANY_ATTACHMENTS", "51234567890-[\"a\"]|ILLEGAL_ATTACHMENTS",
        "21234567890123456[\"a\"]|INVALID_ACK_ID",
        "2{}|INVALID_PAYLOAD", "2[]|INVALID_PAYLOAD", "2[{}]|INVALID_PAYLOAD", "2[null]|INVALID_PAYLOAD",
        "2[\"a\"|INVALID_PAYLOAD", "2[\"connect\"]|INVALID_PAYLOAD", "2[\"disconnecting\"]|INVALID_PAYLOAD",
        "2[\"newListener\"]|INVALID_PAYLOAD", "0[]|INVALID_PAYLOAD", "0\"x\"|INVALID_PAYLOAD", "1{}|INVALID_PAYLOAD",
        "3{}|INVALID_PAYLOAD", "4[]|INVALID_PAYLOAD", "2/chat,x|INVALID_PAYLOAD",
        "51-[\"a\",{\"_placeholder\":true,\"num\":1}]|ILLEGAL_PLACEHOLDER",
        "51-[\"a\",{\"_placeholder\":true,\"num\":-1}]|ILLEGAL_PLACEHOLDER",
        "51-[\"a\",{\"_placeholder\":true,\"num\":0.5}]|ILLEGAL_PLACEHOLDER",
        "51-[\"a\",{\"_placeholder\":true,\"num\":\"0\"}]|ILLEGAL_PLACEHOLDER",
        "51-[\"a\",{\"_placeholder\":true}]|ILLEGAL_PLACEHOLDER",
    })
    void refusesAsTheReference(String input, DecodeError error) {
        Decoder d = new Decoder();
        int status = d.text(input);
        if (status == Decoder.NEED_ATTACHMENT) {
            status = d.binary(new byte[] {1});
        }
        assertEquals(Decoder.ERROR, status, input);
        assertEquals(error, d.error());
        // failed for good
        assertEquals(Decoder.ERROR, d.text("2[\"ok\"]"));
        assertEquals(Decoder.ERROR, d.binary(new byte[0]));
    }

    @Test
    void refusesMessagesOutOfOrder() {
        Decoder d = new Decoder();
        assertEquals(Decoder.ERROR, d.binary(new byte[] {1}));
        assertEquals(DecodeError.BINARY_WHILE_NOT_RECONSTRUCTING, d.error());
        Decoder d2 = new Decoder();
        assertEquals(Decoder.NEED_ATTACHMENT, d2.text("52-[\"a\",{\"_placeholder\":true,\"num\":0}]"));
        assertEquals(Decoder.NEED_ATTACHMENT, d2.binary(new byte[] {1}));
        assertEquals(Decoder.ERROR, d2.text("2[\"b\"]"));
        assertEquals(DecodeError.TEXT_WHILE_RECONSTRUCTING, d2.error());
        assertEquals("got plaintext data when reconstructing a packet", d2.error().message());
    }

    @Test
    void attachmentLimitAcceptsItsEdgeAndRefusesOneMore() {
        Decoder d = new Decoder(3, 10);
        assertEquals(Decoder.NEED_ATTACHMENT, d.text("53-[\"a\"]"));
        assertNull(d.error());
        assertEquals(Decoder.ERROR, new Decoder(3, 10).text("54-[\"a\"]"));
        assertEquals(Decoder.NEED_ATTACHMENT, new Decoder().text("510-[\"a\"]"));
        Decoder dflt = new Decoder();
        assertEquals(Decoder.ERROR, dflt.text("511-[\"a\"]"));
        assertEquals(DecodeError.TOO_MANY_ATTACHMENTS, dflt.error());
    }

    @Test
    void payloadDepthLimitAppliesToPackets() {
        Decoder d = new Decoder(10, 3);
        assertEquals(Decoder.COMPLETE, d.text("2[\"a\",[[]]]"));
        assertEquals(Decoder.ERROR, d.text("2[\"a\",[[[]]]]"));
        assertEquals(DecodeError.INVALID_PAYLOAD, d.error());
    }

    @Test
    void seededPacketsRoundTrip() {
        Random r = new Random(7);
        PacketType[] types = {PacketType.EVENT, PacketType.ACK};
        for (int i = 0; i < 2_000; i++) {
            List<Object> data = new ArrayList<>();
            PacketType t = types[r.nextInt(2)];
            if (t == PacketType.EVENT) {
                data.add("ev" + r.nextInt(5));
            }
            for (int k = r.nextInt(4); k > 0; k--) {
                data.add(r.nextBoolean() ? (Object) ("s" + r.nextInt()) : new byte[r.nextInt(4)]);
            }
            if (r.nextBoolean()) {
                data.add(map("nested", r.nextBoolean() ? new byte[] {(byte) i} : (Object) (long) i));
            }
            String nsp = r.nextBoolean() ? "/" : "/n" + r.nextInt(3);
            long id = r.nextBoolean() ? SocketIoPacket.NO_ID : r.nextInt(1000);
            Encoded e = SocketIoParser.encode(p(t, nsp, id, data));
            Decoder d = new Decoder();
            int status = d.text(e.text());
            for (byte[] b : e.attachments()) {
                assertEquals(Decoder.NEED_ATTACHMENT, status, e.text());
                status = d.binary(b);
            }
            assertEquals(Decoder.COMPLETE, status, e.text());
            SocketIoPacket back = d.packet();
            assertEquals(t, back.type());
            assertEquals(nsp, back.nsp());
            assertEquals(id, back.id());
            assertEquals(data.size(), back.args().size());
            for (int k = 0; k < data.size(); k++) {
                Object want = data.get(k);
                Object got = back.args().get(k);
                if (want instanceof byte[]) {
                    assertArrayEquals((byte[]) want, (byte[]) got);
                } else if (!(want instanceof Map)) {
                    assertEquals(want, got);
                }
            }
        }
    }
}
