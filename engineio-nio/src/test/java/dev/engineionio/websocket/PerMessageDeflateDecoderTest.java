package dev.engineionio.websocket;

import static dev.engineionio.websocket.Frames.KEY;
import static dev.engineionio.websocket.Frames.concat;
import static dev.engineionio.websocket.Frames.frame;
import static dev.engineionio.websocket.Frames.utf8;
import static dev.engineionio.websocket.RecordingHandler.hexOf;
import static dev.engineionio.websocket.WebSocketOpcodes.BINARY;
import static dev.engineionio.websocket.WebSocketOpcodes.CLOSE;
import static dev.engineionio.websocket.WebSocketOpcodes.CONTINUATION;
import static dev.engineionio.websocket.WebSocketOpcodes.PING;
import static dev.engineionio.websocket.WebSocketOpcodes.TEXT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

/**
 * The receive side of RFC 7692: compressed messages inflated whole, split at every byte and fragmented; RSV1 where it
 * may not be (1002); the inflated-size limit (1009) reached with bounded memory; invalid DEFLATE data (1007).
 */
class PerMessageDeflateDecoderTest {

    private static final int CONTEXT_TAKEOVER = PerMessageDeflateNegotiator.agreed(false, false, 0, 0);
    private static final int CLIENT_NO_CONTEXT = PerMessageDeflateNegotiator.agreed(false, true, 0, 0);

    /** Raw DEFLATE of one message with the 00 00 ff ff tail removed, as a client sends it (RFC 7692 §7.2.1). */
    static byte[] deflate(Deflater d, byte[] message) {
        d.setInput(message);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        int n;
        do {
            n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
            out.write(buf, 0, n);
        } while (n == buf.length);
        byte[] all = out.toByteArray();
        assertTrue(all.length >= 4 && all[all.length - 1] == (byte) 0xFF && all[all.length - 2] == (byte) 0xFF);
        return Arrays.copyOf(all, all.length - 4);
    }

    static byte[] deflate(byte[] message) {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        try {
            return deflate(d, message);
        } finally {
            d.end();
        }
    }

    private static byte[] compressed(int opcode, byte[] message) {
        return frame(true, 4, opcode, deflate(message), KEY);
    }

    record Run(List<String> events, WebSocketMessageDecoder.State state, int maxInflateBuffer) {
    }

    private static Run decode(byte[] input, WebSocketLimits limits, int agreed, int[] cuts, Frames.Kind kind,
                              WebSocketMessageDecoder.Delivery delivery) {
        RecordingHandler h = new RecordingHandler();
        WebSocketMessageDecoder d = new WebSocketMessageDecoder(limits, delivery, h);
        ZlibPool pool = new ZlibPool();
        PerMessageDeflateCodec codec = agreed < 0 ? null : new PerMessageDeflateCodec(pool, agreed, 1024);
        d.perMessageDeflate(codec);
        Frames.feed(d, input, cuts, kind);
        int cap = d.inflateBufferCapacity();
        if (codec != null) {
            d.abandon();
            codec.release();
            pool.clear();
        }
        return new Run(h.events, d.state(), cap);
    }

    /** The same events and state for every split point, every buffer kind and both deliveries. */
    private static Run expectEverywhere(byte[] input, WebSocketLimits limits, int agreed) {
        Run whole = decode(input, limits, agreed, new int[] {input.length}, Frames.Kind.HEAP,
                WebSocketMessageDecoder.Delivery.WHOLE_MESSAGE);
        List<int[]> partitions = input.length > 600
                ? Frames.partitions(input.length, 3, 12).subList(0, 1) : Frames.partitions(input.length, 3, 12);
        if (input.length > 600) {
            partitions = new ArrayList<>(partitions);
            partitions.addAll(Frames.partitions(input.length, 5, 12).subList(input.length, input.length + 12));
        }
        for (Frames.Kind kind : Frames.Kind.values()) {
            for (WebSocketMessageDecoder.Delivery delivery : WebSocketMessageDecoder.Delivery.values()) {
                for (int[] cuts : partitions) {
                    Run r = decode(input, limits, agreed, cuts, kind, delivery);
                    assertEquals(whole.events(), r.events(), () -> kind + " " + delivery + " " + Arrays.toString(cuts));
                    assertEquals(whole.state(), r.state());
                }
            }
        }
        return whole;
    }

