package dev.engineionio.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The parser's eight-byte tests agree with the byte tables for every byte value in every lane, in both orders. */
class SwarTest {
    private static long word(byte[] b, ByteOrder order) {
        return ByteBuffer.wrap(b).order(order).getLong(0);
    }

    private static void check(byte[] b) {
        int firstCtl = -1;
        int firstOther = -1;
        boolean plainTarget = true;
        for (int k = 0; k < 8; k++) {
            int c = b[k] & 0xFF;
            boolean ctl = c < 0x20 || c == 0x7F;
            boolean nameChar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
            if (ctl && firstCtl < 0) {
                firstCtl = k;
            }
            if (!nameChar && firstOther < 0) {
                firstOther = k;
            }
            plainTarget &= HttpBytes.TARGET[c] && c != '?';
        }
        for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            boolean big = order == ByteOrder.BIG_ENDIAN;
            long w = word(b, order);
            long ctl = HttpRequestParser.valueControlBytes(w);
            assertEquals(firstCtl < 0, ctl == 0);
            if (ctl != 0) {
                assertEquals(firstCtl, HttpRequestParser.firstMarked(ctl, big));
            }
            long other = HttpRequestParser.nameOtherBytes(w);
            assertEquals(firstOther < 0, other == 0);
            if (other != 0) {
                assertEquals(firstOther, HttpRequestParser.firstMarked(other, big));
            }
            assertEquals(plainTarget, HttpRequestParser.plainTargetWord(w));
        }
    }

    @Test
    void everyByteValueInEveryLane() {
        byte[] b = "abcdefgh".getBytes();
        for (int lane = 0; lane < 8; lane++) {
            for (int v = 0; v < 256; v++) {
                byte[] w = b.clone();
                w[lane] = (byte) v;
                check(w);
                if (lane < 7) {
                    w[lane + 1] = (byte) (255 - v);
                    check(w);
                }
            }
        }
    }

    @Test
    void seededRandomWords() {
        Random rnd = new Random(42);
        byte[] interesting = {0, 1, 9, 0x0D, 0x0A, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x2C, 0x2D, 0x2F, 0x30, 0x39, 0x3A,
            0x3F, 0x40, 0x41, 0x5A, 0x5B, 0x5C, 0x60, 0x61, 0x7A, 0x7B, 0x7E, 0x7F, (byte) 0x80, (byte) 0xA0,
            (byte) 0xC0, (byte) 0xE0, (byte) 0xFF};
        byte[] b = new byte[8];
        for (int n = 0; n < 200_000; n++) {
            for (int k = 0; k < 8; k++) {
                b[k] = rnd.nextInt(3) == 0 ? (byte) rnd.nextInt(256)
                        : rnd.nextBoolean() ? (byte) ('a' + rnd.nextInt(26)) : interesting[rnd.nextInt(interesting.length)];
            }
            check(b);
        }
    }
}
