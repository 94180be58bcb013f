package dev.engineionio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.engineionio.websocket.ZlibPool;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * permessage-deflate end to end over TCP, in the manner of Autobahn|Testsuite sections 12 and 13: every parameter
 * combination a client may offer, messages of 16 B to 128 KiB, text and binary, sent in frames of 1 B to 64 KiB,
 * echoed intact and in order by a raw endpoint and by the Engine.IO WebSocket transport; the frame rules and the
 * inflated-size limit on the wire; no zlib stream outlives its connection.
 */
class PerMessageDeflateEchoTest {

    private static final int[] SIZES = {16, 64, 125, 126, 1000, 1024, 4096, 16384, 65535, 65536, 131072};
    private static final int[] FRAGMENTS = {Integer.MAX_VALUE, 1, 64, 1024, 16384, 65536, 7};

    private EngineServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static final WebSocketHandler ECHO = new WebSocketHandler() {
        @Override
        public void onText(WebSocketSession session, String text) {
            session.sendText(text);
        }

        @Override
        public void onBinary(WebSocketSession session, ByteBuffer data) {
            session.sendBinary(data);
        }
    };

    private int startRaw(PerMessageDeflate options, int maxMessage) throws IOException {
        EngineServer.Builder b = EngineServer.builder().eventLoops(1).webSocket("/echo", ECHO)
                .webSocketPerMessageDeflate(options);
        if (maxMessage > 0) {
            b.webSocketMaxMessageSize(maxMessage);
        }
        server = b.build().start();
        return server.port();
    }

    /** JSON-like text of exactly {@code size} UTF-8 bytes: compressible, as the chatty traffic the option is for. */
    static String json(int size, int seed) {
        StringBuilder s = new StringBuilder(size);
        Random r = new Random(seed);
        int bytes = 0;
        while (true) {
            String item = "{\"id\":" + r.nextInt(1000) + ",\"type\":\"update\",\"value\":" + r.nextInt(100000)
                    + ",\"tags\":[\"a\",\"b\"],\"é\":\"ü\"},";
            int n = item.getBytes(StandardCharsets.UTF_8).length;
            if (bytes + n > size) {
                break;
            }
            s.append(item);
            bytes += n;
        }
        return s + "x".repeat(size - bytes);
    }

