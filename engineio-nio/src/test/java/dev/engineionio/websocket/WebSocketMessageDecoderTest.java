package dev.engineionio.websocket;

import static dev.engineionio.websocket.Frames.KEY;
import static dev.engineionio.websocket.Frames.bytes;
import static dev.engineionio.websocket.Frames.close;
import static dev.engineionio.websocket.Frames.concat;
import static dev.engineionio.websocket.Frames.frame;
import static dev.engineionio.websocket.Frames.masked;
import static dev.engineionio.websocket.Frames.pattern;
import static dev.engineionio.websocket.Frames.text;
import static dev.engineionio.websocket.Frames.utf8;
import static dev.engineionio.websocket.RecordingHandler.hexOf;
import static dev.engineionio.websocket.WebSocketOpcodes.BINARY;
import static dev.engineionio.websocket.WebSocketOpcodes.CLOSE;
import static dev.engineionio.websocket.WebSocketOpcodes.CONTINUATION;
import static dev.engineionio.websocket.WebSocketOpcodes.PING;
import static dev.engineionio.websocket.WebSocketOpcodes.PONG;
import static dev.engineionio.websocket.WebSocketOpcodes.TEXT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The RFC 6455 rules, case by case in the order of the Autobahn|Testsuite sections 1-10, each fed every way. */
class WebSocketMessageDecoderTest {

    private static final WebSocketLimits SMALL = new WebSocketLimits(100, 200, 4);

    /** Result of decoding one input. */
    record Outcome(List<String> events, WebSocketMessageDecoder.State state, int consumed) {
    }

    private static Outcome decode(byte[] input, WebSocketLimits limits, WebSocketMessageDecoder.Delivery delivery,
            int[] cuts, Frames.Kind kind) {
        RecordingHandler h = new RecordingHandler();
        WebSocketMessageDecoder d = new WebSocketMessageDecoder(limits, delivery, h);
        int consumed = Frames.feed(d, input, cuts, kind);
        // After a protocol error the position is unspecified (the driver drops the connection's input).
        return new Outcome(h.events, d.state(), d.state() == WebSocketMessageDecoder.State.FAILED ? -1 : consumed);
    }

    /**
     * Decodes {@code input} whole and asserts the same outcome for every split point, single bytes, random partitions,
     * every buffer kind and both delivery modes.
     */
    private static Outcome expectEverywhere(byte[] input, WebSocketLimits limits) {
        Outcome whole = decode(input, limits, WebSocketMessageDecoder.Delivery.WHOLE_MESSAGE,
                new int[] {input.length}, Frames.Kind.HEAP);
        List<int[]> partitions = Frames.partitions(input.length, input.length, 8);
        if (input.length > 400) {
            partitions = partitions.subList(0, 1);
            partitions = new ArrayList<>(partitions);
            partitions.addAll(Frames.partitions(input.length, 5, 8).subList(input.length, input.length + 9));
            for (int i = 1; i < 20; i++) {
                partitions.add(new int[] {i, input.length});
                partitions.add(new int[] {input.length - i, input.length});
            }
        }
        for (Frames.Kind kind : Frames.Kind.values()) {
            for (WebSocketMessageDecoder.Delivery delivery : WebSocketMessageDecoder.Delivery.values()) {
                for (int[] cuts : partitions) {
                    Outcome o = decode(input, limits, delivery, cuts, kind);
                    assertEquals(whole, o, () -> kind + " " + delivery + " " + java.util.Arrays.toString(cuts));
                }
            }
        }
        return whole;
    }

    private static Outcome expectEverywhere(byte[] input) {
        return expectEverywhere(input, WebSocketLimits.DEFAULT);
    }

    private static void expectEvents(byte[] input, String... events) {
        assertEquals(List.of(events), expectEverywhere(input).events());
    }

    private static void expectError(byte[] input, WebSocketError error, String... before) {
        Outcome o = expectEverywhere(input);
        List<String> expected = new ArrayList<>(List.of(before));
        expected.add("error:" + error.name());
        assertEquals(expected, o.events());
        assertEquals(WebSocketMessageDecoder.State.FAILED, o.state());
    }

    private static String t(String s) {
        return "text:" + hexOf(utf8(s));
    }

