package dev.engineionio.examples;

import dev.engineionio.protocol.DecodeStatus;
import dev.engineionio.protocol.EngineError;
import dev.engineionio.protocol.Jsonp;
import dev.engineionio.protocol.PacketBatch;
import dev.engineionio.protocol.PacketEncoder;
import dev.engineionio.protocol.PacketHandler;
import dev.engineionio.protocol.PacketType;
import dev.engineionio.protocol.PayloadDecoder;
import dev.engineionio.protocol.ProtocolVersion;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A tour of the Engine.IO codec ({@code dev.engineionio.protocol}): encodes and decodes real payloads of protocol
 * versions 4 and 3 (the same bytes the reference server {@code engine.io@6.6} puts on the wire) and prints them,
 * with {@code \x1e} and other control bytes escaped.
 *
 * <p>Run: {@code java -cp examples/target/examples.jar dev.engineionio.examples.CodecTour}. Single-threaded; uses the
 * public API only.
 */
public final class CodecTour {
    private static final String[] WEBSOCKET = {"websocket"};

    private final StringBuilder out = new StringBuilder();
    private final PayloadDecoder decoder = new PayloadDecoder();
    private final PacketHandler printer = this::print;

    public static void main(String[] args) {
        System.out.print(tour());
    }

    /** Everything the tour prints. */
    public static String tour() {
        CodecTour t = new CodecTour();
        t.run();
        return t.out.toString();
    }

