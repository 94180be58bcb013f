package dev.engineionio.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.engineionio.EngineServer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The SSE transport plug-in ({@code clients/sse/engine.io-sse.js}) with the official engine.io-client 6.6.8 and the
 * npm {@code eventsource} package, in Node, against this server ({@code src/test/js/sse-client.js}): handshake, the
 * text set both ways, binary, 1 MB, 1,000 in order, the upgrade to WebSocket under traffic, a resume after the
 * stream's TCP connection is cut (through a proxy that cuts it), and closes from either side.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class SsePluginNodeTest {

    static final List<String> SPECIALS = Arrays.asList("\r", "\r\n", "\n", "\n\n", "\r\r", " ", "  ", "\0", "\u001e",
            "\u2028", "\u2029", "\uD83D\uDE00", "\uD800\uDC00", "\\", "\\n", "\\r", ":", "data: x", "\ufeff", "id: 1",
            "\t");

    static List<String> texts() {
        List<String> l = new ArrayList<>();
        for (String s : SPECIALS) {
            l.add(s);
            l.add(s + "ab");
            l.add("a" + s + "b");
            l.add("ab" + s);
        }
        l.add("");
        return l;
    }

    @Test
    void thePluginPassesEveryScenarioInNode() throws Exception {
        Queue<String> closes = new ConcurrentLinkedQueue<>();
        try (EngineServer server = EngineServer.builder().listen("127.0.0.1", 0).eventLoops(2)
                .transports("polling", "websocket", "sse")
                .maxHttpBufferSize(2_000_000)
                .onConnection(s -> {
                    s.onMessage(m -> {
                        if (m.equals("close-me")) {
                            s.close();
                        } else if (m.equals("texts")) {
                            texts().forEach(s::send);
                        } else if (m.startsWith("flood:")) {
                            String[] a = m.split(":");
                            String body = "x".repeat(Integer.parseInt(a[2]));
                            for (int i = 0; i < Integer.parseInt(a[1]); i++) {
                                s.send(i + ":" + body);
                            }
                        } else {
                            s.send(m);
                        }
                    });
                    s.onBinary(s::send);
                    s.onClose((r, d) -> closes.add(r));
                })
                .build().start()) {
            NodeHarness.Result list = NodeHarness.run(30, "sse-client.js", "list");
            assertEquals(0, list.exitCode(), list.describe());
            String url = "http://127.0.0.1:" + server.port() + "/engine.io/";
            NodeHarness.Result r = NodeHarness.run(200, "sse-client.js", url);
            String[] names = list.stdout().strip().split("\n");
            for (String name : names) {
                assertTrue(r.stdout().contains("{\"ok\":true,\"scenario\":\"" + name + "\""),
                        name + " failed:\n" + r.describe());
            }
            assertEquals(0, r.exitCode(), r.describe());
            assertTrue(closes.contains("transport close"), "the client's close reached the server: " + closes);
            assertTrue(closes.contains("forced close"), "the server's close: " + closes);
        }
    }
}
