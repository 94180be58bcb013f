package dev.engineionio.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.engineionio.EngineServer;
import dev.engineionio.PerMessageDeflate;
import dev.engineionio.WebSocketHandler;
import dev.engineionio.WebSocketSession;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * permessage-deflate with real clients written by others, in Node: engine.io-client 6.6.8 over its WebSocket
 * transport, directly and after an upgrade from polling (npm ws offers the extension; the server agrees when
 * {@code perMessageDeflate} is on) and npm ws with
 * several offers (a 9-bit client window, no context takeover either way, server window 15) against a raw endpoint.
 * The script checks RSV1 on the wire (a tap on the socket's raw bytes) and every echo's content; see
 * {@code src/test/js/deflate-client.js}.
 */
class PerMessageDeflateNodeTest {

    @Test
    void engineIoClientAndWsNegotiateCompressAndEchoIntact() throws Exception {
        try (EngineServer server = EngineServer.builder().eventLoops(1).perMessageDeflate(true)
                .onConnection(s -> s.onMessage(s::send).onBinary(s::send))
                .webSocket("/echo", new WebSocketHandler() {
                    @Override
                    public void onText(WebSocketSession session, String text) {
                        session.sendText(text);
                    }

                    @Override
                    public void onBinary(WebSocketSession session, ByteBuffer data) {
                        session.sendBinary(data);
                    }
                })
                .webSocketPerMessageDeflate(PerMessageDeflate.DEFAULTS)
                .build().start()) {
            int port = server.port();
            NodeHarness.Result r = NodeHarness.run(60, "deflate-client.js", "http://127.0.0.1:" + port + "/engine.io/",
                    "ws://127.0.0.1:" + port + "/echo");
            assertEquals(0, r.exitCode(), r.describe());
            String line = r.lastLine();
            assertTrue(line.startsWith("{\"ok\":true"), r.describe());
            assertTrue(line.contains("\"eioExtensions\":\"permessage-deflate\""), line);
            assertTrue(line.contains("\"eioUpgraded\":\"permessage-deflate\""), line);
            assertTrue(line.contains("\"rawSmallClientWindow\":\"permessage-deflate; client_no_context_takeover; "
                    + "client_max_window_bits=9\""), line);
            assertTrue(line.contains("\"rawNoContext\":\"permessage-deflate; server_no_context_takeover; "
                    + "client_no_context_takeover\""), line);
            assertTrue(line.contains("\"rawServerWindow15\":\"permessage-deflate; server_max_window_bits=15; "
                    + "client_max_window_bits=8\""), line);
        }
    }
}
