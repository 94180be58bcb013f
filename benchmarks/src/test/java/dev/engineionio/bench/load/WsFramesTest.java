package dev.engineionio.bench.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class WsFramesTest {

    /** An unmasked server frame as RFC 6455 section 5.2 lays it out. */
    static byte[] serverFrame(int b0, byte[] payload) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(b0);
        int n = payload.length;
        if (n < 126) {
            o.write(n);
        } else if (n < 65536) {
            o.write(126);
            o.write(n >>> 8);
            o.write(n);
        } else {
            o.write(127);
            for (int s = 56; s >= 0; s -= 8) {
                o.write((int) ((long) n >>> s));
            }
        }
        o.writeBytes(payload);
        return o.toByteArray();
    }

    @Test
    void readsEveryLengthEncodingAtEverySplitPoint() {
        for (int n : new int[] {0, 1, 125, 126, 65535, 65536}) {
            byte[] payload = new byte[n];
            for (int i = 0; i < n; i++) {
                payload[i] = (byte) ('a' + i % 26);
            }
            byte[] frame = serverFrame(0x81, payload);
            int step = n > 1000 ? 997 : 1; // every split point for the small frames, a sample for the big ones
            for (int split = 0; split < frame.length; split += step) {
                WsFrames f = new WsFrames();
                ByteBuffer buf = ByteBuffer.allocate(frame.length + 8);
                buf.put(frame, 0, split).flip();
                assertEquals(WsFrames.NEED_MORE, f.read(buf, 1 << 20), "n=" + n + " split=" + split);
                buf.compact().put(frame, split, frame.length - split).flip();
                assertEquals(WsFrames.FRAME, f.read(buf, 1 << 20), "n=" + n + " split=" + split);
                assertTrue(f.fin);
                assertEquals(WsFrames.OP_TEXT, f.opcode);
                assertEquals(n, f.payloadLength);
                assertEquals(frame.length, f.frameEnd);
                byte[] got = new byte[n];
                buf.get(f.payloadStart, got);
                assertArrayEquals(payload, got);
            }
        }
    }

    @Test
    void refusesWhatAServerMustNotSend() {
        assertEquals(WsFrames.ERROR, read(new byte[] {(byte) 0x81, (byte) 0x80, 0, 0, 0, 0}), "masked");
        assertEquals(WsFrames.ERROR, read(serverFrame(0xC1, new byte[1])), "RSV1 without extension");
        assertEquals(WsFrames.ERROR, read(serverFrame(0x89, new byte[126])), "ping over 125 bytes");
        assertEquals(WsFrames.ERROR, read(serverFrame(0x09, new byte[1])), "fragmented ping");
        assertEquals(WsFrames.ERROR, read(serverFrame(0x83, new byte[1])), "reserved opcode 3");
        assertEquals(WsFrames.ERROR, read(serverFrame(0x8B, new byte[1])), "reserved opcode 11");
        WsFrames f = new WsFrames();
        assertEquals(WsFrames.ERROR, f.read(ByteBuffer.wrap(serverFrame(0x81, new byte[200])), 199), "over limit");
        assertEquals(WsFrames.FRAME, read(serverFrame(0x89, new byte[125])), "ping of 125 bytes");
        assertEquals(WsFrames.FRAME, read(serverFrame(0x01, new byte[3])), "first fragment");
    }

    private static int read(byte[] frame) {
        return new WsFrames().read(ByteBuffer.wrap(frame), 1 << 20);
    }

    @Test
    void writesMaskedFramesThatUnmaskToThePrefixAndPayload() {
        for (int n : new int[] {1, 2, 5, 125, 126, 200, 65535, 65536}) {
            byte[] src = new byte[n + 3];
            for (int i = 0; i < src.length; i++) {
                src[i] = (byte) (i * 7);
            }
            int mask = 0x12345678 ^ n;
            ByteBuffer out = ByteBuffer.allocate(WsFrames.frameSize(n));
            WsFrames.write(out, WsFrames.OP_TEXT, '4', src, 3, n, mask);
            assertEquals(out.capacity(), out.position(), "frameSize(" + n + ")");
            out.flip();
            assertEquals(0x81, out.get() & 0xFF);
            int b1 = out.get() & 0xFF;
            assertEquals(0x80, b1 & 0x80, "mask bit");
            long len = b1 & 0x7F;
            if (len == 126) {
                len = out.getShort() & 0xFFFF;
            } else if (len == 127) {
                len = out.getLong();
            }
            assertEquals(n, len);
            assertEquals(mask, out.getInt());
            int start = out.position();
            WsFrames.unmask(out, start, n, mask);
            assertEquals('4', out.get(start));
            for (int i = 1; i < n; i++) {
                assertEquals(src[3 + i - 1], out.get(start + i), "byte " + i + " of " + n);
            }
        }
    }
}
