package dev.engineionio.bench.load;

import java.nio.ByteBuffer;

/**
 * Idle scenario session: opens, then only answers the server's pings (in {@link WsConn}) until the run ends.
 *
 * <p>Thread: the loop thread only. Small buffers (1 KiB in, 256 B out) so 10,000 of them stay cheap.
 */
final class WsIdleConn extends WsConn {

    WsIdleConn(ClientLoop loop, int seed) {
        super(loop, 1024, 256, seed);
    }

    @Override
    void onOpen(long nowNs) {
        loop.histogram.record(nowNs - connectStartNs);
        loop.ops++;
    }

    @Override
    void onMessage(ByteBuffer buf, int start, int length, long nowNs) {
        if (loop.options.sink) {
            if (loop.delivered++ == 0) {
                loop.firstDeliveryNs = nowNs;
            }
            loop.lastDeliveryNs = nowNs;
            return;
        }
        fail("message on an idle session");
    }
}
