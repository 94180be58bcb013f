package dev.engineionio.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.engineionio.protocol.PacketType;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Text copied into a batch's arena ({@link WriteBuffer#addCopy}) beside referenced text and binary packets. */
class WriteBufferCopyTest {

    @Test
    void copiedTextSurvivesTheSourceChangingAndMixesWithOtherPackets() {
        WriteBuffer b = new WriteBuffer();
        StringBuilder src = new StringBuilder("borrowed é😀");
        b.addCopy(PacketType.MESSAGE, src, true);
        src.setLength(0);
        src.append("overwritten");
        b.add(PacketType.MESSAGE, "kept", true);
        b.add(PacketType.MESSAGE, ByteBuffer.wrap(new byte[] {1, 2}), false);
        b.addCopy(PacketType.MESSAGE, "", true);
        b.addCopy(PacketType.PING, "probe", false);
        assertEquals(5, b.count());
        assertEquals("borrowed é😀", b.text(0).toString());
        assertEquals('é', b.text(0).charAt(9));
        assertEquals("kept", b.text(1));
        assertTrue(b.isBinary(2));
        assertNull(b.text(2));
        assertFalse(b.isBinary(3));
        assertEquals(0, b.text(3).length());
        assertEquals(PacketType.PING, b.type(4));
        assertEquals("probe", b.text(4).toString());
        assertFalse(b.compress(4));
        assertEquals("4borrowed é😀\u241e4kept\u241eb<2 bytes>\u241e4\u241e2probe", b.toString());
        assertThrows(IndexOutOfBoundsException.class, () -> b.text(0).charAt(12));
    }

    @Test
    void theArenaGrowsForManyAndLargeCopiesAndIsReusedAfterClear() {
        WriteBuffer b = new WriteBuffer();
        String big = "ab😀".repeat(10_000);
        for (int i = 0; i < 100; i++) {
            b.addCopy(PacketType.MESSAGE, i == 50 ? big : "m" + i, true);
        }
        for (int i = 0; i < 100; i++) {
            assertEquals(i == 50 ? big : "m" + i, b.text(i).toString());
        }
        int arena = b.arenaChars();
        b.clear();
        assertEquals(0, b.count());
        b.addCopy(PacketType.MESSAGE, new StringBuilder("again"), true);
        assertEquals("again", b.text(0).toString());
        assertEquals(arena, b.arenaChars(), "the arena is kept and reused");
    }

    @Test
    void poolDropsABatchWhoseArenaGrewTooLarge() {
        WriteBuffer.Pool pool = new WriteBuffer.Pool(2);
        WriteBuffer b = pool.acquire();
        b.addCopy(PacketType.MESSAGE, "x".repeat(WriteBuffer.Pool.MAX_POOLED_CHARS + 1), true);
        pool.release(b);
        assertEquals(0, pool.pooled());
        WriteBuffer small = pool.acquire();
        small.addCopy(PacketType.MESSAGE, "x".repeat(WriteBuffer.Pool.MAX_POOLED_CHARS), true);
        pool.release(small);
        assertEquals(1, pool.pooled(), "at the limit it is kept");
    }
}
