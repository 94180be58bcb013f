package dev.engineionio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * WebSocket connections of one loop borrow the loop's message decoder for a read and give it back between messages:
 * a connection holding half a frame or half a fragmented message keeps its decoder while others on the same loop
 * read whole messages, and every message arrives intact, in order, on the right session. The server closing an idle
 * WebSocket (no decoder held) still answers the peer's Close as a reply, not with a second Close.
 */
class EngineWsDecoderLendingTest {

    private static final byte[] MASK = {0x0A, 0x0B, 0x0C, 0x0D};

    private EngineServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static byte[] text(String s, boolean fin, int opcode) {
        return RawClient.maskedFrame(opcode, fin, s.getBytes(StandardCharsets.UTF_8), MASK);
    }

    @Test
    void splitFramesAndFragmentsOnOneConnectionDoNotDisturbAnotherOnTheSameLoop() throws Exception {
        server = EngineServer.builder().listen("127.0.0.1", 0).eventLoops(1)
                .pingInterval(Duration.ofMinutes(1)).pingTimeout(Duration.ofMinutes(1))
                .onConnection(s -> s.onMessage(s::send))
                .build().start();
        try (RawClient a = new RawClient(server.port()); RawClient b = new RawClient(server.port())) {
            for (RawClient c : new RawClient[] {a, b}) {
                assertEquals(101, c.upgrade("/engine.io/?EIO=4&transport=websocket").status);
                c.readFrame();
            }
            for (int i = 0; i < 30; i++) {
                // a: one frame in three writes; b: whole messages in between, each echoed before a goes on
                byte[] fa = text("4a" + i + "-é😀", true, 1);
                a.send(Arrays.copyOfRange(fa, 0, 3));
                b.send(text("4b" + i, true, 1));
                assertEquals("4b" + i, b.readFrame().text());
                a.send(Arrays.copyOfRange(fa, 3, 9));
                b.send(text("4bb" + i, true, 1));
                assertEquals("4bb" + i, b.readFrame().text());
                a.send(Arrays.copyOfRange(fa, 9, fa.length));
                assertEquals("4a" + i + "-é😀", a.readFrame().text());
                // b: a fragmented message around a's whole one
                b.send(text("4frag", false, 1));
                a.send(text("4whole" + i, true, 1));
                assertEquals("4whole" + i, a.readFrame().text());
                b.send(text("ment" + i, true, 0));
                assertEquals("4fragment" + i, b.readFrame().text());
            }
        }
    }

    @Test
    void theServersCloseOfAnIdleWebSocketIsAnsweredOnce() throws Exception {
        java.util.concurrent.BlockingQueue<EngineSocket> sockets = new java.util.concurrent.LinkedBlockingQueue<>();
        java.util.concurrent.BlockingQueue<String> closes = new java.util.concurrent.LinkedBlockingQueue<>();
        server = EngineServer.builder().listen("127.0.0.1", 0).eventLoops(1)
                .pingInterval(Duration.ofMinutes(1)).pingTimeout(Duration.ofMinutes(1))
                .onConnection(s -> {
                    s.onClose((reason, d) -> closes.add(reason));
                    sockets.add(s);
                })
                .build().start();
        try (RawClient c = new RawClient(server.port())) {
            assertEquals(101, c.upgrade("/engine.io/?EIO=4&transport=websocket").status);
            c.readFrame();
            c.send(text("4x", true, 1)); // one read: a decoder is borrowed and given back
            EngineSocket s = sockets.poll(20, java.util.concurrent.TimeUnit.SECONDS);
            s.close();
            RawClient.Frame close = c.readFrame();
            assertEquals(8, close.opcode(), "the server's Close");
            c.send(RawClient.maskedFrame(8, true, new byte[] {0x03, (byte) 0xE8}, MASK)); // our answer
            assertEquals("forced close", closes.poll(20, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(0, c.readToEof().length, "no second Close: the connection just ends");
        }
    }
}
