package dev.engineionio.bench.load;

import java.nio.ByteBuffer;

/**
 * Handshake churn session: connect, WebSocket upgrade, wait for the Engine.IO open packet, close handshake; the
 * {@link LoadMain} driver then connects it again until the end of the window. A handshake counts when its open packet
 * arrives inside the measured window; its latency is connect start to open packet.
 *
 * <p>Thread: the loop thread only.
 */
final class WsChurnConn extends WsConn {

    WsChurnConn(ClientLoop loop, int seed) {
        super(loop, 4096, 1024, seed);
    }

    @Override
    void onOpen(long nowNs) {
        if (loop.measuring(nowNs)) {
            loop.histogram.record(nowNs - connectStartNs);
            loop.ops++;
        }
        beginClose(nowNs);
    }

    @Override
    void onMessage(ByteBuffer buf, int start, int length, long nowNs) {
        fail("message on a session that sent none");
    }
}