    // ---------------------------------------------------------------- 1.x framing

    @Test
    void deliversTextAndBinaryOfEveryLengthClass() {
        for (int n : new int[] {0, 1, 125, 126, 127, 128, 65535, 65536}) {
            byte[] p = pattern(n);
            expectEvents(masked(BINARY, p), "binary:" + hexOf(p));
            byte[] ascii = new byte[n];
            java.util.Arrays.fill(ascii, (byte) '*');
            expectEvents(masked(TEXT, ascii), "text:" + hexOf(ascii));
        }
    }

    @ParameterizedTest
    @EnumSource(Frames.Kind.class)
    void deliversAWholeSingleFrameMessageInPlace(Frames.Kind kind) {
        byte[] f = text("hello");
        RecordingHandler h = new RecordingHandler();
        WebSocketMessageDecoder d = new WebSocketMessageDecoder(WebSocketLimits.DEFAULT,
                WebSocketMessageDecoder.Delivery.WHOLE_MESSAGE, h);
        ByteBuffer in = kind.wrap(f, 0, f.length);
        assertEquals(WebSocketMessageDecoder.State.OPEN, d.decode(in));
        assertEquals(List.of(t("hello")), h.events);
        assertSame(in, h.buffers.get(0), "zero copy: the span is in the input buffer");
        assertEquals(0, d.accumulatorCapacity());
        assertTrue(d.isIdle());
    }

    @Test
    void acceptsNonMinimalLengthEncodings() {
        byte[] p = pattern(10);
        expectEvents(concat(frame(true, 0, BINARY, p, KEY, 16), frame(true, 0, BINARY, p, KEY, 64)),
                "binary:" + hexOf(p), "binary:" + hexOf(p));
    }

    @Test
    void rejectsUnmaskedClientFrames() {
        expectError(frame(true, 0, TEXT, utf8("hi"), null), WebSocketError.UNMASKED_FRAME);
    }

    @Test
    void rejects64BitLengthWithTopBitSet() {
        byte[] f = {(byte) 0x82, (byte) 0xFF, (byte) 0x80, 0, 0, 0, 0, 0, 0, 5, 1, 2, 3, 4, 0, 0, 0, 0, 0};
        expectError(f, WebSocketError.INVALID_PAYLOAD_LENGTH);
    }

    // ---------------------------------------------------------------- 2.x pings and pongs

    @Test
    void reportsPingsToAnswerAndPongsToIgnore() {
        byte[] p125 = pattern(125);
        expectEvents(concat(masked(PING, new byte[0]), masked(PING, p125), masked(PING, bytes(0, 0xFF, 0xFE)),
                masked(PONG, utf8("unsolicited"))),
                "ping:", "ping:" + hexOf(p125), "ping:00fffe", "pong:" + hexOf(utf8("unsolicited")));
    }

    @Test
    void rejectsControlFramesOver125Bytes() {
        expectError(masked(PING, pattern(126)), WebSocketError.CONTROL_FRAME_TOO_LONG);
        expectError(masked(PONG, pattern(126)), WebSocketError.CONTROL_FRAME_TOO_LONG);
        expectError(masked(CLOSE, pattern(126)), WebSocketError.CONTROL_FRAME_TOO_LONG);
    }

    @Test
    void reportsTenPingsInARow() {
        byte[][] pings = new byte[10][];
        String[] expected = new String[10];
        for (int i = 0; i < 10; i++) {
            pings[i] = masked(PING, utf8("ping" + i));
            expected[i] = "ping:" + hexOf(utf8("ping" + i));
        }
        expectEvents(concat(pings), expected);
    }

    // ---------------------------------------------------------------- 3.x reserved bits

    @Test
    void rejectsEveryReservedBitCombination() {
        for (int rsv = 1; rsv < 8; rsv++) {
            expectError(concat(text("ok"), frame(true, rsv, TEXT, utf8("x"), KEY), text("after")),
                    WebSocketError.RESERVED_BITS, t("ok"));
            expectError(frame(true, rsv, PING, new byte[0], KEY), WebSocketError.RESERVED_BITS);
        }
    }

    // ---------------------------------------------------------------- 4.x opcodes

