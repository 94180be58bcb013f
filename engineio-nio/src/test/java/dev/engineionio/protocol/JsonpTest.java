package dev.engineionio.protocol;

import static dev.engineionio.protocol.Fixtures.utf8;
import static dev.engineionio.protocol.PacketType.MESSAGE;
import static dev.engineionio.protocol.PacketType.OPEN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.engineionio.protocol.Fixtures.ListBatch;
import dev.engineionio.protocol.Fixtures.Out;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** JSONP answers of the wire transcripts (section 5 and the v3 JSONP handshake), byte for byte. */
class JsonpTest {
    private static final String[] WS = {"websocket"};

    static byte[] jsonp(ProtocolVersion v, String j, Out... packets) {
        ListBatch batch = new ListBatch(packets);
        ByteBuffer payload = ByteBuffer.allocate(PacketEncoder.measurePayload(v, false, batch));
        PacketEncoder.writePayload(v, false, batch, payload);
        payload.flip();
        int n = Jsonp.measureWrap(j, payload);
        ByteBuffer dst = ByteBuffer.allocateDirect(n + 4);
        dst.position(2);
        assertEquals(n, Jsonp.wrap(j, payload, dst));
        assertEquals(2 + n, dst.position());
        assertEquals(0, payload.position(), "payload not moved");
        byte[] out = new byte[n];
        dst.get(2, out);
        return out;
    }

    @Test
    void v4Handshake() {
        byte[] b = jsonp(ProtocolVersion.V4, "3", Out.text(OPEN, PacketEncoder.handshakeJson("SXBBPCac2bIeKgjpAAAd", WS, 300, 200, 1000000)));
        assertArrayEquals(utf8("___eio[3](\"0{\\\"sid\\\":\\\"SXBBPCac2bIeKgjpAAAd\\\",\\\"upgrades\\\":[\\\"websocket\\\"],\\\"pingInterval\\\":300,\\\"pingTimeout\\\":200,\\\"maxPayload\\\":1000000}\");"), b);
        assertEquals(142, b.length);
    }

    @Test
    void nonDigitsOfJAreDropped() {
        byte[] b = jsonp(ProtocolVersion.V4, "ab1c2", Out.text(OPEN, PacketEncoder.handshakeJson("NeoA_rdlMI5_uc9QAAAe", WS, 300, 200, 1000000)));
        assertArrayEquals(utf8("___eio[12](\"0{\\\"sid\\\":\\\"NeoA_rdlMI5_uc9QAAAe\\\",\\\"upgrades\\\":[\\\"websocket\\\"],\\\"pingInterval\\\":300,\\\"pingTimeout\\\":200,\\\"maxPayload\\\":1000000}\");"), b);
        assertEquals(143, b.length);
        assertArrayEquals(utf8("___eio[](\"4\");"), jsonp(ProtocolVersion.V4, null, Out.text(MESSAGE, null)));
    }

    @Test
    void echoWithNewlinesSeparatorAndLineSeparator() {
        byte[] b = jsonp(ProtocolVersion.V4, "3", Out.text(MESSAGE, "line1\nline2 \\n literal"), Out.text(MESSAGE, "</script>\u2028"));
        assertArrayEquals(utf8("___eio[3](\"4line1\\nline2 \\\\n literal\\u001e4</script>\\u2028\");"), b);
        assertEquals(61, b.length);
    }

    @Test
    void everyControlCharAndParagraphSeparator() {
        byte[] b = jsonp(ProtocolVersion.V4, "0", Out.text(MESSAGE, "\u0000\b\t\n\u000b\f\r\u001f \"\\\u007f\u2029\u2027€"));
        assertArrayEquals(utf8("___eio[0](\"4\\u0000\\b\\t\\n\\u000b\\f\\r\\u001f \\\"\\\\\u007f\\u2029\u2027€\");"), b);
    }

    @Test
    void v3Handshake() {
        byte[] b = jsonp(ProtocolVersion.V3, "0", Out.text(OPEN, PacketEncoder.handshakeJson("Ec0X0OUOGQ32JN6TAAAt", WS, 25000, 20000, 1000000)));
        assertArrayEquals(utf8("___eio[0](\"118:0{\\\"sid\\\":\\\"Ec0X0OUOGQ32JN6TAAAt\\\",\\\"upgrades\\\":[\\\"websocket\\\"],\\\"pingInterval\\\":25000,\\\"pingTimeout\\\":20000,\\\"maxPayload\\\":1000000}\");"), b);
        assertEquals(150, b.length);
    }

    @Test
    void tooSmallDestinationThrowsBeforeWriting() {
        ByteBuffer payload = ByteBuffer.wrap(utf8("4hello"));
        ByteBuffer dst = ByteBuffer.allocate(Jsonp.measureWrap("1", payload) - 1);
        assertThrows(BufferOverflowException.class, () -> Jsonp.wrap("1", payload, dst));
        assertEquals(0, dst.position());
    }

    @Test
    void newlineRulesAsTheReferenceRegexes() {
        String[][] cases = {
            {"a\\nb", "a\nb"}, {"a\\\\nb", "a\\nb"}, {"\\\\\\n", "\\\\n"}, {"\\", "\\"}, {"\\n", "\n"}, {"x\\", "x\\"},
            {"\\\\", "\\\\"}, {"\\\\\\\\n", "\\\\\\n"}};
        for (String[] c : cases) {
            byte[] b = utf8(c[0]);
            int n = Jsonp.newlineRules(b, b.length);
            assertEquals(c[1], new String(b, 0, n, java.nio.charset.StandardCharsets.UTF_8), c[0]);
        }
    }
}
