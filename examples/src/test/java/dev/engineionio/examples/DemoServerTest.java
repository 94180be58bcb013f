package dev.engineionio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.engineionio.EngineServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link DemoServer}'s files over HTTP (JDK client) and its name/text limits at their edges. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DemoServerTest {

    @Test
    void servesThePageAndTheNpmBundle() throws Exception {
        EngineServer server = new DemoServer(line -> { }).server(0, "127.0.0.1").start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + server.port();
            HttpResponse<String> page = get(http, base + "/");
            assertEquals(200, page.statusCode());
            assertEquals("text/html; charset=UTF-8", page.headers().firstValue("content-type").orElse(null));
            assertTrue(page.body().contains("<script src=\"engine.io.min.js\"></script>"), page.body());
            assertEquals(page.body(), get(http, base + "/index.html").body());

            HttpResponse<String> bundle = get(http, base + "/engine.io.min.js");
            assertEquals(200, bundle.statusCode());
            assertEquals("text/javascript; charset=UTF-8", bundle.headers().firstValue("content-type").orElse(null));
            assertTrue(bundle.body().contains("Engine.IO v6.6.8"), "the pinned npm bundle");
            assertEquals(200, get(http, base + "/app.js").statusCode());
            assertEquals("text/css; charset=UTF-8",
                    get(http, base + "/style.css").headers().firstValue("content-type").orElse(null));

            assertEquals(404, get(http, base + "/nope").statusCode());
            assertEquals(404, get(http, base + "/demo/index.html").statusCode());
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(base + "/"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, post.statusCode());
            assertEquals("GET, HEAD", post.headers().firstValue("allow").orElse(null));
            HttpResponse<String> head = http.send(HttpRequest.newBuilder(URI.create(base + "/app.js"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, head.statusCode());
            assertEquals("", head.body());
            // the connection is still usable after the HEAD (no stray body on it)
            assertEquals(200, get(http, base + "/app.js").statusCode());

            // Engine.IO is still on /engine.io/
            HttpResponse<String> open = get(http, base + "/engine.io/?EIO=4&transport=polling");
            assertEquals(200, open.statusCode());
            assertTrue(open.body().startsWith("0{\"sid\":\""), open.body());
            assertTrue(open.body().contains("\"maxPayload\":65536"), open.body());
            assertTrue(open.body().endsWith("\u001e4users:1"), open.body());
        } finally {
            server.close();
        }
    }

    @Test
    void namesAreCleanedAndCut() {
        assertEquals("Alice", DemoServer.cleanName(" Al:i\u0000ce\n "));
        assertEquals("guest", DemoServer.cleanName(""));
        assertEquals("guest", DemoServer.cleanName(" ::\u007f "));
        String max = "a".repeat(DemoServer.MAX_NAME);
        assertEquals(max, DemoServer.cleanName(max));
        assertEquals(max, DemoServer.cleanName(max + "b"));
    }

    @Test
    void textsAreCutWithoutSplittingASurrogatePair() {
        String max = "x".repeat(DemoServer.MAX_TEXT);
        assertEquals(max, DemoServer.cut(max, DemoServer.MAX_TEXT));
        assertEquals(max, DemoServer.cut(max + "y", DemoServer.MAX_TEXT));
        String emojiAtEdge = "x".repeat(DemoServer.MAX_TEXT - 1) + "\uD83D\uDE00";
        assertEquals("x".repeat(DemoServer.MAX_TEXT - 1), DemoServer.cut(emojiAtEdge, DemoServer.MAX_TEXT));
        assertEquals("ab", DemoServer.cut("ab", 2));
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
