package dev.engineionio.websocket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WebSocketFrameWriterTest {

    private static byte[] bytesOf(ByteBuffer out) {
        out.flip();
        byte[] b = new byte[out.remaining()];
        out.get(b);
        return b;
    }

    /** Reads back what the writer produced with the frame reader (the writer's frames are unmasked). */
    private static WebSocketFrameReaderTest.OrderedFrames readBack(byte[] wire) {
        WebSocketFrameReader reader = new WebSocketFrameReader();
        WebSocketFrameReaderTest.OrderedFrames h = new WebSocketFrameReaderTest.OrderedFrames();
        ByteBuffer b = ByteBuffer.wrap(wire);
        assertTrue(reader.read(b, h));
        assertFalse(b.hasRemaining());
        return h;
    }

    @Test
    void usesTheMinimalLengthEncoding() {
        assertEquals(2, WebSocketFrameWriter.headerSize(0));
        assertEquals(2, WebSocketFrameWriter.headerSize(125));
        assertEquals(4, WebSocketFrameWriter.headerSize(126));
        assertEquals(4, WebSocketFrameWriter.headerSize(65535));
        assertEquals(10, WebSocketFrameWriter.headerSize(65536));
        assertEquals(10, WebSocketFrameWriter.headerSize(Long.MAX_VALUE));
        assertThrows(IllegalArgumentException.class, () -> WebSocketFrameWriter.headerSize(-1));
        assertTrue(WebSocketFrameWriter.shouldCopy(1024));
        assertFalse(WebSocketFrameWriter.shouldCopy(1025));
    }

    @ParameterizedTest
    @EnumSource(Frames.Kind.class)
    void writesHeadersAndCopiedPayloadsThatReadBack(Frames.Kind kind) {
        for (int n : new int[] {0, 1, 125, 126, 65535, 65536}) {
            byte[] p = Frames.pattern(n);
            ByteBuffer src = kind.wrap(p, 0, n);
            ByteBuffer out = n % 2 == 0 ? ByteBuffer.allocate(n + 10) : ByteBuffer.allocateDirect(n + 10);
            int written = WebSocketFrameWriter.writeBinary(out, src, src.position(), n);
            assertEquals(WebSocketFrameWriter.frameSize(n), written);
            assertEquals(written, out.position());
            WebSocketFrameReaderTest.OrderedFrames h = readBack(bytesOf(out));
            assertEquals(List.of("true/0/2/false/" + n), h.headers);
            assertArrayEquals(p, h.payloads.get(0));
        }
    }

    @Test
    void writesHeaderOnlyForGatheredPayloads() {
        ByteBuffer out = ByteBuffer.allocate(16);
        assertEquals(10, WebSocketFrameWriter.writeHeader(out, WebSocketOpcodes.BINARY, false, 1L << 32));
        byte[] b = bytesOf(out);
        assertArrayEquals(new byte[] {0x02, 127, 0, 0, 0, 1, 0, 0, 0, 0}, b);
        assertThrows(IllegalArgumentException.class, () -> WebSocketFrameWriter.writeHeader(out, 16, true, 0));
    }

    @Test
    void writesTextAsUtf8LikeTheJdkIncludingUnpairedSurrogates() {
        Random r = new Random(11);
        for (int round = 0; round < 2000; round++) {
            StringBuilder sb = new StringBuilder();
            int len = r.nextInt(40);
            for (int i = 0; i < len; i++) {
                switch (r.nextInt(6)) {
                    case 0 -> sb.append((char) r.nextInt(0x80));
                    case 1 -> sb.append((char) (0x80 + r.nextInt(0x780)));
                    case 2 -> sb.append((char) (0x800 + r.nextInt(0xD000)));
                    case 3 -> sb.appendCodePoint(0x10000 + r.nextInt(0x100000));
                    case 4 -> sb.append((char) (0xD800 + r.nextInt(0x800))); // unpaired surrogate
                    default -> sb.append((char) (0xE000 + r.nextInt(0x2000)));
                }
            }
            String s = sb.toString();
            byte[] expected = s.getBytes(StandardCharsets.UTF_8);
            assertEquals(expected.length, WebSocketFrameWriter.utf8Length(s), s);
            ByteBuffer out = round % 3 == 0 ? ByteBuffer.allocateDirect(expected.length + 10)
                    : round % 3 == 1 ? ByteBuffer.allocate(expected.length + 10)
                    : ByteBuffer.allocate(expected.length + 17).position(7).slice(); // array offset 7
            // Heap and direct, String and a non-String CharSequence.
            int n = WebSocketFrameWriter.writeText(out, round % 2 == 0 ? s : new StringBuilder(s));
            assertEquals(WebSocketFrameWriter.frameSize(expected.length), n);
            WebSocketFrameReaderTest.OrderedFrames h = readBack(bytesOf(out));
            assertArrayEquals(expected, h.payloads.get(0), s);
        }
    }

    @Test
    void letsTheCallerWriteAPrefixedPayloadBehindAReservedHeader() {
        String text = "héllo";
        int n = 1 + WebSocketFrameWriter.utf8Length(text);
        ByteBuffer out = ByteBuffer.allocate(64);
        WebSocketFrameWriter.writeHeader(out, WebSocketOpcodes.TEXT, true, n);
        out.put((byte) '4');
        assertEquals(n - 1, WebSocketFrameWriter.encodeUtf8(out, text));
        WebSocketFrameReaderTest.OrderedFrames h = readBack(bytesOf(out));
        assertArrayEquals(("4" + text).getBytes(StandardCharsets.UTF_8), h.payloads.get(0));
    }

    @Test
    void writesCloseFramesAndEchoes() {
        ByteBuffer out = ByteBuffer.allocate(200);
        WebSocketFrameWriter.writeClose(out, 1000, "bye");
        assertArrayEquals(new byte[] {(byte) 0x88, 5, 0x03, (byte) 0xE8, 'b', 'y', 'e'}, bytesOf(out));
        out.clear();
        WebSocketFrameWriter.writeCloseEcho(out, WebSocketCloseCodes.NO_STATUS_RECEIVED);
        assertArrayEquals(new byte[] {(byte) 0x88, 0}, bytesOf(out));
        out.clear();
        WebSocketFrameWriter.writeCloseEcho(out, 4000);
        assertArrayEquals(new byte[] {(byte) 0x88, 2, 0x0F, (byte) 0xA0}, bytesOf(out));
        out.clear();
        WebSocketFrameWriter.writeClose(out, WebSocketError.INVALID_UTF8);
        byte[] b = bytesOf(out);
        assertEquals(0x03, b[2]);
        assertEquals((byte) 0xEF, b[3]);
        out.clear();
        assertEquals(125 + 2, WebSocketFrameWriter.writeClose(out, 1001, "r".repeat(123)));
        assertThrows(IllegalArgumentException.class, () -> WebSocketFrameWriter.writeClose(out, 1001, "r".repeat(124)));
        assertThrows(IllegalArgumentException.class, () -> WebSocketFrameWriter.writeClose(out, 1005, ""));
        assertThrows(IllegalArgumentException.class, () -> WebSocketFrameWriter.writeClose(out, 999, ""));
    }

    @Test
    void writesPingsAndPongsWithTheirPayload() {
        byte[] p = Frames.pattern(125);
        ByteBuffer out = ByteBuffer.allocate(300);
        WebSocketFrameWriter.writePing(out, ByteBuffer.wrap(p), 0, 125);
        WebSocketFrameWriter.writePong(out, ByteBuffer.wrap(p), 3, 5);
        WebSocketFrameReaderTest.OrderedFrames h = readBack(bytesOf(out));
        assertEquals(List.of("true/0/9/false/125", "true/0/10/false/5"), h.headers);
        assertThrows(IllegalArgumentException.class,
                () -> WebSocketFrameWriter.writePong(ByteBuffer.allocate(300), ByteBuffer.allocate(126), 0, 126));
    }

    @Test
    void writesNothingWhenTheBufferLacksRoom() {
        for (int room = 0; room < 9; room++) {
            ByteBuffer out = ByteBuffer.allocate(room);
            int n = WebSocketFrameWriter.writeText(out, "abcdefg");
            if (room < 9) {
                assertEquals(-1, n);
                assertEquals(0, out.position());
            }
            assertEquals(room < 2 ? -1 : 2, WebSocketFrameWriter.writeEmptyClose(ByteBuffer.allocate(room)));
            assertEquals(room < 7 ? -1 : 7, WebSocketFrameWriter.writeClose(ByteBuffer.allocate(room), 1000, "bye"));
        }
        assertEquals(9, WebSocketFrameWriter.writeText(ByteBuffer.allocate(9), "abcdefg"));
    }
}