    private static String text(String s) {
        return "text:" + hexOf(utf8(s));
    }

    @Test
    void inflatesACompressedTextMessageSplitAtEveryByte() {
        String msg = "{\"type\":\"message\",\"data\":\"hello hello hello hello\"}";
        Run r = expectEverywhere(compressed(TEXT, utf8(msg)), WebSocketLimits.DEFAULT, CONTEXT_TAKEOVER);
        assertEquals(List.of(text(msg)), r.events());
    }

    @Test
    void inflatesACompressedBinaryMessageFragmentedIntoSeveralFrames() {
        byte[] msg = Frames.pattern(3000);
        byte[] z = deflate(msg);
        int a = z.length / 3;
        int b = 2 * z.length / 3;
        byte[] input = concat(
                frame(false, 4, BINARY, Arrays.copyOfRange(z, 0, a), KEY),
                frame(true, 0, PING, utf8("p"), KEY), // a control frame between fragments
                frame(false, 0, CONTINUATION, Arrays.copyOfRange(z, a, b), KEY),
                frame(true, 0, CONTINUATION, Arrays.copyOfRange(z, b, z.length), KEY));
        Run r = expectEverywhere(input, WebSocketLimits.DEFAULT, CONTEXT_TAKEOVER);
        assertEquals(List.of("ping:" + hexOf(utf8("p")), "binary:" + hexOf(msg)), r.events());
    }

    @Test
    void keepsTheContextAcrossMessagesWhenTheClientDoes() {
        Deflater client = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        byte[] m = utf8("a repeated sentence, a repeated sentence, a repeated sentence");
        byte[] first = deflate(client, m);
        byte[] second = deflate(client, m); // refers back into the first message's window
        client.end();
        assertTrue(second.length < first.length, "the second message uses the shared context");
        byte[] input = concat(frame(true, 4, TEXT, first, KEY), frame(true, 4, TEXT, second, KEY),
                frame(true, 0, TEXT, m, KEY));
        Run r = expectEverywhere(input, WebSocketLimits.DEFAULT, CONTEXT_TAKEOVER);
        String t = "text:" + hexOf(m);
        assertEquals(List.of(t, t, t), r.events());
    }

    @Test
    void borrowsTheInflaterPerMessageWithClientNoContextTakeover() {
        byte[] m = utf8("no context kept between these messages");
        byte[] input = concat(compressed(TEXT, m), compressed(TEXT, m));
        Run r = expectEverywhere(input, WebSocketLimits.DEFAULT, CLIENT_NO_CONTEXT);
        assertEquals(List.of("text:" + hexOf(m), "text:" + hexOf(m)), r.events());

        ZlibPool pool = new ZlibPool();
        PerMessageDeflateCodec codec = new PerMessageDeflateCodec(pool, CLIENT_NO_CONTEXT, 1024);
        WebSocketMessageDecoder d = new WebSocketMessageDecoder(WebSocketLimits.DEFAULT,
                WebSocketMessageDecoder.Delivery.WHOLE_MESSAGE, new RecordingHandler());
        d.perMessageDeflate(codec);
        d.decode(java.nio.ByteBuffer.wrap(compressed(TEXT, m)));
        assertEquals(1, pool.spareCount(), "the Inflater went back to the loop's pool");
        assertTrue(!codec.ownsStreams(), "the connection owns no zlib stream between messages");
        pool.clear();
    }

