package dev.engineionio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.engineionio.EngineServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code EchoServer --perMessageDeflate} with the JDK's WebSocket client, which offers no extension: the server agrees
 * none and sends plain frames (the JDK fails a connection on any RSV bit, so every echo arriving intact shows it).
 * Waits are failure guards only.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PerMessageDeflateJdkClientTest {

    @Test
    void staysUncompressedWithAClientThatOffersNoExtension() throws Exception {
        EngineServer server = EchoServer.build(0, 25_000, 20_000, false, true, null).start();
        try {
            BlockingQueue<String> frames = new LinkedBlockingQueue<>();
            WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:"
                    + server.port() + "/engine.io/?EIO=4&transport=websocket"), new WebSocket.Listener() {
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
                        public void onError(WebSocket w, Throwable error) {
                            frames.add("error " + error);
                        }
                    }).get(20, TimeUnit.SECONDS);
            String open = frames.poll(20, TimeUnit.SECONDS);
            assertTrue(open != null && open.startsWith("0{\"sid\":"), open);
            for (int size : new int[] {10, 2000, 70_000}) {
                String m = "4" + "{\"k\":\"value\"},".repeat(size / 14 + 1);
                ws.sendText(m, true).get(20, TimeUnit.SECONDS);
                assertEquals(m, frames.poll(20, TimeUnit.SECONDS));
            }
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(20, TimeUnit.SECONDS);
        } finally {
            server.close();
        }
    }
}
