package dev.engineionio.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Utf8Test {

    @Test
    void writesWhatTheJdkWritesForWellFormedStrings() {
        Random r = new Random(42);
        for (int round = 0; round < 2000; round++) {
            StringBuilder sb = new StringBuilder();
            for (int i = r.nextInt(30); i > 0; i--) {
                int kind = r.nextInt(4);
                sb.appendCodePoint(kind == 0 ? r.nextInt(0x80) : kind == 1 ? 0x80 + r.nextInt(0x780)
                        : kind == 2 ? 0xE000 + r.nextInt(0x2000) : 0x10000 + r.nextInt(0x100000));
            }
            String s = sb.toString();
            byte[] expected = s.getBytes(StandardCharsets.UTF_8);
            assertEquals(expected.length, Utf8.encodedLength(s));
            ByteBuffer dst = ByteBuffer.allocateDirect(expected.length);
            assertEquals(expected.length, Utf8.write(s, dst, 0));
            byte[] got = new byte[expected.length];
            dst.get(0, got);
            assertArrayEquals(expected, got);
            assertTrue(Utf8.isValid(dst, 0, expected.length));
            assertEquals(s.length(), Utf8.advanceUnits(dst, 0, expected.length, s.length(), true) == expected.length ? s.length() : -1);
        }
    }

    @Test
    void loneSurrogatesAreWrittenAsReplacementCharacter() {
        for (String s : new String[] {"\ud800", "\udc00", "\udc00\ud800", "x\ud83d", "\ud83dx"}) {
            ByteBuffer dst = ByteBuffer.allocate(Utf8.encodedLength(s));
            Utf8.write(s, dst, 0);
            String back = new String(dst.array(), StandardCharsets.UTF_8);
            assertEquals(s.replaceAll("[\\ud800-\\udfff]", "\ufffd"), back, s);
        }
    }

    @Test
    void validation() {
        assertFalse(Utf8.isValid(ByteBuffer.wrap(Fixtures.hex("eda080")), 0, 3), "encoded surrogate");
        assertTrue(Utf8.isValidAllowingSurrogates(ByteBuffer.wrap(Fixtures.hex("eda080")), 0, 3));
        assertFalse(Utf8.isValidAllowingSurrogates(ByteBuffer.wrap(Fixtures.hex("eda0")), 0, 2));
        assertFalse(Utf8.isValid(ByteBuffer.wrap(Fixtures.hex("c0af")), 0, 2), "overlong");
        assertFalse(Utf8.isValid(ByteBuffer.wrap(Fixtures.hex("f4908080")), 0, 4), "above U+10FFFF");
        assertTrue(Utf8.isValid(ByteBuffer.wrap(Fixtures.hex("f09f9880")), 0, 4));
    }

    @Test
    void spanStringsReplaceAsNodeDoes() {
        // expectations from node 20: Buffer.from(hex, "hex").toString()
        String[][] cases = {{"34ff", "4\ufffd"}, {"34e282", "4\ufffd"}, {"34eda080", "4\ufffd\ufffd\ufffd"},
            {"34f09f98", "4\ufffd"}, {"34c328", "4\ufffd("}, {"34f09f9880", "4😀"}, {"efbfbd", "\ufffd"}};
        PayloadDecoder d = new PayloadDecoder();
        for (String[] c : cases) {
            byte[] b = Fixtures.hex(c[0]);
            for (ByteBuffer in : Fixtures.shapes(b)) {
                assertEquals(c[1], d.string(in, in.position(), b.length), c[0]);
            }
        }
    }
}