    @Test
    void rejectsEveryReservedOpcode() {
        for (int op : new int[] {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF}) {
            expectError(concat(text("ok"), masked(op, pattern(3)), masked(PING, new byte[0])),
                    WebSocketError.RESERVED_OPCODE, t("ok"));
        }
    }

    // ---------------------------------------------------------------- 5.x fragmentation

    @Test
    void assemblesFragmentsWithInterleavedControlFrames() {
        byte[] input = concat(masked(false, TEXT, utf8("fra")), masked(PING, utf8("p")),
                masked(false, CONTINUATION, utf8("gm")), masked(PONG, utf8("q")), masked(true, CONTINUATION, utf8("ent")));
        expectEvents(input, "ping:70", "pong:71", t("fragment"));
    }

    @Test
    void assemblesEmptyFragmentsIntoEmptyAndNonEmptyMessages() {
        expectEvents(concat(masked(false, BINARY, new byte[0]), masked(false, CONTINUATION, new byte[0]),
                masked(true, CONTINUATION, new byte[0])), "binary:");
        expectEvents(concat(masked(false, TEXT, new byte[0]), masked(true, CONTINUATION, utf8("x"))), t("x"));
    }

    @Test
    void releasesTheAccumulatorAfterAFragmentedMessage() {
        RecordingHandler h = new RecordingHandler();
        WebSocketMessageDecoder d = new WebSocketMessageDecoder(WebSocketLimits.DEFAULT,
                WebSocketMessageDecoder.Delivery.WHOLE_MESSAGE, h);
        d.decode(ByteBuffer.wrap(masked(false, BINARY, pattern(300))));
        assertEquals(300, d.accumulatorCapacity(), "sized to the first frame");
        assertFalse(d.isIdle());
        d.decode(ByteBuffer.wrap(masked(false, CONTINUATION, pattern(100))));
        assertEquals(600, d.accumulatorCapacity(), "doubled");
        d.decode(ByteBuffer.wrap(masked(true, CONTINUATION, pattern(1000))));
        assertEquals(1, h.events.size());
        assertEquals(0, d.accumulatorCapacity());
        assertTrue(d.isIdle());
    }

    @Test
    void rejectsContinuationWithoutAMessage() {
        expectError(masked(true, CONTINUATION, utf8("x")), WebSocketError.UNEXPECTED_CONTINUATION);
        expectError(masked(false, CONTINUATION, utf8("x")), WebSocketError.UNEXPECTED_CONTINUATION);
        expectError(concat(text("a"), masked(true, CONTINUATION, utf8("x"))),
                WebSocketError.UNEXPECTED_CONTINUATION, t("a"));
    }

    @Test
    void rejectsANewMessageInsideAFragmentedOne() {
        expectError(concat(masked(false, TEXT, utf8("a")), masked(true, TEXT, utf8("b"))),
                WebSocketError.EXPECTED_CONTINUATION);
        expectError(concat(masked(false, BINARY, utf8("a")), masked(false, BINARY, utf8("b"))),
                WebSocketError.EXPECTED_CONTINUATION);
    }

    @Test
    void rejectsFragmentedControlFrames() {
        expectError(concat(masked(false, PING, utf8("a")), masked(true, CONTINUATION, utf8("b"))),
                WebSocketError.FRAGMENTED_CONTROL_FRAME);
        expectError(masked(false, PONG, new byte[0]), WebSocketError.FRAGMENTED_CONTROL_FRAME);
        expectError(masked(false, CLOSE, new byte[0]), WebSocketError.FRAGMENTED_CONTROL_FRAME);
    }

    // ---------------------------------------------------------------- 6.x UTF-8

    @Test
    void acceptsValidUtf8SplitAnywhereAcrossFragments() {
        String s = "κόσμε \u00e9\u4e2d\ud83d\ude00 \uffff \u0800 \ud7ff \ue000";
        byte[] b = utf8(s);
        for (int cut = 0; cut <= b.length; cut++) {
            byte[] a = java.util.Arrays.copyOfRange(b, 0, cut);
            byte[] c = java.util.Arrays.copyOfRange(b, cut, b.length);
            byte[] input = concat(masked(false, TEXT, a), masked(true, CONTINUATION, c));
            Outcome o = decode(input, WebSocketLimits.DEFAULT, WebSocketMessageDecoder.Delivery.WHOLE_MESSAGE,
                    new int[] {input.length}, Frames.Kind.HEAP);
            assertEquals(List.of(t(s)), o.events(), "cut " + cut);
        }
    }