    @Test
    void inflatesAnEmptyMessageAndAStreamEndedWithAFinalBlock() {
        Deflater fin = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        fin.setInput(utf8("final block"));
        fin.finish();
        byte[] buf = new byte[100];
        int n = fin.deflate(buf);
        fin.end();
        byte[] input = concat(frame(true, 4, TEXT, new byte[] {0x00}, KEY),
                frame(true, 4, TEXT, Arrays.copyOf(buf, n), KEY), compressed(TEXT, utf8("after")));
        Run r = expectEverywhere(input, WebSocketLimits.DEFAULT, CONTEXT_TAKEOVER);
        assertEquals(List.of("text:", text("final block"), text("after")), r.events());
    }

    @Test
    void rejectsRsv1OnControlFramesAndContinuations() {
        Run ping = expectEverywhere(frame(true, 4, PING, utf8("x"), KEY), WebSocketLimits.DEFAULT, CONTEXT_TAKEOVER);
        assertEquals(List.of("error:COMPRESSED_CONTROL_FRAME"), ping.events());
        Run close = expectEverywhere(frame(true, 4, CLOSE, new byte[] {3, (byte) 0xE8}, KEY),
                WebSocketLimits.DEFAULT, CONTEXT_TAKEOVER);
        assertEquals(List.of("error:COMPRESSED_CONTROL_FRAME"), close.events());
        byte[] z = deflate(utf8("two frames"));
        Run cont = expectEverywhere(concat(frame(false, 4, TEXT, Arrays.copyOf(z, 3), KEY),
                frame(true, 4, CONTINUATION, Arrays.copyOfRange(z, 3, z.length), KEY)),
                WebSocketLimits.DEFAULT, CONTEXT_TAKEOVER);
        assertEquals(List.of("error:COMPRESSED_CONTINUATION"), cont.events());
        assertEquals(WebSocketCloseCodes.PROTOCOL_ERROR, WebSocketError.COMPRESSED_CONTINUATION.closeCode());
        assertEquals(WebSocketCloseCodes.PROTOCOL_ERROR, WebSocketError.COMPRESSED_CONTROL_FRAME.closeCode());
    }

    @Test
    void rejectsACompressedMessageWhenNothingWasNegotiatedAndRsv2Rsv3Always() {
        Run none = expectEverywhere(compressed(TEXT, utf8("x")), WebSocketLimits.DEFAULT, -1);
        assertEquals(List.of("error:RESERVED_BITS"), none.events());
        for (int rsv : new int[] {1, 2, 3, 5, 6, 7}) {
            Run r = expectEverywhere(frame(true, rsv, TEXT, utf8("x"), KEY), WebSocketLimits.DEFAULT,
                    CONTEXT_TAKEOVER);
            assertEquals(List.of("error:RESERVED_BITS"), r.events(), "rsv " + rsv);
        }
        assertEquals(WebSocketCloseCodes.PROTOCOL_ERROR, WebSocketError.RESERVED_BITS.closeCode());
    }

    @Test
    void acceptsAnInflatedMessageOfExactlyTheLimitAndRejectsOneByteMore() {
        WebSocketLimits limits = new WebSocketLimits(1 << 20, 5000, 16);
        byte[] exact = new byte[5000];
        Arrays.fill(exact, (byte) 'a');
        Run ok = expectEverywhere(compressed(BINARY, exact), limits, CONTEXT_TAKEOVER);
        assertEquals(List.of("binary:" + hexOf(exact)), ok.events());
        Run over = expectEverywhere(compressed(BINARY, Arrays.copyOf(exact, 5001)), limits, CONTEXT_TAKEOVER);
        assertEquals(List.of("error:INFLATED_MESSAGE_TOO_LARGE"), over.events());
        assertEquals(WebSocketCloseCodes.MESSAGE_TOO_BIG, WebSocketError.INFLATED_MESSAGE_TOO_LARGE.closeCode());
    }

