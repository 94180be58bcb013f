package dev.engineionio.websocket;

import static dev.engineionio.websocket.Frames.KEY;
import static dev.engineionio.websocket.Frames.concat;
import static dev.engineionio.websocket.Frames.frame;
import static dev.engineionio.websocket.Frames.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WebSocketFrameReaderTest {

    /** A frame-level mock that fails on any out-of-order callback and collects frames. */
    static final class OrderedFrames implements WebSocketFrameReader.FrameHandler {
        final List<String> headers = new ArrayList<>();
        final List<byte[]> payloads = new ArrayList<>();
        private boolean inFrame;
        private long declared;
        private ByteArrayOutputStream current;
        int stopAfterFrames = Integer.MAX_VALUE;

        @Override
        public boolean onFrameHeader(boolean fin, int rsv, int opcode, boolean masked, long payloadLength) {
            if (inFrame) {
                throw new AssertionError("header inside a frame");
            }
            headers.add(fin + "/" + rsv + "/" + opcode + "/" + masked + "/" + payloadLength);
            inFrame = payloadLength >= 0;
            declared = payloadLength;
            current = new ByteArrayOutputStream();
            return true;
        }

        @Override
        public boolean onFramePayload(ByteBuffer buf, int offset, int length) {
            if (!inFrame || length <= 0 || current.size() + length > declared) {
                throw new AssertionError("payload out of order or beyond the frame: " + length);
            }
            byte[] b = new byte[length];
            buf.get(offset, b);
            current.write(b, 0, length);
            return true;
        }

        @Override
        public boolean onFrameEnd() {
            if (!inFrame || current.size() != declared) {
                throw new AssertionError("end before the payload was complete");
            }
            inFrame = false;
            payloads.add(current.toByteArray());
            return payloads.size() < stopAfterFrames;
        }
    }

    private static OrderedFrames readAll(byte[] input, int[] cuts, Frames.Kind kind) {
        WebSocketFrameReader reader = new WebSocketFrameReader();
        OrderedFrames h = new OrderedFrames();
        int from = 0;
        for (int cut : cuts) {
            ByteBuffer b = kind.wrap(input, from, cut);
            int limit = b.limit();
            assertTrue(reader.read(b, h));
            assertEquals(limit, b.position(), "everything consumed");
            from = cut;
        }
        assertTrue(reader.isAtFrameBoundary());
        return h;
    }

    @ParameterizedTest
    @EnumSource(Frames.Kind.class)
    void tokenisesEveryFinRsvOpcodeLengthAndMaskCombination(Frames.Kind kind) {
        int[] lengths = {0, 1, 125, 126, 65535, 65536};
        Random random = new Random(42);
        for (int length : lengths) {
            byte[] payload = pattern(length);
            for (int fin = 0; fin < 2; fin++) {
                for (int rsv = 0; rsv < 8; rsv++) {
                    for (int opcode = 0; opcode < 16; opcode++) {
                        for (Integer mask : new Integer[] {null, KEY, 0}) {
                            byte[] f = frame(fin == 1, rsv, opcode, payload, mask);
                            // Whole, and split inside the header region and at one random payload offset.
                            int[][] cutsList = {
                                {f.length},
                                {1, f.length},
                                {Math.min(3, f.length), f.length},
                                {Math.min(f.length - 1, 1 + random.nextInt(f.length)), f.length},
                            };
                            for (int[] cuts : cutsList) {
                                OrderedFrames h = readAll(f, cuts, kind);
                                assertEquals(List.of((fin == 1) + "/" + rsv + "/" + opcode + "/" + (mask != null)
                                        + "/" + length), h.headers);
                                assertArrayEquals(payload, h.payloads.get(0));
                            }
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Frames.Kind.class)
    void sameFramesWhateverTheSplit(Frames.Kind kind) {
        byte[] input = concat(
                frame(true, 0, 1, pattern(0), KEY),
                frame(false, 0, 2, pattern(5), KEY),
                frame(true, 0, 9, pattern(125), KEY),
                frame(true, 0, 0, pattern(126), KEY),
                frame(true, 0, 2, pattern(300), null),
                frame(true, 0, 2, pattern(3), KEY, 16),   // non-minimal encodings
                frame(true, 0, 2, pattern(9), KEY, 64));
        OrderedFrames whole = readAll(input, new int[] {input.length}, kind);
        assertEquals(7, whole.headers.size());
        for (int[] cuts : Frames.partitions(input.length, 7, 20)) {
            OrderedFrames h = readAll(input, cuts, kind);
            assertEquals(whole.headers, h.headers);
            for (int i = 0; i < whole.payloads.size(); i++) {
                assertArrayEquals(whole.payloads.get(i), h.payloads.get(i));
            }
        }
        assertEquals("true/0/2/true/3", whole.headers.get(5));
        assertEquals("true/0/2/true/9", whole.headers.get(6));
    }

    @Test
    void reportsNegative64BitLengthAndStops() {
        byte[] f = {(byte) 0x82, (byte) 0xFF, (byte) 0x80, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4, 9, 9};
        WebSocketFrameReader reader = new WebSocketFrameReader();
        OrderedFrames h = new OrderedFrames();
        ByteBuffer b = ByteBuffer.wrap(f);
        assertFalse(reader.read(b, h));
        assertEquals(List.of("true/0/2/true/" + 0x8000000000000001L), h.headers);
        assertEquals(14, b.position(), "stops right after the header");
        assertTrue(reader.isStopped());
        assertFalse(reader.read(b, h));
        assertEquals(14, b.position(), "a stopped reader consumes nothing");
    }

    @Test
    void stopsAfterTheFrameWhoseCallbackSaidSo() {
        byte[] input = concat(frame(true, 0, 1, pattern(4), KEY), frame(true, 0, 1, pattern(4), KEY));
        WebSocketFrameReader reader = new WebSocketFrameReader();
        OrderedFrames h = new OrderedFrames();
        h.stopAfterFrames = 1;
        ByteBuffer b = ByteBuffer.wrap(input);
        assertFalse(reader.read(b, h));
        assertEquals(10, b.position());
        assertEquals(1, h.payloads.size());
    }

    @Test
    void unmasksInPlaceKeepingThePhaseAcrossReads() {
        byte[] payload = pattern(1000);
        byte[] f = frame(true, 0, 2, payload, 0x01020304);
        for (int cut = 1; cut < f.length; cut += 7) {
            OrderedFrames h = readAll(f, new int[] {cut, f.length}, Frames.Kind.DIRECT);
            assertArrayEquals(payload, h.payloads.get(0), "cut " + cut);
        }
    }
}