    static byte[] random(int size, int seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Every offer a client may make: the no-context-takeover flags, a server window of 15, client windows. */
    static List<String[]> offers() {
        List<String[]> out = new ArrayList<>();
        String[] cmwb = {null, "client_max_window_bits", "client_max_window_bits=8", "client_max_window_bits=12",
            "client_max_window_bits=15"};
        for (int mask = 0; mask < 8; mask++) {
            for (String c : cmwb) {
                StringBuilder offer = new StringBuilder("permessage-deflate");
                StringBuilder answer = new StringBuilder("permessage-deflate");
                if ((mask & 1) != 0) {
                    offer.append("; server_no_context_takeover");
                    answer.append("; server_no_context_takeover");
                }
                if ((mask & 2) != 0) {
                    offer.append("; client_no_context_takeover");
                    answer.append("; client_no_context_takeover");
                }
                if ((mask & 4) != 0) {
                    offer.append("; server_max_window_bits=15");
                    answer.append("; server_max_window_bits=15");
                }
                if (c != null) {
                    offer.append("; ").append(c);
                    if (c.contains("=")) {
                        answer.append("; ").append(c);
                    }
                }
                out.add(new String[] {offer.toString(), answer.toString()});
            }
        }
        return out;
    }

    private static void echo(DeflateClient c, int opcode, byte[] message, int fragment, int seq) throws IOException {
        c.send(opcode, message, fragment, true);
        DeflateClient.Message m = c.read();
        assertEquals(opcode, m.opcode(), "message " + seq);
        assertArrayEquals(message, m.payload(), "message " + seq + " of " + message.length + " bytes");
    }

    @Test
    void echoesEverySizeFragmentationAndOfferIntactAndInOrder() throws IOException {
        int port = startRaw(PerMessageDeflate.DEFAULTS, 0);
        int seq = 0;
        for (String[] offer : offers()) {
            try (DeflateClient c = new DeflateClient(port, "/echo", offer[0])) {
                assertEquals(101, c.status);
                assertEquals(offer[1], c.extensions(), offer[0]);
                boolean snct = offer[1].contains("server_no_context_takeover");
                // Small messages pipelined: their echoes come back in order.
                List<byte[]> sent = new ArrayList<>();
                for (int size : new int[] {16, 64, 125, 126, 1000, 1023, 1024, 4096}) {
                    byte[] m = json(size, seq).getBytes(StandardCharsets.UTF_8);
                    c.send(1, m, FRAGMENTS[seq++ % FRAGMENTS.length], true);
                    sent.add(m);
                }
                for (byte[] m : sent) {
                    DeflateClient.Message r = c.read();
                    assertEquals(1, r.opcode());
                    assertArrayEquals(m, r.payload());
                    // ws's rule: with the server's context kept every message is compressed, else from 1024 bytes.
                    assertEquals(!snct || m.length >= 1024, r.compressed(), m.length + " bytes, " + offer[1]);
                }
                // Three sizes per offer, rotating, so that every size meets every kind of offer across the run.
                for (int j = 0; j < 3; j++) {
                    int size = SIZES[(seq / 3 + j * 4) % SIZES.length];
                    int frag = FRAGMENTS[seq % FRAGMENTS.length];
                    if (frag < 64 && size > 4096) {
                        frag = 64; // 1-byte frames of a large compressed message: covered below, once
                    }
                    echo(c, 1, json(size, seq).getBytes(StandardCharsets.UTF_8), frag, seq++);
                    echo(c, 2, random(size, seq), FRAGMENTS[seq % FRAGMENTS.length] < 64 ? 64
                            : FRAGMENTS[seq % FRAGMENTS.length], seq++);
                }
            }
        }
    }

    @Test
    void inflatesALargeMessageSentInOneByteFrames() throws IOException {
        int port = startRaw(PerMessageDeflate.DEFAULTS, 0);
        try (DeflateClient c = new DeflateClient(port, "/echo", "permessage-deflate")) {
            byte[] m = random(16384, 1);
            echo(c, 2, m, 1, 0); // incompressible: about 16 KiB of 1-byte frames
            byte[] t = json(131072, 2).getBytes(StandardCharsets.UTF_8);
            echo(c, 1, t, 1, 1);
        }
    }

    @Test
    void sendsUncompressedWhenTheClientOffersNothingOrTheOptionIsOff() throws IOException {
        int port = startRaw(PerMessageDeflate.DEFAULTS, 0);
        try (DeflateClient c = new DeflateClient(port, "/echo", null)) {
            assertNull(c.extensions());
            c.send(1, "plain".getBytes(StandardCharsets.UTF_8), 100, false);
            DeflateClient.Message m = c.read();
            assertFalse(m.compressed());
            assertEquals("plain", m.text());
        }
        server.close();
        port = startRaw(null, 0);
        try (DeflateClient c = new DeflateClient(port, "/echo", "permessage-deflate")) {
            assertNull(c.extensions(), "off by default: the offer is ignored");
            c.send(1, "compressed anyway".getBytes(StandardCharsets.UTF_8), 100, true);
            DeflateClient.Message m = c.read();
            assertEquals(8, m.opcode());
            assertEquals(1002, m.closeCode());
        }
    }

    @Test
    void closesWith1002ForRsv1OnControlAndContinuationFrames() throws IOException {
        int port = startRaw(PerMessageDeflate.DEFAULTS, 0);
        try (DeflateClient c = new DeflateClient(port, "/echo", "permessage-deflate")) {
            c.frame(0x80 | 0x40 | 9, new byte[] {1}); // compressed ping
            assertEquals(1002, c.read().closeCode());
        }
        try (DeflateClient c = new DeflateClient(port, "/echo", "permessage-deflate")) {
            byte[] z = c.deflate("split in two".getBytes(StandardCharsets.UTF_8));
            c.frame(0x40 | 1, java.util.Arrays.copyOf(z, 4));
            c.frame(0x80 | 0x40, java.util.Arrays.copyOfRange(z, 4, z.length)); // RSV1 on a continuation
            assertEquals(1002, c.read().closeCode());
        }
        try (DeflateClient c = new DeflateClient(port, "/echo", "permessage-deflate")) {
            c.frame(0x80 | 0x40 | 1, new byte[] {(byte) 0xFF, (byte) 0xFF, 0x01}); // not DEFLATE
            assertEquals(1007, c.read().closeCode());
        }
    }

    @Test
    void closesADeflateBombWith1009AfterAtMostTheLimit() throws IOException {
        int port = startRaw(PerMessageDeflate.DEFAULTS, 100_000);
        long deflatersBefore = ZlibPool.liveDeflaters();
        for (int i = 0; i < 20; i++) { // a flood of bombs, one per connection
            try (DeflateClient c = new DeflateClient(port, "/echo", "permessage-deflate")) {
                byte[] bomb = c.deflate(new byte[8 << 20]); // about 8 KB inflating to 8 MiB
                assertTrue(bomb.length < 10_000);
                c.frame(0x80 | 0x40 | 2, bomb);
                assertEquals(1009, c.read().closeCode());
                assertTrue(c.awaitEof());
            }
        }
        try (DeflateClient c = new DeflateClient(port, "/echo", "permessage-deflate")) {
            byte[] exact = new byte[100_000];
            echo(c, 2, exact, Integer.MAX_VALUE, 0); // exactly the limit inflated: fine
        }
        assertTrue(ZlibPool.liveDeflaters() <= deflatersBefore + 1);
    }

    @Test
    void compressesOnTheEngineIoTransportAndLimitsInflatedPacketsByMaxHttpBufferSize() throws IOException {
        server = EngineServer.builder().eventLoops(1).perMessageDeflate(true).maxHttpBufferSize(10_000)
                .onConnection(s -> s.onMessage(s::send)).build().start();
        try (DeflateClient c = new DeflateClient(server.port(), "/engine.io/?EIO=4&transport=websocket",
                "permessage-deflate; client_max_window_bits")) {
            assertEquals("permessage-deflate", c.extensions());
            DeflateClient.Message open = c.read();
            assertTrue(open.text().startsWith("0{\"sid\":"), open.text());
            assertTrue(open.compressed(), "ws compresses every message when the server keeps its context");
            String big = "4" + json(5000, 1);
            c.send(1, big.getBytes(StandardCharsets.UTF_8), 1000, true);
            DeflateClient.Message echo = c.read();
            assertTrue(echo.compressed());
            assertEquals(big, echo.text());
            c.send(1, ("4" + "z".repeat(10_000)).getBytes(StandardCharsets.UTF_8), 1 << 20, true);
            assertEquals(1009, c.read().closeCode());
        }
    }

    @Test
    void endsEveryZlibStreamAcrossTenThousandConnections() throws IOException {
        int port = startRaw(PerMessageDeflate.DEFAULTS, 0);
        long deflaters = ZlibPool.liveDeflaters();
        long inflaters = ZlibPool.liveInflaters();
        byte[] msg = "{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8);
        String[] offers = {"permessage-deflate", "permessage-deflate; server_no_context_takeover; "
                + "client_no_context_takeover"};
        for (int i = 0; i < 10_000; i++) {
            try (DeflateClient c = new DeflateClient(port, "/echo", offers[i & 1])) {
                switch (i % 4) {
                    case 0 -> { // a message each way, then the client's Close
                        echo(c, 1, msg, Integer.MAX_VALUE, i);
                        c.frame(0x88, new byte[] {3, (byte) 0xE8});
                        assertEquals(1000, c.read().closeCode());
                    }
                    case 1 -> { // half a compressed message, then the socket drops
                        byte[] z = c.deflate(msg);
                        c.frame(0x40 | 1, java.util.Arrays.copyOf(z, 3));
                        c.socket.setSoLinger(true, 0);
                    }
                    case 2 -> { // a protocol error in the middle of a compressed message
                        byte[] z = c.deflate(msg);
                        c.frame(0x40 | 1, java.util.Arrays.copyOf(z, 3));
                        c.frame(0x80 | 0x40, java.util.Arrays.copyOfRange(z, 3, z.length));
                        assertEquals(1002, c.read().closeCode());
                    }
                    default -> { // a message, then EOF
                        echo(c, 2, msg, 3, i);
                    }
                }
            }
        }
        // Wait (by events, not time) for the server to have seen every close: its count of clients drains to 0.
        try (DeflateClient c = new DeflateClient(port, "/echo", "permessage-deflate")) {
            echo(c, 1, msg, Integer.MAX_VALUE, -1);
        }
        long leftDeflaters = -1;
        long leftInflaters = -1;
        for (int spins = 0; spins < 2_000; spins++) {
            leftDeflaters = ZlibPool.liveDeflaters() - deflaters;
            leftInflaters = ZlibPool.liveInflaters() - inflaters;
            if (leftDeflaters <= ZlibPool.MAX_SPARE && leftInflaters <= ZlibPool.MAX_SPARE) {
                break;
            }
            Thread.onSpinWait();
            try (DeflateClient c = new DeflateClient(port, "/echo", null)) {
                c.send(1, msg, 100, false);
                c.read(); // one round trip through the loop: earlier closes are processed by then
            }
        }
        // What is left is at most the loop's spare streams (the pool keeps up to MAX_SPARE of each).
        assertTrue(leftDeflaters <= ZlibPool.MAX_SPARE, "deflaters left " + leftDeflaters);
        assertTrue(leftInflaters <= ZlibPool.MAX_SPARE, "inflaters left " + leftInflaters);
    }
}
