package dev.engineionio.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/**
 * The write buffer is held only while packets wait: taken from the loop's {@link WriteBuffer.Pool} when a packet is
 * queued, given back when the transport has taken the packets or the session closes.
 */
class WriteBufferTest {
    private static final EngineConfig CONFIG = EngineConfig.defaults();

    @Test
    void aWebSocketSessionGivesItsBatchBackAfterEverySend() {
        Harness h = new Harness(CONFIG);
        h.webSocketSession(4);
        long created = h.batches.created();
        for (int i = 0; i < 1000; i++) {
            h.session.send("m" + i, true, 0);
            assertEquals(0, h.session.queuedPackets());
            h.session.send("n" + i, true, 0);
            assertEquals(1, h.session.queuedPackets(), "waits for the frame before to be written");
            h.writable(h.currentWs());
            assertEquals(0, h.session.queuedPackets());
            h.writable(h.currentWs());
        }
        assertEquals(1, h.batches.pooled());
        assertEquals(created, h.batches.created(), "every send reused the pooled batch");
    }

    @Test
    void pollingPacketsWaitInOneBatchUntilTheGet() {
        Harness h = new Harness(CONFIG).pollingSession(4);
        int pooledBefore = h.batches.pooled();
        h.session.send("a", true, 0);
        h.session.send(ByteBuffer.wrap(new byte[] {7}), true, 0);
        h.session.send("c", true, 0);
        assertEquals(3, h.session.queuedPackets());
        assertEquals(Math.max(0, pooledBefore - 1), h.batches.pooled(), "the waiting packets hold one batch");
        h.get();
        h.rec.expect("GET2 200 4a\u001ebBw==\u001e4c");
        assertEquals(0, h.session.queuedPackets());
        assertEquals(Math.max(1, pooledBefore), h.batches.pooled());
    }

    @Test
    void closingWithPacketsQueuedGivesTheBatchBack() {
        Harness h = new Harness(CONFIG).pollingSession(4);
        h.session.send("never polled", true, 0);
        assertEquals(1, h.session.queuedPackets());
        h.session.close(true, 0);
        assertEquals(EngineSession.State.CLOSED, h.session.state());
        assertEquals(0, h.session.queuedPackets());
        assertEquals(1, h.batches.pooled());
    }

    @Test
    void aPacketSentWhileTheTransportTakesABatchGoesOutNext() {
        // The drain listener runs after the transport took the batch; what it sends is queued in a fresh batch (the
        // WebSocket is busy with the first frame) and goes out when it is writable, never mixed into the batch being
        // released.
        Recorder rec = new Recorder(EnumSet.of(Recorder.Ev.DRAIN));
        Harness h = new Harness(CONFIG, rec);
        Recorder.Sink ws = h.webSocketSession(4);
        int[] drains = {0};
        rec.onDrain = () -> {
            if (drains[0]++ == 0) {
                h.session.send("second", true, 0);
            }
        };
        h.session.send("first", true, 0);
        rec.expect("WS1 frame 4first", "drain");
        assertEquals(1, h.session.queuedPackets());
        h.writable(h.currentWs());
        rec.expect("WS1 frame 4second", "drain");
        assertEquals(0, h.session.queuedPackets());
        assertEquals(1, h.batches.pooled());
    }

    @Test
    void poolKeepsAtMostItsLimitAndDropsGrownBatches() {
        WriteBuffer.Pool pool = new WriteBuffer.Pool(1);
        WriteBuffer a = pool.acquire();
        WriteBuffer b = pool.acquire();
        assertEquals(2, pool.created());
        pool.release(a);
        pool.release(b);
        assertEquals(1, pool.pooled());
        WriteBuffer big = pool.acquire();
        for (int i = 0; i <= WriteBuffer.Pool.MAX_POOLED_CAPACITY; i++) {
            big.add(dev.engineionio.protocol.PacketType.MESSAGE, "x", true);
        }
        pool.release(big);
        assertEquals(0, pool.pooled(), "a batch grown past the limit is dropped");
        assertEquals(0, big.count(), "released batches are cleared");
        assertThrows(IllegalArgumentException.class, () -> new WriteBuffer.Pool(-1));
    }
}
