package dev.engineionio.server;

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

/** The SSE replay buffer against a plain list model: what it keeps, what it replays, its bound. */
class SseReplayBufferTest {

    private static void append(SseReplayBuffer b, byte[] event) {
        ByteBuffer src = ByteBuffer.allocate(event.length + 7);
        src.position(3).put(event);
        b.append(src, 3, event.length);
    }

    private static byte[] replay(SseReplayBuffer b, long lastSeq) {
        ByteBuffer dst = ByteBuffer.allocate(b.replayLength(lastSeq));
        b.replay(lastSeq, dst);
        assertEquals(0, dst.remaining());
        return dst.array();
    }

    @Test
    void keepsTheMostRecentEventsWithinTheLimitAndReplaysThemInOrder() {
        Random rnd = new Random(42);
        for (int limit : new int[] {0, 1, 100, 257, 4096}) {
            SseReplayBuffer b = new SseReplayBuffer(limit);
            List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                byte[] e = new byte[1 + rnd.nextInt(limit < 10 ? 5 : limit / 3)];
                rnd.nextBytes(e);
                append(b, e);
                sent.add(e);
                assertTrue(b.size() <= limit, "bound");
                assertTrue(b.capacity() <= Math.max(limit, 256), "capacity bound");
                long next = b.nextSeq();
                assertEquals(sent.size() + 1, next);
                // the model: the longest suffix of events that fits
                long first = next;
                int total = 0;
                while (first > 1 && total + sent.get((int) first - 2).length <= limit) {
                    total += sent.get((int) first - 2).length;
                    first--;
                }
                assertEquals(first, b.firstSeq(), "first kept seq at " + i + ", limit " + limit);
                long last = first - 1 + rnd.nextInt((int) (next - first + 1));
                assertTrue(b.canResumeAfter(last));
                ByteArrayOutputStream want = new ByteArrayOutputStream();
                for (long q = last + 1; q < next; q++) {
                    want.writeBytes(sent.get((int) q - 1));
                }
                assertArrayEquals(want.toByteArray(), replay(b, last));
                assertFalse(b.canResumeAfter(next), "an event never sent");
                if (first > 1) {
                    assertFalse(b.canResumeAfter(first - 2), "an event no longer kept");
                }
            }
        }
    }

    @Test
    void anEventLargerThanTheLimitEmptiesTheBuffer() {
        SseReplayBuffer b = new SseReplayBuffer(10);
        append(b, new byte[] {1, 2, 3});
        append(b, new byte[11]);
        assertEquals(0, b.size());
        assertEquals(3, b.firstSeq());
        assertTrue(b.canResumeAfter(2));
        assertFalse(b.canResumeAfter(1));
        append(b, new byte[] {9});
        assertArrayEquals(new byte[] {9}, replay(b, 2));
    }

    @Test
    void holdsNoMemoryBeforeTheFirstEvent() {
        assertEquals(0, new SseReplayBuffer(65536).capacity());
    }

    @Test
    void anAcknowledgementReleasesEventsAndAnEmptyBufferItsArrays() {
        SseReplayBuffer b = new SseReplayBuffer(1000);
        append(b, new byte[] {1});
        append(b, new byte[] {2, 2});
        append(b, new byte[] {3, 3, 3});
        b.releaseThrough(1);
        assertEquals(2, b.firstSeq());
        assertEquals(5, b.size());
        assertFalse(b.canResumeAfter(0));
        assertArrayEquals(new byte[] {2, 2, 3, 3, 3}, replay(b, 1));
        b.releaseThrough(7); // never sent: ignored
        b.releaseThrough(0); // already released: ignored
        assertEquals(2, b.firstSeq());
        b.releaseThrough(3);
        assertEquals(0, b.size());
        assertEquals(0, b.capacity(), "arrays given back");
        assertTrue(b.canResumeAfter(3));
        append(b, new byte[] {4});
        assertArrayEquals(new byte[] {4}, replay(b, 3));
    }
}
