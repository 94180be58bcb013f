package dev.engineionio.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class PacketTypeTest {

    @Test
    void mapsAsciiDigitsZeroToSixInProtocolOrder() {
        String order = "OPEN CLOSE PING PONG MESSAGE UPGRADE NOOP";
        String[] names = order.split(" ");
        for (int i = 0; i < names.length; i++) {
            PacketType t = PacketType.fromAscii('0' + i);
            assertEquals(names[i], t.name());
            assertEquals('0' + i, t.asciiCode());
            assertEquals(i, t.code());
            assertEquals(t, PacketType.fromCode(i));
        }
    }

    @Test
    void rejectsEveryOtherByteWithoutThrowing() {
        for (int b = -128; b < 256; b++) {
            if (b >= '0' && b <= '6') {
                continue;
            }
            assertNull(PacketType.fromAscii(b), "byte " + b);
        }
        assertNull(PacketType.fromCode(-1));
        assertNull(PacketType.fromCode(7));
    }
}
