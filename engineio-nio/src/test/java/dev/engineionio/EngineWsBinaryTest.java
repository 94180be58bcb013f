package dev.engineionio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Binary messages over an Engine.IO WebSocket reach {@code onBinary} intact when many arrive in one read, mixed with
 * text and of sizes on both sides of the frame writer's copy threshold: the bridge hands each binary packet to the
 * session through one view per loop, re-pointed for every packet, so a stale position or limit would show here.
 */
class EngineWsBinaryTest {

    private EngineServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void binaryAndTextEchoesInOrderWhenBatchedInOneWrite() throws Exception {
        List<byte[]> received = java.util.Collections.synchronizedList(new ArrayList<>());
        server = EngineServer.builder().listen("127.0.0.1", 0).eventLoops(1)
                .pingInterval(Duration.ofMinutes(1)).pingTimeout(Duration.ofMinutes(1))
                .onConnection(s -> s.onMessage(s::send).onBinary(b -> {
                    received.add(b);
                    s.send(b);
                }))
                .build().start();
        Random random = new Random(20261125L);
        int[] sizes = {0, 1, 7, 125, 126, 1023, 1024, 1025, 3000, 65_535, 65_536, 5, 2};
        try (RawClient c = new RawClient(server.port())) {
            assertEquals(101, c.upgrade("/engine.io/?EIO=4&transport=websocket").status);
            assertEquals('0', (char) c.readFrame().payload()[0]); // open packet
            List<byte[]> sent = new ArrayList<>();
            ByteArrayOutputStream batch = new ByteArrayOutputStream();
            for (int i = 0; i < sizes.length; i++) {
                byte[] b = new byte[sizes[i]];
                random.nextBytes(b);
                sent.add(b);
                batch.write(frame(2, b));
                batch.write(frame(1, ("4t" + i).getBytes(StandardCharsets.US_ASCII)));
            }
            c.send(batch.toByteArray()); // every frame in one write: several packets per read
            for (int i = 0; i < sizes.length; i++) {
                RawClient.Frame f = c.readFrame();
                assertEquals(2, f.opcode(), "frame " + i);
                assertArrayEquals(sent.get(i), f.payload(), "binary echo " + i + " of " + sizes[i] + " bytes");
                RawClient.Frame t = c.readFrame();
                assertEquals("4t" + i, new String(t.payload(), StandardCharsets.US_ASCII));
            }
            assertEquals(sizes.length, received.size());
            for (int i = 0; i < sizes.length; i++) {
                assertArrayEquals(sent.get(i), received.get(i), "onBinary " + i);
            }
        }
    }

    /** One masked client frame (mask key 0x5A 0x17 0xC3 0x08). */
    private static byte[] frame(int opcode, byte[] payload) {
        return RawClient.maskedFrame(opcode, true, payload, new byte[] {0x5A, 0x17, (byte) 0xC3, 0x08});
    }
}