    @Test
    void stopsADeflateBombAfterOneLimitsWorthOfOutput() {
        // About 10 KB on the wire that would inflate to 10 MB; the limit is 1 MB.
        byte[] zeros = new byte[10 << 20];
        byte[] bomb = compressed(BINARY, zeros);
        assertTrue(bomb.length < 20_000, "bomb of " + bomb.length + " bytes");
        WebSocketLimits limits = new WebSocketLimits(1 << 20, 1 << 20, 16);
        for (WebSocketMessageDecoder.Delivery delivery : WebSocketMessageDecoder.Delivery.values()) {
            for (int chunk : new int[] {bomb.length, 1000, 7}) {
                int[] cuts = new int[(bomb.length + chunk - 1) / chunk];
                for (int i = 0; i < cuts.length; i++) {
                    cuts[i] = Math.min(bomb.length, (i + 1) * chunk);
                }
                RecordingHandler h = new RecordingHandler();
                WebSocketMessageDecoder d = new WebSocketMessageDecoder(limits, delivery, h);
                ZlibPool pool = new ZlibPool();
                PerMessageDeflateCodec codec = new PerMessageDeflateCodec(pool, CONTEXT_TAKEOVER, 1024);
                d.perMessageDeflate(codec);
                int capSeen = 0;
                int consumed = 0;
                for (int cut : cuts) {
                    // A copy: the decoder unmasks in place.
                    java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(Arrays.copyOfRange(bomb, consumed, cut));
                    WebSocketMessageDecoder.State s = d.decode(b);
                    capSeen = Math.max(capSeen, d.inflateBufferCapacity());
                    consumed = cut;
                    if (s != WebSocketMessageDecoder.State.OPEN) {
                        break;
                    }
                }
                assertEquals(WebSocketMessageDecoder.State.FAILED, d.state());
                assertTrue(capSeen <= (1 << 20) + 1, "inflate buffer " + capSeen);
                if (delivery == WebSocketMessageDecoder.Delivery.WHOLE_MESSAGE) {
                    assertEquals(List.of("error:INFLATED_MESSAGE_TOO_LARGE"), h.events);
                } else {
                    assertEquals("error:INFLATED_MESSAGE_TOO_LARGE", h.events.get(h.events.size() - 1));
                }
                codec.release();
                pool.clear();
            }
        }
    }

    @Test
    void rejectsInvalidDeflateDataWith1007() {
        byte[] garbage = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x12, 0x34};
        Run r = expectEverywhere(frame(true, 4, BINARY, garbage, KEY), WebSocketLimits.DEFAULT, CONTEXT_TAKEOVER);
        assertEquals(List.of("error:INVALID_COMPRESSED_DATA"), r.events());
        assertEquals(WebSocketCloseCodes.INVALID_PAYLOAD_DATA, WebSocketError.INVALID_COMPRESSED_DATA.closeCode());
    }

    @Test
    void validatesInflatedTextAsUtf8() {
        byte[] bad = {'o', 'k', (byte) 0xC3, 0x28};
        Run r = expectEverywhere(compressed(TEXT, bad), WebSocketLimits.DEFAULT, CONTEXT_TAKEOVER);
        assertEquals(List.of("error:INVALID_UTF8"), r.events());
        byte[] cut = {'o', 'k', (byte) 0xE2, (byte) 0x82};
        Run r2 = expectEverywhere(compressed(TEXT, cut), WebSocketLimits.DEFAULT, CONTEXT_TAKEOVER);
        assertEquals(List.of("error:INVALID_UTF8"), r2.events());
    }

    @Test
    void givesTheBorrowedInflaterBackWhenAMessageIsAbandoned() {
        ZlibPool pool = new ZlibPool();
        PerMessageDeflateCodec codec = new PerMessageDeflateCodec(pool, CLIENT_NO_CONTEXT, 1024);
        WebSocketMessageDecoder d = new WebSocketMessageDecoder(WebSocketLimits.DEFAULT,
                WebSocketMessageDecoder.Delivery.WHOLE_MESSAGE, new RecordingHandler());
        d.perMessageDeflate(codec);
        byte[] z = deflate(utf8("half a message"));
        d.decode(java.nio.ByteBuffer.wrap(frame(false, 4, TEXT, z, KEY)));
        assertEquals(0, pool.spareCount(), "held while the message is open");
        d.abandon();
        assertEquals(1, pool.spareCount());
        pool.clear();
    }
}