    @Test
    void rejectsInvalidUtf8InTextMessages() {
        expectError(masked(TEXT, bytes(0xCE, 0xBA, 0xE1, 0xBD, 0xB9, 0xCF, 0x83, 0xCE, 0xBC, 0xCE, 0xB5, 0xED, 0xA0,
                0x80, 0x65, 0x64, 0x69, 0x74, 0x65, 0x64)), WebSocketError.INVALID_UTF8);
        expectError(masked(TEXT, bytes(0xC0, 0xAF)), WebSocketError.INVALID_UTF8);
        expectError(masked(TEXT, bytes(0xF4, 0x90, 0x80, 0x80)), WebSocketError.INVALID_UTF8);
        // Truncated at the end of the message, whether or not the last frame is empty.
        expectError(masked(TEXT, bytes(0x41, 0xE2, 0x82)), WebSocketError.INVALID_UTF8);
        expectError(concat(masked(false, TEXT, bytes(0xE2, 0x82)), masked(true, CONTINUATION, new byte[0])),
                WebSocketError.INVALID_UTF8);
    }

    @ParameterizedTest
    @EnumSource(WebSocketMessageDecoder.Delivery.class)
    void failsFastOnTheFirstInvalidByteBeforeTheFrameEnds(WebSocketMessageDecoder.Delivery delivery) {
        // Autobahn 6.4.x: the invalid byte arrives while the rest of the frame (and message) is still to come.
        byte[] valid = utf8("κόσμε");
        byte[] payload = concat(valid, bytes(0xF4, 0x90, 0x80, 0x80), utf8("-edited-and-more"));
        byte[] f = concat(masked(false, TEXT, payload), masked(true, CONTINUATION, utf8("tail")));
        int header = 6;
        int invalidAt = header + valid.length + 1; // F4 90: 90 is the first impossible byte
        RecordingHandler h = new RecordingHandler();
        WebSocketMessageDecoder d = new WebSocketMessageDecoder(WebSocketLimits.DEFAULT, delivery, h);
        ByteBuffer b = ByteBuffer.wrap(f);
        for (int i = 0; i < f.length; i++) {
            b.limit(i + 1);
            WebSocketMessageDecoder.State s = d.decode(b);
            if (i < invalidAt) {
                assertEquals(WebSocketMessageDecoder.State.OPEN, s, "byte " + i);
            } else {
                assertEquals(WebSocketMessageDecoder.State.FAILED, s, "byte " + i);
                assertEquals(invalidAt, i, "failed on the first invalid byte");
                break;
            }
        }
        assertEquals("error:INVALID_UTF8", h.events.get(h.events.size() - 1));
    }

    // ---------------------------------------------------------------- 7.x close

    @Test
    void reportsCloseWithAndWithoutCodeAndStopsReading() {
        Outcome o = expectEverywhere(concat(masked(CLOSE, new byte[0]), text("ignored")));
        assertEquals(List.of("close:1005:"), o.events());
        assertEquals(WebSocketMessageDecoder.State.CLOSE_RECEIVED, o.state());
        assertEquals(6, o.consumed(), "bytes after the close are left unconsumed");
        Outcome withReason = expectEverywhere(concat(close(1000, "bye κ"), masked(PING, new byte[0])));
        assertEquals(List.of("close:1000:" + hexOf(utf8("bye κ"))), withReason.events());
        String reason123 = "r".repeat(123);
        expectEvents(close(4999, reason123), "close:4999:" + hexOf(utf8(reason123)));
    }

    @Test
    void reportsThePeersCloseAsTheAnswerAfterOursWasSent() {
        RecordingHandler h = new RecordingHandler();
        WebSocketMessageDecoder d = new WebSocketMessageDecoder(WebSocketLimits.DEFAULT,
                WebSocketMessageDecoder.Delivery.WHOLE_MESSAGE, h);
        d.closeSent();
        assertTrue(d.isCloseSent());
        d.decode(ByteBuffer.wrap(concat(text("late"), close(1000, ""))));
        assertEquals(List.of(t("late"), "close:1000::answer"), h.events);
        ByteBuffer more = ByteBuffer.wrap(text("x"));
        assertEquals(WebSocketMessageDecoder.State.CLOSE_RECEIVED, d.decode(more));
        assertEquals(0, more.position());
    }

