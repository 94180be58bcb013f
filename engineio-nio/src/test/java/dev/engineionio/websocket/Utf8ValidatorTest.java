package dev.engineionio.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Markus Kuhn's UTF-8 decoder stress test (the source of Autobahn 6.x), plus a differential test against the JDK. */
class Utf8ValidatorTest {

    /** Index of the first byte the validator rejects when fed byte by byte, or -1. */
    private static int failIndex(byte[] b) {
        Utf8Validator v = new Utf8Validator();
        for (int i = 0; i < b.length; i++) {
            if (!v.validate(ByteBuffer.wrap(b), i, 1)) {
                return i;
            }
        }
        return -1;
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        // case, hex, first rejected byte (-1 none), complete
        "2.1.1 first 1-byte, 00, -1, true",
        "2.1.2 first 2-byte, c280, -1, true",
        "2.1.3 first 3-byte, e0a080, -1, true",
        "2.1.4 first 4-byte, f0908080, -1, true",
        "2.1.5 5-byte form, f888808080, 0, false",
        "2.1.6 6-byte form, fc8480808080, 0, false",
        "2.2.1 last 1-byte, 7f, -1, true",
        "2.2.2 last 2-byte, dfbf, -1, true",
        "2.2.3 last 3-byte, efbfbf, -1, true",
        "2.2.4 above U+10FFFF lead, f7bfbfbf, 0, false",
        "2.3.1 U+D7FF, ed9fbf, -1, true",
        "2.3.2 U+E000, ee8080, -1, true",
        "2.3.3 U+FFFD, efbfbd, -1, true",
        "2.3.4 U+10FFFF, f48fbfbf, -1, true",
        "2.3.5 U+110000, f4908080, 1, false",
        "3.1.1 first continuation, 80, 0, false",
        "3.1.2 last continuation, bf, 0, false",
        "3.1.3 two continuations, 80bf, 0, false",
        "3.2.1 lonely C0, c020, 0, false",
        "3.2.2 lonely C2, c220, 1, false",
        "3.2.3 lonely E0, e020, 1, false",
        "3.2.4 lonely F0, f020, 1, false",
        "3.3.1 2-byte missing last, c2, -1, false",
        "3.3.2 3-byte missing last, e0a0, -1, false",
        "3.3.3 4-byte missing last, f09080, -1, false",
        "3.3.4 concatenated incomplete, c2e0a0, 1, false",
        "3.5.1 FE, fe, 0, false",
        "3.5.2 FF, ff, 0, false",
        "3.5.3 FEFEFFFF, fefeffff, 0, false",
        "4.1.1 overlong slash 2, c0af, 0, false",
        "4.1.2 overlong slash 3, e080af, 1, false",
        "4.1.3 overlong slash 4, f08080af, 1, false",
        "4.2.1 max overlong 2, c1bf, 0, false",
        "4.2.2 max overlong 3, e09fbf, 1, false",
        "4.2.3 max overlong 4, f08fbfbf, 1, false",
        "4.3.1 overlong NUL, c080, 0, false",
        "5.1.1 U+D800, eda080, 1, false",
        "5.1.7 U+DFFF, edbfbf, 1, false",
        "5.2.1 U+D800 U+DC00, eda080edb080, 1, false",
        "5.3.1 U+FFFE, efbfbe, -1, true",
        "5.3.2 U+FFFF, efbfbf, -1, true",
        "6.3.1 Autobahn kosme with surrogate, cebae1bdb9cf83cebcceb5eda080656469746564, 12, false",
        "6.2.1 Autobahn kosme, cebae1bdb9cf83cebcceb5, -1, true",
        "ascii run, 48656c6c6f2c20576f726c6421204865, -1, true",
        "invalid after 8-byte ascii run, 4142434445464748ff, 8, false",
    })
    void kuhnStressCases(String name, String hex, int expectedFailIndex, boolean complete) {
        byte[] b = HexFormat.of().parseHex(hex);
        assertEquals(expectedFailIndex, failIndex(b));
        assertEquals(complete, Utf8Validator.isValid(ByteBuffer.wrap(b), 0, b.length));
        // Same verdict for every split into two spans (fragment ends inside a code point).
        for (int cut = 0; cut <= b.length; cut++) {
            for (Frames.Kind kind : Frames.Kind.values()) {
                Utf8Validator v = new Utf8Validator();
                ByteBuffer buf = kind.wrap(b, 0, b.length);
                int p = buf.position();
                boolean ok = v.validate(buf, p, cut) && v.validate(buf, p + cut, b.length - cut);
                assertEquals(expectedFailIndex < 0, ok, kind + " cut " + cut);
                assertEquals(complete, v.isComplete(), kind + " cut " + cut);
                assertEquals(!ok, v.isFailed());
            }
        }
    }

    @Test
    void staysFailedUntilReset() {
        Utf8Validator v = new Utf8Validator();
        assertFalse(v.validate(ByteBuffer.wrap(new byte[] {(byte) 0xFF}), 0, 1));
        assertFalse(v.validate(ByteBuffer.wrap(new byte[] {'a'}), 0, 1));
        v.reset();
        assertTrue(v.validate(ByteBuffer.wrap(new byte[] {'a'}), 0, 1));
        assertTrue(v.isComplete());
    }

    @Test
    void acceptsEveryCodePoint() {
        StringBuilder sb = new StringBuilder();
        for (int cp = 0; cp <= 0x10FFFF; cp++) {
            if (cp >= 0xD800 && cp <= 0xDFFF) {
                continue;
            }
            sb.appendCodePoint(cp);
        }
        byte[] all = sb.toString().getBytes(StandardCharsets.UTF_8);
        assertTrue(Utf8Validator.isValid(ByteBuffer.wrap(all), 0, all.length));
    }

    private static boolean jdkValid(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @Test
    void agreesWithTheJdkDecoderOnRandomInputChunkedAnyhow() {
        int[] interesting = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1,
            0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xF8, 0xFE, 0xFF};
        Random r = new Random(20261124);
        int invalid = 0;
        for (int round = 0; round < 200_000; round++) {
            byte[] b = new byte[1 + r.nextInt(12)];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) interesting[r.nextInt(interesting.length)];
            }
            boolean expected = jdkValid(b);
            invalid += expected ? 0 : 1;
            assertEquals(expected, Utf8Validator.isValid(ByteBuffer.wrap(b), 0, b.length), HexFormat.of().formatHex(b));
            // Long inputs too, so the eight-byte paths run: padded with ASCII on both sides, heap slice and direct.
            byte[] padded = new byte[b.length + 19];
            java.util.Arrays.fill(padded, (byte) 'a');
            System.arraycopy(b, 0, padded, 9, b.length);
            Frames.Kind kind = round % 2 == 0 ? Frames.Kind.HEAP_SLICE : Frames.Kind.DIRECT_OFFSET;
            ByteBuffer pb = kind.wrap(padded, 0, padded.length);
            assertEquals(expected, Utf8Validator.isValid(pb, pb.position(), padded.length), HexFormat.of().formatHex(b));
            Utf8Validator v = new Utf8Validator();
            int at = 0;
            boolean ok = true;
            while (at < b.length) {
                int n = 1 + r.nextInt(b.length - at);
                ok &= v.validate(ByteBuffer.wrap(b), at, n);
                at += n;
            }
            assertEquals(expected, ok && v.isComplete(), HexFormat.of().formatHex(b));
        }
        assertTrue(invalid > 1000 && invalid < 199_000, "the generator exercises both verdicts");
    }
}
