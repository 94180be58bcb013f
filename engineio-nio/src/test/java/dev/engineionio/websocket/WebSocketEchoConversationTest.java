package dev.engineionio.websocket;

import static dev.engineionio.websocket.Frames.close;
import static dev.engineionio.websocket.Frames.concat;
import static dev.engineionio.websocket.Frames.masked;
import static dev.engineionio.websocket.Frames.text;
import static dev.engineionio.websocket.Frames.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The layer wired the way the driver glue will wire it, as an echo endpoint (what Autobahn's fuzzing client talks to):
 * handshake, then decoder events answered with the writer into one outbound buffer. Shows the contracts end to end.
 */
class WebSocketEchoConversationTest {

    /** An echo endpoint: everything it writes goes to {@link #out}. */
    static final class EchoEndpoint implements WebSocketMessageHandler {
        final ByteBuffer out = ByteBuffer.allocate(1 << 16);
        final WebSocketMessageDecoder decoder =
                new WebSocketMessageDecoder(WebSocketLimits.DEFAULT, WebSocketMessageDecoder.Delivery.WHOLE_MESSAGE, this);
        boolean closeTcp;

        @Override
        public void onText(ByteBuffer buf, int offset, int length) {
            WebSocketFrameWriter.writeFrame(out, WebSocketOpcodes.TEXT, true, buf, offset, length);
        }

        @Override
        public void onBinary(ByteBuffer buf, int offset, int length) {
            WebSocketFrameWriter.writeBinary(out, buf, offset, length);
        }

        @Override
        public void onPing(ByteBuffer buf, int offset, int length) {
            WebSocketFrameWriter.writePong(out, buf, offset, length);
        }

        @Override
        public void onPong(ByteBuffer buf, int offset, int length) {
            // unsolicited pongs need no answer
        }

        @Override
        public void onClose(int code, ByteBuffer reason, int offset, int length, boolean closeAlreadySent) {
            if (!closeAlreadySent) {
                WebSocketFrameWriter.writeCloseEcho(out, code);
                decoder.closeSent();
            }
            closeTcp = true;
        }

        @Override
        public void onProtocolError(WebSocketError error) {
            WebSocketFrameWriter.writeClose(out, error);
            decoder.closeSent();
            closeTcp = true;
        }

        /** The server's frames as "opcode:payload-as-text" (server frames are unmasked). */
        List<String> written() {
            List<String> frames = new ArrayList<>();
            ByteBuffer b = out.duplicate().flip();
            new WebSocketFrameReader().read(b, new WebSocketFrameReader.FrameHandler() {
                final StringBuilder payload = new StringBuilder();
                int opcode;

                @Override
                public boolean onFrameHeader(boolean fin, int rsv, int op, boolean masked, long length) {
                    opcode = op;
                    payload.setLength(0);
                    return true;
                }

                @Override
                public boolean onFramePayload(ByteBuffer buf, int offset, int length) {
                    byte[] p = new byte[length];
                    buf.get(offset, p);
                    payload.append(new String(p, StandardCharsets.ISO_8859_1));
                    return true;
                }

                @Override
                public boolean onFrameEnd() {
                    frames.add(opcode + ":" + payload);
                    return true;
                }
            });
            return frames;
        }
    }

    @Test
    void handshakeThenEchoPingAndClosingHandshake() {
        WebSocketHandshake hs = new WebSocketHandshake();
        hs.reset();
        hs.method("GET");
        hs.httpVersion("HTTP/1.1");
        hs.header("Host", "127.0.0.1:9001");
        hs.header("Upgrade", "websocket");
        hs.header("Connection", "Upgrade");
        hs.header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==");
        hs.header("Sec-WebSocket-Version", "13");
        assertEquals(WebSocketHandshake.Outcome.ACCEPTED, hs.validate(null));

        EchoEndpoint e = new EchoEndpoint();
        byte[] wire = concat(text("Hello"), masked(false, WebSocketOpcodes.TEXT, utf8("frag")),
                masked(WebSocketOpcodes.PING, utf8("p!")), masked(true, WebSocketOpcodes.CONTINUATION, utf8("ment")),
                close(1000, "done"), text("after close: never read"));
        ByteBuffer in = ByteBuffer.wrap(wire);
        // Three reads of arbitrary sizes, as the driver would deliver them.
        in.limit(9);
        e.decoder.decode(in);
        in.limit(20);
        e.decoder.decode(in);
        in.limit(wire.length);
        assertEquals(WebSocketMessageDecoder.State.CLOSE_RECEIVED, e.decoder.decode(in));
        assertEquals(List.of("1:Hello", "10:p!", "1:fragment", "8:\u0003\u00e8"), e.written());
        assertEquals(true, e.closeTcp);
        assertEquals(text("after close: never read").length, in.remaining(), "left for the driver to drop");
    }

    @Test
    void protocolErrorIsAnsweredWithItsCloseCode() {
        EchoEndpoint e = new EchoEndpoint();
        e.decoder.decode(ByteBuffer.wrap(concat(text("ok"), masked(WebSocketOpcodes.TEXT, Frames.bytes(0xC0, 0x80)))));
        assertEquals(List.of("1:ok", "8:\u0003\u00ef" + WebSocketError.INVALID_UTF8.reason()), e.written());
    }
}