    private void run() {
        section("v4 polling handshake (open packet, then an initial message)");
        String open = PacketEncoder.handshakeJson("V2hwwHob6R_WoUmLAAAD", WEBSOCKET, 25000, 20000, 1_000_000);
        Batch handshake = new Batch().text(PacketType.OPEN, open).text(PacketType.MESSAGE, "hello-initial");
        ByteBuffer body = payload(ProtocolVersion.V4, true, handshake);
        line("GET body   " + show(body));

        section("v4 polling POST: text, binary (base64) and non-ASCII text");
        decode(ProtocolVersion.V4, false, bytes("4hello\u001ebAQIDBA==\u001e4é€😀"));

        section("v4 payload with a close packet and binary");
        body = payload(ProtocolVersion.V4, true, new Batch().bin(1, 2, 3).text(PacketType.NOOP, null).text(PacketType.CLOSE, null));
        line("GET body   " + show(body));

        section("v4 WebSocket frames");
        ByteBuffer frame = ByteBuffer.allocate(16);
        PacketEncoder.writeTextPacket(PacketType.MESSAGE, "hello", frame);
        line("text frame " + show(frame.flip()));
        frame.clear();
        PacketEncoder.writeBinaryFrame(ProtocolVersion.V4, PacketType.MESSAGE, ByteBuffer.wrap(new byte[] {1, 2, 3}), frame);
        line("bin frame  " + hex(frame.flip()) + "   (raw data, no type byte)");

        section("v3 text payload (lengths count UTF-16 units: the emoji is 2)");
        body = payload(ProtocolVersion.V3, true, new Batch().text(PacketType.MESSAGE, "hello").text(PacketType.MESSAGE, "😀"));
        line("GET body   " + show(body));
        decode(ProtocolVersion.V3, false, body);

        section("v3 binary payload (client did not ask for b64): flag, length digits as byte values, 0xFF, data");
        body = payload(ProtocolVersion.V3, true, new Batch().text(PacketType.PONG, null).bin(1, 2, 3));
        line("GET body   " + hex(body) + "   (application/octet-stream)");
        decode(ProtocolVersion.V3, true, body);

        section("v3 with b64=1: binary as b<type><base64> inside the text payload");
        body = payload(ProtocolVersion.V3, false, new Batch().bin(1, 2, 3));
        line("GET body   " + show(body));

        section("v3 WebSocket binary frame (leading type byte)");
        frame.clear();
        PacketEncoder.writeBinaryFrame(ProtocolVersion.V3, PacketType.MESSAGE, ByteBuffer.wrap(new byte[] {1, 2, 3}), frame);
        line("bin frame  " + hex(frame.flip()));

        section("malformed input: every error says why");
        decode(ProtocolVersion.V3, false, bytes("9:4hi"));
        decode(ProtocolVersion.V4, false, bytes("4a\u001exyz"));
        decode(ProtocolVersion.V4, false, bytes(""));

        section("error bodies");
        ByteBuffer err = ByteBuffer.allocate(128);
        EngineError.UNSUPPORTED_PROTOCOL_VERSION.writeBody(err);
        line("HTTP " + EngineError.UNSUPPORTED_PROTOCOL_VERSION.httpStatus() + "   " + show(err.flip()));
        err.clear();
        PacketEncoder.writeErrorBody(EngineError.FORBIDDEN.code(), "no \"guests\"", err);
        line("HTTP " + EngineError.FORBIDDEN.httpStatus() + "   " + show(err.flip()));

        section("JSONP (?j=3): the payload as a JavaScript string argument");
        ByteBuffer p = payload(ProtocolVersion.V4, true, new Batch().text(PacketType.MESSAGE, "line1\nline2").text(PacketType.MESSAGE, "</script>\u2028"));
        ByteBuffer js = ByteBuffer.allocate(Jsonp.measureWrap("3", p));
        Jsonp.wrap("3", p, js);
        line("GET body   " + show(js.flip()));
        decodeJsonp(bytes("d=4line1%5Cnline2%1E4bye"));
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private ByteBuffer payload(ProtocolVersion v, boolean supportsBinary, Batch batch) {
        ByteBuffer b = ByteBuffer.allocate(PacketEncoder.measurePayload(v, supportsBinary, batch));
        PacketEncoder.writePayload(v, supportsBinary, batch, b);
        return b.flip();
    }

    private void decode(ProtocolVersion v, boolean octetStream, ByteBuffer body) {
        line("POST " + (octetStream ? hex(body) : show(body)));
        DecodeStatus s = decoder.decodePolling(v, octetStream, body, printer);
        line("  -> " + s + (s.isError() ? " (close reason \"" + s.closeReason() + "\", at byte " + decoder.errorOffset() + ")" : ""));
    }

    private void decodeJsonp(ByteBuffer form) {
        line("POST " + show(form));
        line("  -> " + decoder.decodeJsonpForm(ProtocolVersion.V4, form, printer));
    }

    private boolean print(PacketType type, boolean binary, ByteBuffer buf, int offset, int length) {
        if (binary) {
            line("  packet " + type + " binary " + hex(buf.duplicate().position(offset).limit(offset + length)));
        } else {
            line("  packet " + type + " text \"" + escape(decoder.string(buf, offset, length)) + "\"");
        }
        return true;
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    /** UTF-8 text with control characters escaped as {@code \xNN}. */
    static String show(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return "\"" + escape(new String(a, StandardCharsets.UTF_8)) + "\"";
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7F || c == '\u2028' || c == '\u2029') {
                sb.append(c <= 0xFF ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    static String hex(ByteBuffer b) {
        StringBuilder sb = new StringBuilder();
        for (int i = b.position(); i < b.limit(); i++) {
            sb.append(sb.length() == 0 ? "" : " ").append(String.format("%02x", b.get(i) & 0xFF));
        }
        return "[" + sb + "]";
    }

    private void section(String title) {
        out.append('\n').append("== ").append(title).append('\n');
    }

    private void line(String s) {
        out.append(s).append('\n');
    }

    /** A tiny outgoing queue, as the session layer keeps one. */
    private static final class Batch implements PacketBatch {
        private final java.util.List<Object[]> packets = new java.util.ArrayList<>();

        Batch text(PacketType type, String text) {
            packets.add(new Object[] {type, text});
            return this;
        }

        Batch bin(int... data) {
            byte[] b = new byte[data.length];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) data[i];
            }
            packets.add(new Object[] {PacketType.MESSAGE, ByteBuffer.wrap(b)});
            return this;
        }

        @Override
        public int count() {
            return packets.size();
        }

        @Override
        public PacketType type(int i) {
            return (PacketType) packets.get(i)[0];
        }

        @Override
        public boolean isBinary(int i) {
            return packets.get(i)[1] instanceof ByteBuffer;
        }

        @Override
        public CharSequence text(int i) {
            return (CharSequence) packets.get(i)[1];
        }

        @Override
        public ByteBuffer binary(int i) {
            return (ByteBuffer) packets.get(i)[1];
        }
    }
}
