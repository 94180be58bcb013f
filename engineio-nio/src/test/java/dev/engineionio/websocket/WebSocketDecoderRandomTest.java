package dev.engineionio.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded garbage: random mixes of plausible and broken frames and raw random bytes. The decoder never throws, never
 * reads past its input, and reports the same events and state however the input is chunked and whatever the buffer.
 */
class WebSocketDecoderRandomTest {

    private static byte[] randomInput(Random r) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int frames = 1 + r.nextInt(8);
        boolean fragmented = false;
        for (int i = 0; i < frames; i++) {
            boolean sane = r.nextInt(12) != 0; // mostly frames that are legal here; the rest anything at all
            if (!sane && r.nextInt(4) == 0) {
                byte[] junk = new byte[r.nextInt(20)];
                r.nextBytes(junk);
                out.write(junk, 0, junk.length);
                continue;
            }
            int opcode;
            boolean fin;
            int length;
            if (sane) {
                int pick = r.nextInt(10);
                if (pick < 2) {
                    opcode = 9 + r.nextInt(2);
                    fin = true;
                    length = r.nextInt(126);
                } else if (pick == 2) {
                    opcode = 8;
                    fin = true;
                    length = r.nextBoolean() ? 0 : 2 + r.nextInt(20);
                } else {
                    opcode = fragmented ? 0 : 1 + r.nextInt(2);
                    fin = r.nextInt(3) != 0;
                    length = r.nextInt(4) == 0 ? r.nextInt(300) : r.nextInt(40);
                    fragmented = !fin;
                }
            } else {
                opcode = r.nextInt(16);
                fin = r.nextBoolean();
                length = r.nextInt(300);
            }
            byte[] payload = new byte[length];
            if (opcode <= 1 || r.nextBoolean()) {
                for (int j = 0; j < payload.length; j++) {
                    payload[j] = (byte) (0x20 + r.nextInt(0x5F));
                }
                if (r.nextInt(15) == 0 && payload.length > 0) {
                    payload[r.nextInt(payload.length)] = (byte) (0x80 + r.nextInt(0x80));
                }
            } else {
                r.nextBytes(payload);
            }
            if (opcode == 8 && payload.length >= 2) {
                int[] codes = {1000, 1001, 1011, 3000, 4999, 1005, 999, 5000};
                int code = codes[r.nextInt(sane ? 5 : codes.length)];
                payload[0] = (byte) (code >>> 8);
                payload[1] = (byte) code;
            }
            int rsv = sane ? 0 : r.nextInt(8);
            Integer mask = sane || r.nextBoolean() ? r.nextInt() : null;
            int minimal = length < 126 ? 7 : length < 65536 ? 16 : 64;
            int encoding = r.nextInt(8) == 0 ? (r.nextBoolean() ? 16 : 64) : minimal;
            byte[] f = Frames.frame(fin, rsv, opcode, payload, mask, encoding);
            if (!sane && r.nextBoolean()) {
                f[1 + r.nextInt(f.length - 1)] ^= (byte) (1 << r.nextInt(8)); // flip a bit anywhere
            }
            out.write(f, 0, f.length);
        }
        return out.toByteArray();
    }

    @Test
    void garbageNeverThrowsAndGivesTheSameOutcomeHoweverChunked() {
        Random r = new Random(0x5EEDL);
        WebSocketLimits limits = new WebSocketLimits(200, 400, 3);
        int[] states = new int[3];
        for (int round = 0; round < 3000; round++) {
            byte[] input = randomInput(r);
            RecordingHandler base = new RecordingHandler();
            WebSocketMessageDecoder whole = new WebSocketMessageDecoder(limits,
                    WebSocketMessageDecoder.Delivery.WHOLE_MESSAGE, base);
            int consumed = Frames.feed(whole, input, new int[] {input.length}, Frames.Kind.HEAP);
            states[whole.state().ordinal()]++;
            List<int[]> partitions = Frames.partitions(input.length, round, 3);
            for (int p = 0; p < partitions.size(); p += 1 + partitions.size() / 12) {
                int[] cuts = partitions.get(p);
                Frames.Kind kind = Frames.Kind.values()[(round + p) % Frames.Kind.values().length];
                WebSocketMessageDecoder.Delivery delivery = WebSocketMessageDecoder.Delivery.values()[p % 2];
                RecordingHandler h = new RecordingHandler();
                WebSocketMessageDecoder d = new WebSocketMessageDecoder(limits, delivery, h);
                int c = Frames.feed(d, input, cuts, kind);
                String where = "round " + round + " partition " + p + " " + kind + " " + delivery;
                assertEquals(base.events, h.events, where);
                assertEquals(whole.state(), d.state(), where);
                if (d.state() != WebSocketMessageDecoder.State.FAILED) {
                    assertEquals(consumed, c, where);
                }
            }
        }
        // The generator reaches every final state.
        for (int s : states) {
            org.junit.jupiter.api.Assertions.assertTrue(s > 50, java.util.Arrays.toString(states));
        }
    }

    /**
     * The server's decoder lending, as {@code WsConnection} does it: two connections read interleaved random chunks;
     * a connection without a decoder borrows one from a shared pool, and gives it back after a read when it is
     * {@linkplain WebSocketMessageDecoder#isReusable() reusable}. Each connection must see exactly what a decoder of
     * its own reports for its whole input.
     */
    @Test
    void lendingDecodersBetweenConnectionsAtMessageBoundariesChangesNothing() {
        Random r = new Random(0x1E7DL);
        WebSocketLimits limits = new WebSocketLimits(200, 400, 3);
        int lentAgain = 0;
        for (int round = 0; round < 1500; round++) {
            byte[][] inputs = {randomInput(r), randomInput(r)};
            RecordingHandler[] expected = new RecordingHandler[2];
            WebSocketMessageDecoder.State[] expectedState = new WebSocketMessageDecoder.State[2];
            for (int k = 0; k < 2; k++) {
                expected[k] = new RecordingHandler();
                WebSocketMessageDecoder own = new WebSocketMessageDecoder(limits,
                        WebSocketMessageDecoder.Delivery.WHOLE_MESSAGE, expected[k]);
                own.decode(java.nio.ByteBuffer.wrap(inputs[k].clone())); // unmasking works in place
                expectedState[k] = own.state();
            }
            java.util.ArrayDeque<WebSocketMessageDecoder> pool = new java.util.ArrayDeque<>();
            RecordingHandler[] got = {new RecordingHandler(), new RecordingHandler()};
            WebSocketMessageDecoder[] held = new WebSocketMessageDecoder[2];
            WebSocketMessageDecoder.State[] last = {WebSocketMessageDecoder.State.OPEN, WebSocketMessageDecoder.State.OPEN};
            int[] at = {0, 0};
            while (at[0] < inputs[0].length || at[1] < inputs[1].length) {
                int k = at[0] >= inputs[0].length ? 1 : at[1] >= inputs[1].length ? 0 : r.nextInt(2);
                int n = Math.min(inputs[k].length - at[k], 1 + r.nextInt(r.nextBoolean() ? 4 : 40));
                if (last[k] != WebSocketMessageDecoder.State.OPEN) {
                    at[k] = inputs[k].length; // a connection drops what follows a Close or an error
                    continue;
                }
                WebSocketMessageDecoder d = held[k];
                if (d == null) {
                    d = pool.poll();
                    if (d == null) {
                        d = new WebSocketMessageDecoder(limits, WebSocketMessageDecoder.Delivery.WHOLE_MESSAGE, got[k]);
                    } else {
                        d.rebind(limits, got[k]);
                        lentAgain++;
                    }
                    held[k] = d;
                }
                last[k] = d.decode(java.nio.ByteBuffer.wrap(inputs[k], at[k], n));
                at[k] += n;
                if (last[k] == WebSocketMessageDecoder.State.OPEN && d.isReusable()) {
                    d.rebind(null, null);
                    pool.push(d);
                    held[k] = null;
                }
            }
            for (int k = 0; k < 2; k++) {
                assertEquals(expected[k].events, got[k].events, "round " + round + " connection " + k);
                assertEquals(expectedState[k], last[k], "round " + round + " connection " + k);
            }
        }
        org.junit.jupiter.api.Assertions.assertTrue(lentAgain > 200, "decoders were lent again: " + lentAgain);
    }
}