    @Test
    void rejectsCloseWithOneBytePayload() {
        expectError(masked(CLOSE, bytes(0x03)), WebSocketError.CLOSE_PAYLOAD_TOO_SHORT);
    }

    @Test
    void validatesCloseCodesOnTheWire() {
        for (int code : new int[] {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999,
                4000, 4999}) {
            expectEvents(close(code, ""), "close:" + code + ":");
        }
        for (int code : new int[] {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535}) {
            expectError(close(code, ""), WebSocketError.INVALID_CLOSE_CODE);
        }
    }

    @Test
    void rejectsCloseReasonThatIsNotUtf8() {
        byte[] p = concat(bytes(0x03, 0xE8), bytes(0xCE, 0xBA, 0xE1, 0xBD, 0xB9, 0xCF, 0x83, 0xCE, 0xBC, 0xCE, 0xB5,
                0xED, 0xA0, 0x80, 0x65, 0x64, 0x69, 0x74, 0x65, 0x64));
        expectError(masked(CLOSE, p), WebSocketError.INVALID_CLOSE_REASON);
        expectError(masked(CLOSE, bytes(0x03, 0xE8, 0xE2, 0x82)), WebSocketError.INVALID_CLOSE_REASON);
    }

    @Test
    void reportsNothingAfterAProtocolError() {
        Outcome o = expectEverywhere(concat(masked(7, new byte[0]), text("never"), close(1000, "")));
        assertEquals(List.of("error:RESERVED_OPCODE"), o.events());
    }

    // ---------------------------------------------------------------- 9.x limits, at their edges

    @Test
    void acceptsAMessageOfExactlyTheLimitAndRejectsOneByteMore() {
        WebSocketLimits limits = new WebSocketLimits(100, 100, 4);
        assertEquals(List.of("binary:" + hexOf(pattern(100))),
                expectEverywhere(masked(BINARY, pattern(100)), limits).events());
        assertEquals(List.of("error:FRAME_TOO_LARGE"), expectEverywhere(masked(BINARY, pattern(101)), limits).events());
    }

    @Test
    void appliesTheMessageLimitToASingleFrameAtItsEdge() {
        WebSocketLimits limits = new WebSocketLimits(1000, 100, 4);
        assertEquals(List.of("binary:" + hexOf(pattern(100))),
                expectEverywhere(masked(BINARY, pattern(100)), limits).events());
        assertEquals(List.of("error:MESSAGE_TOO_LARGE"), expectEverywhere(masked(BINARY, pattern(101)), limits).events());
        WebSocketLimits zero = new WebSocketLimits(0, 0, 1);
        assertEquals(List.of("text:", "ping:"),
                expectEverywhere(concat(masked(TEXT, new byte[0]), masked(PING, new byte[0])), zero).events());
        assertEquals(List.of("error:FRAME_TOO_LARGE"), expectEverywhere(masked(TEXT, utf8("x")), zero).events());
    }

