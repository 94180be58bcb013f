package dev.engineionio.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The SSE event encoding: exact bytes, measured sizes, and the Last-Event-ID format. */
class SseEventEncoderTest {

    private static String text(PacketType type, String s, long seq) {
        byte[] prefix = "abc:".getBytes(StandardCharsets.US_ASCII);
        int n = SseEventEncoder.measureText(prefix, seq, type, s);
        ByteBuffer dst = ByteBuffer.allocate(n + 5);
        SseEventEncoder.writeText(prefix, seq, type, s, dst);
        assertEquals(n, dst.position(), "measured size");
        return new String(dst.array(), 0, n, StandardCharsets.UTF_8);
    }

    @Test
    void escapesOnlyBackslashLineFeedAndCarriageReturn() {
        assertEquals("id: abc:7\ndata: 4a\\nb\\rc\\\\d\\r\\n\n\n", text(PacketType.MESSAGE, "a\nb\rc\\d\r\n", 7));
        assertEquals("id: abc:1234567890\ndata: 4 \0\u001e\u2028\uD83D\uDE00\n\n",
                text(PacketType.MESSAGE, " \0\u001e\u2028\uD83D\uDE00", 1234567890L));
        assertEquals("id: abc:1\ndata: 2\n\n", text(PacketType.PING, null, 1));
        assertEquals("id: abc:9\ndata: 4\uFFFDx\n\n", text(PacketType.MESSAGE, "\uD800x", 9));
    }

    @Test
    void binaryIsBase64() {
        byte[] prefix = "s:".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer data = ByteBuffer.wrap(new byte[] {1, 2, 3});
        int n = SseEventEncoder.measureBinary(prefix, 10, data);
        ByteBuffer dst = ByteBuffer.allocate(n);
        SseEventEncoder.writeBinary(prefix, 10, data, dst);
        assertEquals("id: s:10\ndata: bAQID\n\n", new String(dst.array(), StandardCharsets.US_ASCII));
        assertEquals(0, data.position());
    }

    @Test
    void lastEventIdIsSidColonDigits() {
        assertEquals(3, SseEventEncoder.parseLastEventId("abc:1"));
        assertEquals(20, SseEventEncoder.parseLastEventId("AAAAAAAAAAAAAAAAAAAA:123456789012345678"));
        assertEquals(-1, SseEventEncoder.parseLastEventId("AAAA:1234567890123456789")); // 19 digits
        assertEquals(-1, SseEventEncoder.parseLastEventId("42"));
        assertEquals(-1, SseEventEncoder.parseLastEventId(":1"));
        assertEquals(-1, SseEventEncoder.parseLastEventId("abc:"));
        assertEquals(-1, SseEventEncoder.parseLastEventId("a b:1"));
        assertEquals(-1, SseEventEncoder.parseLastEventId("abc:1x"));
        assertEquals(-1, SseEventEncoder.parseLastEventId(null));
        assertEquals(128, SseEventEncoder.parseLastEventId("a".repeat(128) + ":1"));
        assertEquals(-1, SseEventEncoder.parseLastEventId("a".repeat(129) + ":1"));
    }
}
