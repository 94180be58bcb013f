package dev.engineionio.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.engineionio.protocol.Fixtures.ListBatch;
import dev.engineionio.protocol.Fixtures.Out;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random round trips, one per format: random packets (text with astral characters, {@code \x1e}, digits and
 * colons; random binary) are encoded and decoded back to the same packets, over heap and direct buffers. Random
 * garbage is also fed to every decoder: it never throws and never reports a span outside its input.
 */
class RoundTripTest {
    private static final long SEED = 0x5EED_E10L;
    private static final int ROUNDS = 400;
    private static final String[] POOL = {"a", "Z", "0", "9", ":", "\u001e", "\n", "\"", "\\", "é", "€", "😀", "𝄞",
        "\u2028", "b", "4", " ", "\u0000", "\uffff", "\ud7ff", "\ue000"};

    /**
     * @param noSeparator leave out {@code \x1e}: a v4 payload cannot carry it in text (the reference splits on it
     *                    too, see {@link #v4TextWithRecordSeparatorSplitsAsInTheReference})
     */
    static String randomText(Random r, boolean jsonpSafe, boolean noSeparator) {
        int n = r.nextInt(8) == 0 ? r.nextInt(3000) : r.nextInt(40);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            String s = POOL[r.nextInt(POOL.length)];
            if (jsonpSafe && s.equals("\\") || noSeparator && s.equals("\u001e")) {
                continue;
            }
            if (r.nextInt(10) == 0) {
                sb.appendCodePoint(r.nextBoolean() ? 0x80 + r.nextInt(0xD800 - 0x80) : 0x10000 + r.nextInt(0x100000));
            } else {
                sb.append(s);
            }
        }
        return sb.toString();
    }

    static List<Out> randomPackets(Random r, boolean binaryAllowed, boolean binaryTypeFree, boolean jsonpSafe, int max) {
        return randomPackets(r, binaryAllowed, binaryTypeFree, jsonpSafe, false, max);
    }

    static List<Out> randomPackets(Random r, boolean binaryAllowed, boolean binaryTypeFree, boolean jsonpSafe, boolean noSeparator, int max) {
        int n = r.nextInt(max) + 1;
        List<Out> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (binaryAllowed && r.nextInt(3) == 0) {
                byte[] b = new byte[r.nextInt(5) == 0 ? r.nextInt(5000) : r.nextInt(20)];
                r.nextBytes(b);
                PacketType t = binaryTypeFree ? PacketType.fromCode(r.nextInt(7)) : PacketType.MESSAGE;
                out.add(new Out(t, null, b));
            } else {
                out.add(Out.text(PacketType.fromCode(r.nextInt(7)), randomText(r, jsonpSafe, noSeparator)));
            }
        }
        return out;
    }

    static List<String> expected(List<Out> packets) {
        List<String> e = new ArrayList<>();
        for (Out o : packets) {
            e.add(o.binary() != null ? Fixtures.bin(o.type(), java.util.HexFormat.of().formatHex(o.binary()))
                    : Fixtures.text(o.type(), o.text()));
        }
        return e;
    }

    interface Writer {
        int write(ListBatch b, ByteBuffer dst);
    }

    interface Measurer {
        int measure(ListBatch b);
    }

    interface Reader {
        DecodeStatus read(PayloadDecoder d, ByteBuffer in, PacketHandler h);
    }

    static void roundTrip(long seed, boolean binary, boolean binaryTypeFree, int max, Measurer m, Writer w, Reader rd) {
        roundTrip(seed, binary, binaryTypeFree, false, max, m, w, rd);
    }

    static void roundTrip(long seed, boolean binary, boolean binaryTypeFree, boolean noSeparator, int max, Measurer m, Writer w, Reader rd) {
        Random r = new Random(seed);
        PayloadDecoder d = new PayloadDecoder(10_000_000, false, false);
        for (int round = 0; round < ROUNDS; round++) {
            List<Out> packets = randomPackets(r, binary, binaryTypeFree, false, noSeparator, max);
            boolean direct = r.nextBoolean();
            ListBatch batch = new ListBatch(packets, r.nextBoolean());
            int size = m.measure(batch);
            ByteBuffer dst = direct ? ByteBuffer.allocateDirect(size + 3) : ByteBuffer.allocate(size + 3);
            dst.position(3);
            assertEquals(size, w.write(batch, dst));
            dst.flip().position(3);
            Fixtures.Recorder rec = new Fixtures.Recorder(d);
            assertEquals(DecodeStatus.OK, rd.read(d, dst, rec), "round " + round);
            assertEquals(expected(packets), rec.events, "round " + round);
        }
    }

    @Test
    void v4Payload() {
        roundTrip(SEED, true, false, true, 6, PacketEncoder::measureV4Payload, PacketEncoder::writeV4Payload, PayloadDecoder::decodeV4Payload);
    }

    @Test
    void v3TextPayload() {
        roundTrip(SEED + 1, true, true, 6, PacketEncoder::measureV3TextPayload, PacketEncoder::writeV3TextPayload, PayloadDecoder::decodeV3TextPayload);
    }

    @Test
    void v3BinaryPayload() {
        roundTrip(SEED + 2, true, true, 6, PacketEncoder::measureV3BinaryPayload, PacketEncoder::writeV3BinaryPayload, PayloadDecoder::decodeV3BinaryPayload);
    }

    @Test
    void webSocketFramesTypedByOpcode() {
        Random r = new Random(SEED + 4);
        PayloadDecoder d = new PayloadDecoder(10_000_000, false, false);
        for (int round = 0; round < ROUNDS; round++) {
            ProtocolVersion v = r.nextBoolean() ? ProtocolVersion.V3 : ProtocolVersion.V4;
            Out o = randomPackets(r, true, v == ProtocolVersion.V3, false, 1).get(0);
            ByteBuffer data = o.binary() == null ? null : ByteBuffer.wrap(o.binary());
            boolean base64 = data != null && r.nextBoolean();
            int size = data == null ? PacketEncoder.measureTextPacket(o.type(), o.text())
                    : base64 ? PacketEncoder.measureBase64Packet(v, data) : PacketEncoder.measureBinaryFrame(v, data);
            ByteBuffer dst = r.nextBoolean() ? ByteBuffer.allocateDirect(size) : ByteBuffer.allocate(size);
            int n = data == null ? PacketEncoder.writeTextPacket(o.type(), o.text(), dst)
                    : base64 ? PacketEncoder.writeBase64Packet(v, o.type(), data, dst) : PacketEncoder.writeBinaryFrame(v, o.type(), data, dst);
            assertEquals(size, n);
            dst.flip();
            Fixtures.Recorder rec = new Fixtures.Recorder(d);
            DecodeStatus s = data == null || base64 ? d.decodeTextFrame(v, dst, rec) : d.decodeBinaryFrame(v, dst, rec);
            assertEquals(DecodeStatus.OK, s);
            assertEquals(expected(List.of(o)), rec.events, "round " + round);
        }
    }

    @Test
    void jsonpPostOfAnEncodedPayload() {
        Random r = new Random(SEED + 5);
        PayloadDecoder d = new PayloadDecoder(10_000_000, false, false);
        for (int round = 0; round < ROUNDS; round++) {
            ProtocolVersion v = r.nextBoolean() ? ProtocolVersion.V3 : ProtocolVersion.V4;
            List<Out> packets = randomPackets(r, true, v == ProtocolVersion.V3, true, v == ProtocolVersion.V4, 5);
            ListBatch batch = new ListBatch(packets, false);
            ByteBuffer payload = ByteBuffer.allocate(PacketEncoder.measurePayload(v, false, batch));
            PacketEncoder.writePayload(v, false, batch, payload);
            String s = new String(payload.array(), java.nio.charset.StandardCharsets.UTF_8);
            // what the legacy JSONP client sends: escaped newlines, then form encoding
            String escaped = s.replace("\\n", "\\\n").replace("\n", "\\n");
            String form = "d=" + java.net.URLEncoder.encode(escaped, java.nio.charset.StandardCharsets.UTF_8);
            Fixtures.Recorder rec = new Fixtures.Recorder(d);
            assertEquals(DecodeStatus.OK, d.decodeJsonpForm(v, ByteBuffer.wrap(Fixtures.utf8(form)), rec), "round " + round);
            assertEquals(expected(packets), rec.events, "round " + round);
        }
    }

    @Test
    void v4TextWithRecordSeparatorSplitsAsInTheReference() {
        ListBatch batch = new ListBatch(Out.text(PacketType.MESSAGE, "a\u001e4b"));
        ByteBuffer dst = ByteBuffer.allocate(PacketEncoder.measureV4Payload(batch));
        PacketEncoder.writeV4Payload(batch, dst);
        dst.flip();
        PayloadDecoder d = new PayloadDecoder();
        Fixtures.Recorder rec = new Fixtures.Recorder(d);
        assertEquals(DecodeStatus.OK, d.decodeV4Payload(dst, rec));
        assertEquals(List.of(Fixtures.text(PacketType.MESSAGE, "a"), Fixtures.text(PacketType.MESSAGE, "b")), rec.events);
    }

    @Test
    void garbageNeverThrowsInAnyDecoder() {
        Random r = new Random(SEED + 6);
        PayloadDecoder lenient = new PayloadDecoder();
        PayloadDecoder strict = new PayloadDecoder(PayloadDecoder.DEFAULT_MAX_PAYLOAD, true, true);
        String alphabet = "0123456789:b4\u001e=+/AQd&%";
        for (int round = 0; round < 3000; round++) {
            byte[] g = new byte[r.nextInt(40)];
            for (int i = 0; i < g.length; i++) {
                g[i] = r.nextInt(3) == 0 ? (byte) r.nextInt(256)
                        : r.nextInt(4) == 0 ? (byte) r.nextInt(10) : (byte) alphabet.charAt(r.nextInt(alphabet.length()));
            }
            for (PayloadDecoder d : new PayloadDecoder[] {lenient, strict}) {
                for (PayloadDecoderTest.Format f : PayloadDecoderTest.Format.values()) {
                    for (ByteBuffer in : Fixtures.shapes(g)) {
                        Fixtures.Recorder rec = new Fixtures.Recorder(d);
                        PayloadDecoderTest.decode(f, d, in, rec);
                        assertEquals(rec.events.size(), d.packetCount());
                    }
                }
            }
        }
    }
}
