package dev.engineionio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.engineionio.EngineServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The echo server of {@link EchoServer} with the JDK's HttpClient and WebSocket: a polling handshake, messages over
 * polling, then the upgrade to WebSocket ({@code 2probe}/{@code 3probe}/{@code 5}) and messages over it. Waits are
 * failure guards only.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EngineEndToEndTest {

    @Test
    void pollingHandshakeThenUpgrade() throws Exception {
        EngineServer server = EchoServer.build(0, 25_000, 20_000, false).start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + server.port() + "/engine.io/?EIO=4&transport=polling";
            HttpResponse<String> open = http.send(HttpRequest.newBuilder(URI.create(base)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, open.statusCode());
            Matcher m = Pattern.compile("\"sid\":\"([^\"]+)\"").matcher(open.body());
            assertTrue(m.find(), open.body());
            String sid = m.group(1);
            String q = base + "&sid=" + sid;
            HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create(q))
                    .POST(HttpRequest.BodyPublishers.ofString("4over polling")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("ok", ok.body());
            assertEquals("4over polling", http.send(HttpRequest.newBuilder(URI.create(q)).build(),
                    HttpResponse.BodyHandlers.ofString()).body());

            BlockingQueue<String> frames = new LinkedBlockingQueue<>();
            WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + server.port()
                    + "/engine.io/?EIO=4&transport=websocket&sid=" + sid), new WebSocket.Listener() {
                        private final StringBuilder sb = new StringBuilder();

                        @Override
                        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                            sb.append(data);
                            if (last) {
                                frames.add(sb.toString());
                                sb.setLength(0);
                            }
                            w.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
                            frames.add("binary " + data.remaining());
                            w.request(1);
                            return null;
                        }
                    }).get(20, TimeUnit.SECONDS);
            ws.sendText("2probe", true).get(20, TimeUnit.SECONDS);
            assertEquals("3probe", poll(frames));
            ws.sendText("5", true).get(20, TimeUnit.SECONDS);
            ws.sendText("4over websocket", true).get(20, TimeUnit.SECONDS);
            assertEquals("4over websocket", poll(frames));
            ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3, 4}), true).get(20, TimeUnit.SECONDS);
            assertEquals("binary 4", poll(frames));
            // polling is over for the session
            assertEquals(400, http.send(HttpRequest.newBuilder(URI.create(q)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            ws.sendClose(1000, "").get(20, TimeUnit.SECONDS);
        } finally {
            server.close();
        }
    }

    private static String poll(BlockingQueue<String> q) throws InterruptedException {
        String s = q.poll(20, TimeUnit.SECONDS);
        assertNotNull(s, "no frame");
        return s;
    }
}
