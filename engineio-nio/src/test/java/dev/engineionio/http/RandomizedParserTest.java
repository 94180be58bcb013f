package dev.engineionio.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Seeded random inputs: garbage and mutated valid requests. Whatever the bytes, the parser never throws, never reads
 * outside {@code [position, limit)} (the harness's buffers are exactly sized, so an over-read throws), and gives the
 * same transcript whole, split at random points, and one byte at a time, over heap and direct buffers.
 */
class RandomizedParserTest {
    private static final String[] SEEDS = {
        "GET /engine.io/?EIO=4&transport=polling&t=P1 HTTP/1.1\r\nHost: a:1\r\nConnection: keep-alive\r\n"
                + "User-Agent: Mozilla/5.0 (X11)\r\nAccept: */*\r\n\r\n",
        "POST /engine.io/?EIO=4&transport=polling&sid=abc HTTP/1.1\r\nHost: a\r\nContent-Length: 7\r\n"
                + "Content-Type: text/plain;charset=UTF-8\r\n\r\n4hello!GET / HTTP/1.1\r\nHost: b\r\n\r\n",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;x=1\r\nhello\r\n0\r\nT: 1\r\n\r\n",
        "GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n\u0081\u0085abcde",
        "GET / HTTP/1.0\r\nConnection: keep-alive\r\nExpect: 100-continue\r\n\r\n",
    };
    private static final byte[] ALPHABET = " \t\r\n:;,=?&%/0123456789aAfFxX-HTTP.\0\u007f\u00ff\"#chunked".getBytes(StandardCharsets.ISO_8859_1);

    @Test
    void randomInputsNeverThrowAndDoNotDependOnChunking() {
        Random rnd = new Random(0x5eed_1234L);
        HttpLimits limits = HttpLimits.builder().maxRequestLineLength(64).maxHeaderSectionSize(256).maxHeaderCount(8)
                .maxBodySize(32).maxChunkExtensionSize(8).maxTrailerSectionSize(16).build();
        Set<String> outcomes = new HashSet<>();
        for (int iter = 0; iter < 3000; iter++) {
            byte[] input = iter % 5 == 0 ? garbage(rnd) : mutate(rnd, SEEDS[rnd.nextInt(SEEDS.length)]);
            HttpLimits l = iter % 2 == 0 ? limits : HttpLimits.DEFAULTS;
            String whole = ParserHarness.run(l, input, new int[0], false);
            String last = whole.substring(whole.lastIndexOf('\n', whole.length() - 2) + 1);
            outcomes.add(last.startsWith("error ") ? last : last.split(" ")[0]);
            for (boolean direct : new boolean[] {false, true}) {
                assertEquals(whole, ParserHarness.run(l, input, randomSplits(rnd, input.length), direct,
                        rnd.nextBoolean() ? java.nio.ByteOrder.BIG_ENDIAN : java.nio.ByteOrder.LITTLE_ENDIAN),
                        "iteration " + iter + ": " + ParserHarness.escape(input, 0, input.length));
            }
            if (iter % 10 == 0) {
                int[] bytes = new int[input.length];
                for (int k = 0; k < input.length; k++) {
                    bytes[k] = k;
                }
                assertEquals(whole, ParserHarness.run(l, input, bytes, iter % 20 == 0));
            }
        }
        // The mutations reach deep into the parser: many distinct outcomes, successes and errors alike.
        assertTrue(outcomes.size() > 20, "outcomes: " + outcomes);
        assertTrue(outcomes.contains("end\n") && outcomes.contains("incomplete\n"), "outcomes: " + outcomes);
    }

    private static byte[] garbage(Random rnd) {
        byte[] b = new byte[rnd.nextInt(200)];
        for (int j = 0; j < b.length; j++) {
            b[j] = rnd.nextBoolean() ? ALPHABET[rnd.nextInt(ALPHABET.length)] : (byte) rnd.nextInt(256);
        }
        return b;
    }

    private static byte[] mutate(Random rnd, String seed) {
        byte[] b = seed.getBytes(StandardCharsets.ISO_8859_1);
        int edits = 1 + rnd.nextInt(3);
        for (int e = 0; e < edits; e++) {
            int at = rnd.nextInt(b.length);
            byte x = ALPHABET[rnd.nextInt(ALPHABET.length)];
            switch (rnd.nextInt(4)) {
                case 0:
                    b[at] = x;
                    break;
                case 1: {
                    byte[] n = new byte[b.length + 1];
                    System.arraycopy(b, 0, n, 0, at);
                    n[at] = x;
                    System.arraycopy(b, at, n, at + 1, b.length - at);
                    b = n;
                    break;
                }
                case 2: {
                    byte[] n = new byte[b.length - 1];
                    System.arraycopy(b, 0, n, 0, at);
                    System.arraycopy(b, at + 1, n, at, b.length - at - 1);
                    b = n;
                    break;
                }
                default:
                    b = java.util.Arrays.copyOf(b, at);
                    break;
            }
            if (b.length == 0) {
                break;
            }
        }
        return b;
    }

    private static int[] randomSplits(Random rnd, int length) {
        int n = length == 0 ? 0 : rnd.nextInt(Math.min(length, 12) + 1);
        int[] s = new int[n];
        for (int j = 0; j < n; j++) {
            s[j] = rnd.nextInt(length + 1);
        }
        java.util.Arrays.sort(s);
        return s;
    }
}
