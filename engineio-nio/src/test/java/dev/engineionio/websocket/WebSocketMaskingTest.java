package dev.engineionio.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WebSocketMaskingTest {

    @ParameterizedTest
    @EnumSource(Frames.Kind.class)
    void matchesBytewiseMaskingForEveryLengthOffsetAndPhase(Frames.Kind kind) {
        Random r = new Random(3);
        for (int length = 0; length < 40; length++) {
            for (int phase = 0; phase < 4; phase++) {
                int key = r.nextInt();
                byte[] data = new byte[length + 3];
                r.nextBytes(data);
                ByteBuffer b = kind.wrap(data, 0, data.length);
                int base = b.position();
                int next = WebSocketMasking.unmask(b, base + 3, length, key, phase);
                assertEquals((phase + length) & 3, next);
                for (int i = 0; i < data.length; i++) {
                    byte expected = data[i];
                    if (i >= 3) {
                        int k = (phase + i - 3) & 3;
                        expected ^= (byte) (key >>> (24 - 8 * k));
                    }
                    assertEquals(expected, b.get(base + i), "length " + length + " phase " + phase + " at " + i);
                }
            }
        }
    }
}