    @Test
    void refusesLimitsOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> new WebSocketLimits(-1, 10, 1));
        assertThrows(IllegalArgumentException.class, () -> new WebSocketLimits(10, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> new WebSocketLimits(10, 10, 0));
        assertThrows(IllegalArgumentException.class, () -> new WebSocketLimits(WebSocketLimits.MAX_LIMIT + 1, 10, 1));
        WebSocketLimits l = WebSocketLimits.DEFAULT.withMaxFramePayload(5).withMaxMessageSize(6).withMaxFragments(7);
        assertEquals(5, l.maxFramePayload());
        assertEquals(6, l.maxMessageSize());
        assertEquals(7, l.maxFragments());
        assertEquals(16 << 20, WebSocketLimits.DEFAULT.maxMessageSize());
        assertEquals(16 << 20, WebSocketLimits.DEFAULT.maxFramePayload());
        assertEquals(1 << 20, WebSocketLimits.DEFAULT.maxFragments());
        assertEquals(1_000_000, WebSocketLimits.ENGINE_IO.maxMessageSize());
    }

    @Test
    void rejectsAnOversizedMessageOnTheHeaderBeforeBufferingItsPayload() {
        byte[] f = masked(BINARY, pattern(2000));
        RecordingHandler h = new RecordingHandler();
        WebSocketMessageDecoder d = new WebSocketMessageDecoder(new WebSocketLimits(1000, 1000, 4),
                WebSocketMessageDecoder.Delivery.WHOLE_MESSAGE, h);
        ByteBuffer header = ByteBuffer.wrap(f, 0, 8);
        assertEquals(WebSocketMessageDecoder.State.FAILED, d.decode(header));
        assertEquals(List.of("error:FRAME_TOO_LARGE"), h.events);
        assertEquals(0, d.accumulatorCapacity());
    }

    @Test
    void countsTheMessageBudgetAcrossFragments() {
        byte[] ok = concat(masked(false, BINARY, pattern(100)), masked(true, CONTINUATION, pattern(100)));
        assertEquals(List.of("binary:" + hexOf(concat(pattern(100), pattern(100)))),
                expectEverywhere(ok, SMALL).events());
        byte[] over = concat(masked(false, BINARY, pattern(100)), masked(false, CONTINUATION, pattern(100)),
                masked(true, CONTINUATION, pattern(1)));
        assertEquals(List.of("error:MESSAGE_TOO_LARGE"), expectEverywhere(over, SMALL).events());
    }

    @Test
    void limitsTheNumberOfFragments() {
        byte[] four = concat(masked(false, TEXT, utf8("a")), masked(false, CONTINUATION, utf8("b")),
                masked(false, CONTINUATION, utf8("c")), masked(true, CONTINUATION, utf8("d")));
        assertEquals(List.of(t("abcd")), expectEverywhere(four, SMALL).events());
        byte[] five = concat(masked(false, TEXT, utf8("a")), masked(false, CONTINUATION, utf8("b")),
                masked(false, CONTINUATION, utf8("c")), masked(false, CONTINUATION, utf8("d")),
                masked(true, CONTINUATION, utf8("e")));
        assertEquals(List.of("error:TOO_MANY_FRAGMENTS"), expectEverywhere(five, SMALL).events());
        // Control frames in between do not count.
        byte[] withPings = concat(masked(false, TEXT, utf8("a")), masked(PING, new byte[0]),
                masked(false, CONTINUATION, utf8("b")), masked(PING, new byte[0]),
                masked(false, CONTINUATION, utf8("c")), masked(true, CONTINUATION, utf8("d")));
        assertEquals(List.of("ping:", "ping:", t("abcd")), expectEverywhere(withPings, SMALL).events());
    }

    @Test
    void acceptsAutobahnSizedMessagesWithDefaults() {
        byte[] big = new byte[16 << 20];
        java.util.Arrays.fill(big, (byte) 'x');
        RecordingHandler h = new RecordingHandler() {
            @Override
            public void onText(ByteBuffer buf, int offset, int length) {
                events.add("text:" + length);
            }
        };
        WebSocketMessageDecoder d = new WebSocketMessageDecoder(WebSocketLimits.DEFAULT,
                WebSocketMessageDecoder.Delivery.WHOLE_MESSAGE, h);
        byte[] f = masked(TEXT, big);
        ByteBuffer b = ByteBuffer.wrap(f);
        for (int at = 0; at < f.length; at += 65536) {
            b.limit(Math.min(f.length, at + 65536));
            assertEquals(WebSocketMessageDecoder.State.OPEN, d.decode(b));
        }
        assertEquals(List.of("text:" + (16 << 20)), h.events);
        assertEquals(0, d.accumulatorCapacity());
        ByteBuffer over = ByteBuffer.wrap(masked(TEXT, new byte[(16 << 20) + 1]), 0, 14);
        d.decode(over);
        assertEquals("error:FRAME_TOO_LARGE", h.events.get(1));
    }

    // ---------------------------------------------------------------- streaming delivery

    @Test
    void streamsFragmentsAsTheyArriveWithoutBuffering() {
        List<String> pieces = new ArrayList<>();
        WebSocketMessageHandler h = new RecordingHandler() {
            @Override
            public void onTextFragment(ByteBuffer buf, int offset, int length, boolean last) {
                byte[] b = new byte[length];
                buf.get(offset, b);
                pieces.add(new String(b, java.nio.charset.StandardCharsets.UTF_8) + (last ? "|" : ""));
            }
        };
        WebSocketMessageDecoder d = new WebSocketMessageDecoder(WebSocketLimits.DEFAULT,
                WebSocketMessageDecoder.Delivery.STREAMING, h);
        byte[] f = concat(masked(false, TEXT, utf8("abc")), masked(true, CONTINUATION, utf8("def")));
        ByteBuffer b = ByteBuffer.wrap(f);
        b.limit(8);
        d.decode(b);
        b.limit(f.length);
        d.decode(b);
        assertEquals(List.of("ab", "c", "def|"), pieces);
        assertEquals(0, d.accumulatorCapacity());
    }

    @Test
    void defaultFragmentCallbacksRefuseStreaming() {
        WebSocketMessageHandler plain = new WebSocketMessageHandler() {
            @Override
            public void onText(ByteBuffer buf, int offset, int length) {
            }

            @Override
            public void onBinary(ByteBuffer buf, int offset, int length) {
            }

            @Override
            public void onPing(ByteBuffer buf, int offset, int length) {
            }

            @Override
            public void onPong(ByteBuffer buf, int offset, int length) {
            }

            @Override
            public void onClose(int code, ByteBuffer reason, int offset, int length, boolean closeAlreadySent) {
            }

            @Override
            public void onProtocolError(WebSocketError error) {
            }
        };
        WebSocketMessageDecoder d = new WebSocketMessageDecoder(WebSocketLimits.DEFAULT,
                WebSocketMessageDecoder.Delivery.STREAMING, plain);
        assertThrows(UnsupportedOperationException.class, () -> d.decode(ByteBuffer.wrap(text("x"))));
    }

    @Test
    void errorsCarryTheirCloseCodesAndShortSafeReasons() {
        for (WebSocketError e : WebSocketError.values()) {
            assertTrue(e.reason().length() <= WebSocketFrameWriter.MAX_CLOSE_REASON);
            assertTrue(e.reason().chars().allMatch(c -> c >= 0x20 && c < 0x7F));
            assertTrue(WebSocketCloseCodes.isValidOnWire(e.closeCode()));
        }
        assertEquals(1007, WebSocketError.INVALID_UTF8.closeCode());
        assertEquals(1007, WebSocketError.INVALID_CLOSE_REASON.closeCode());
        assertEquals(1009, WebSocketError.MESSAGE_TOO_LARGE.closeCode());
        assertEquals(1009, WebSocketError.FRAME_TOO_LARGE.closeCode());
        assertEquals(1002, WebSocketError.RESERVED_BITS.closeCode());
    }

    @Test
    void aReusableDecoderIsRehandedBetweenConnectionsOnlyAtAMessageBoundary() {
        RecordingHandler a = new RecordingHandler();
        RecordingHandler b = new RecordingHandler();
        WebSocketMessageDecoder d = new WebSocketMessageDecoder(SMALL, WebSocketMessageDecoder.Delivery.WHOLE_MESSAGE, a);
        assertTrue(d.isReusable());
        byte[] first = text("one");
        byte[] second = concat(masked(false, TEXT, utf8("tw")), masked(true, CONTINUATION, utf8("o")));
        d.decode(ByteBuffer.wrap(first));
        assertTrue(d.isReusable(), "between messages it holds nothing");
        d.rebind(SMALL, b);
        // half a fragmented message: the decoder now holds b's state
        d.decode(ByteBuffer.wrap(second, 0, 6));
        assertFalse(d.isReusable());
        assertThrows(IllegalStateException.class, () -> d.rebind(SMALL, a));
        ByteBuffer rest = ByteBuffer.wrap(second);
        rest.position(6);
        d.decode(rest);
        assertTrue(d.isReusable());
        assertEquals(List.of("text:6f6e65"), a.events);
        assertEquals(List.of("text:74776f"), b.events);
        d.rebind(null, null); // parked: no reference to any connection
        d.closeSent();
        assertFalse(d.isReusable(), "a decoder that knows our Close was sent stays with its connection");
        assertThrows(IllegalStateException.class, () -> d.rebind(SMALL, a));
    }
}
