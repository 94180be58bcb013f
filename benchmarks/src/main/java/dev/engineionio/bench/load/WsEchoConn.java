package dev.engineionio.bench.load;

import java.nio.ByteBuffer;

/**
 * WS echo scenario session: after the open packet it keeps {@code --inflight} messages of {@code --size} bytes in
 * flight; each echo (the server answers in order) is timed against its send time, kept in a ring, and replaced by a
 * new message until the end of the measured window. Echo content is checked by length (and first byte). With
 * {@code --socketio} the message is the event {@code 42["echo","<--size bytes>"]} and the echo the same event.
 *
 * <p>Thread: the loop thread only. Allocates nothing per message.
 */
final class WsEchoConn extends WsConn {

    private final byte[] message;
    private final long[] sentNs;
    private int head;
    private int inFlight;

    WsEchoConn(ClientLoop loop, int seed) {
        super(loop, readCapacity(loop.options), readCapacity(loop.options), seed);
        this.message = loop.options.echoData();
        this.sentNs = new long[loop.options.inflight];
    }

    static int readCapacity(LoadOptions o) {
        return Math.max(4096, 2 * o.inflight * WsFrames.frameSize(o.echoData().length + 1));
    }

    @Override
    void onOpen(long nowNs) {
        for (int i = 0; i < sentNs.length; i++) {
            send(nowNs);
        }
    }

    private void send(long nowNs) {
        if (sendFrame(WsFrames.OP_TEXT, '4', message, 0, message.length + 1)) {
            sentNs[(head + inFlight) % sentNs.length] = nowNs;
            inFlight++;
        }
    }

    @Override
    void onMessage(ByteBuffer buf, int start, int length, long nowNs) {
        if (inFlight == 0 || length != message.length || (length > 0 && buf.get(start) != message[0])) {
            fail("unexpected echo of " + length + " bytes with " + inFlight + " in flight");
            return;
        }
        long rtt = nowNs - sentNs[head];
        head = (head + 1) % sentNs.length;
        inFlight--;
        if (loop.measuring(nowNs)) {
            loop.histogram.record(rtt);
            loop.ops++;
        }
        deadlineNs = nowNs + (long) (loop.options.timeoutS * 1e9);
        if (nowNs - loop.endNs < 0) {
            send(nowNs);
        } else if (inFlight == 0) {
            done = true;
        }
    }
}
