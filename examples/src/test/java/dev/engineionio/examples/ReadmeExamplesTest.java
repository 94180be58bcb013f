package dev.engineionio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.engineionio.EngineServer;
import dev.engineionio.WebSocketHandler;
import dev.engineionio.WebSocketSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The code blocks of the README's "Ten-line server" and "Raw WebSocket endpoint" sections, compiled and run here so
 * that they cannot rot: each block lies between {@code // README:<name>} and {@code // README:end} below, and
 * {@link #readmeHoldsTheseBlocks} fails when README.md does not contain it verbatim (indentation aside). Clients are
 * the JDK's {@code HttpClient} and {@code WebSocket}; waits are failure guards only.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReadmeExamplesTest {

    private static final long GUARD_S = 20;

    // README:echo
    public final class Echo {
        public static void main(String[] args) throws IOException {
            start(3000);                                           // serves until the process ends
        }

        static EngineServer start(int port) throws IOException {
            return EngineServer.builder()
                    .listen("127.0.0.1", port)
                    .onConnection(socket -> socket
                            .onMessage(socket::send)               // listeners run on the session's event loop
                            .onBinary(socket::send)
                            .onClose((reason, description) -> System.out.println(socket.id() + ": " + reason)))
                    .build()
                    .start();
        }
    }
    // README:end

    static EngineServer rawEndpoint(int port) throws IOException {
        // README:raw
        EngineServer server = EngineServer.builder()
                .listen("127.0.0.1", port)
                .webSocket("/raw", new WebSocketHandler() {        // ws://127.0.0.1:<port>/raw
                    @Override
                    public void onText(WebSocketSession session, String text) {
                        session.sendText(text);                   // loop thread: do not block here
                    }

                    @Override
                    public void onBinary(WebSocketSession session, ByteBuffer data) {
                        session.sendBinary(data);                 // copied: data is valid during the call only
                    }
                })
                .build()
                .start();
        // README:end
        return server;
    }

    @Test
    void readmeHoldsTheseBlocks() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        String self = Files.readString(Path.of("src", "test", "java", "dev", "engineionio", "examples",
                "ReadmeExamplesTest.java"), StandardCharsets.UTF_8);
        for (String name : List.of("echo", "raw")) {
            String block = dedent(between(self, "// README:" + name + "\n", "// README:end"));
            assertTrue(readme.contains("```java\n" + block + "```\n"),
                    "README.md must hold this block verbatim:\n" + block);
        }
    }

    @Test
    void echoServerAnswersOverPollingAndPrintsEachClose() throws Exception {
        // the example prints each close on System.out: taken here and asserted, so a green build stays quiet
        PrintStream console = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        EngineServer server = Echo.start(0);
        String sid = null;
        try {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + server.port() + "/engine.io/?EIO=4&transport=polling";
            String open = http.send(HttpRequest.newBuilder(URI.create(base)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = Pattern.compile("\"sid\":\"([^\"]+)\"").matcher(open);
            assertTrue(m.find(), open);
            sid = m.group(1);
            String q = base + "&sid=" + sid;
            assertEquals("ok", http.send(HttpRequest.newBuilder(URI.create(q))
                    .POST(HttpRequest.BodyPublishers.ofString("4hello")).build(), HttpResponse.BodyHandlers.ofString())
                    .body());
            assertEquals("4hello", http.send(HttpRequest.newBuilder(URI.create(q)).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
        } finally {
            try {
                server.close(); // returns once every loop has stopped: the close listener has run and printed
            } finally {
                System.setOut(console);
            }
        }
        assertEquals(sid + ": forced close" + System.lineSeparator(), printed.toString(StandardCharsets.UTF_8));
    }

    @Test
    void rawEndpointEchoesTextAndBinary() throws Exception {
        EngineServer server = rawEndpoint(0);
        try {
            BlockingQueue<String> got = new LinkedBlockingQueue<>();
            WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/raw"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
                            got.add("text " + data);
                            w.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
                            got.add("binary " + data.remaining());
                            w.request(1);
                            return null;
                        }
                    }).get(GUARD_S, TimeUnit.SECONDS);
            ws.sendText("héllo", true).get(GUARD_S, TimeUnit.SECONDS);
            assertEquals("text héllo", got.poll(GUARD_S, TimeUnit.SECONDS));
            ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).get(GUARD_S, TimeUnit.SECONDS);
            assertEquals("binary 3", got.poll(GUARD_S, TimeUnit.SECONDS));
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(GUARD_S, TimeUnit.SECONDS);
        } finally {
            server.close();
        }
    }

    private static String between(String s, String begin, String end) {
        int b = s.indexOf(begin);
        assertTrue(b >= 0, "marker " + begin.trim() + " missing");
        b += begin.length();
        int e = s.indexOf(end, b);
        assertTrue(e >= 0, "marker " + end + " missing after " + begin.trim());
        return s.substring(b, s.lastIndexOf('\n', e) + 1);
    }

    /** Removes the indentation common to every non-blank line. */
    private static String dedent(String block) {
        String[] lines = block.split("\n", -1);
        int indent = Integer.MAX_VALUE;
        for (String l : lines) {
            if (!l.isBlank()) {
                indent = Math.min(indent, l.length() - l.stripLeading().length());
            }
        }
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            out.add(l.isBlank() ? "" : l.substring(indent));
        }
        return String.join("\n", out);
    }
}
