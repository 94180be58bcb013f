package dev.engineionio.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.engineionio.EngineServer;
import dev.engineionio.socketio.SocketIoServer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link SocketIoEchoServer} as the socket.io-protocol test suite drives it, over a raw WebSocket (the JDK's):
 * CONNECT with auth to {@code /} and {@code /custom}, {@code auth} back, {@code message} to {@code message-back},
 * {@code message-with-ack} acknowledged, binary attachments echoed; and the README's Socket.IO example, compiled
 * and run (the block between {@code // README:socketio} and {@code // README:end} must appear in README.md verbatim,
 * indentation aside). Waits are failure guards only.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SocketIoEchoServerTest {

    private final BlockingQueue<Object> frames = new LinkedBlockingQueue<>();

    static SocketIoServer readmeChat(int port) throws IOException {
        // README:socketio
        SocketIoServer io = SocketIoServer.builder(EngineServer.builder().listen("127.0.0.1", port).corsAnyOrigin())
                .build();                                                    // path /socket.io/, connectTimeout 45 s
        io.of("/chat")
                .use((socket, next) -> {                                     // next may be called later, from any thread
                    if ("secret".equals(socket.handshake().auth().get("token"))) {
                        next.proceed();
                    } else {
                        next.fail("not authorized", Map.of("code", 42));     // the client's connect_error: message, data
                    }
                })
                .onConnection(socket -> {                                    // on the socket's event loop
                    socket.join("lobby");
                    socket.on("say", (args, ack) -> {
                        socket.to("lobby").emit("said", args.get(0));       // the room but the sender
                        ack.send("ok");                                      // the client's callback
                    });
                    socket.emitWithAck(Duration.ofSeconds(5), "ready?")      // a CompletableFuture of the reply
                            .thenAccept(reply -> socket.emit("thanks", reply.get(0)));
                    socket.onDisconnect((reason, description) -> System.out.println(socket.id() + ": " + reason));
                });
        io.start();
        // README:end
        return io;
    }

    @Test
    void readmeHoldsTheSocketIoBlock() throws IOException {
        String src = Files.readString(Path.of("src/test/java/dev/engineionio/examples/SocketIoEchoServerTest.java"),
                StandardCharsets.UTF_8);
        String block = src.substring(src.indexOf("// README:socketio\n") + "// README:socketio\n".length(),
                src.indexOf("        // README:end"));
        String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);
        assertTrue(strip(readme).contains(strip(block)), "README.md lacks the block:\n" + block);
    }

    private static String strip(String s) {
        return s.lines().map(String::strip).reduce("", (a, b) -> a + b + "\n");
    }

    @Test
    void readmeExampleRefusesAndServesAsItSays() throws Exception {
        SocketIoServer io = readmeChat(0);
        try {
            WebSocket ws = open(io.port());
            nextText(); // the open packet
            ws.sendText("40/chat,{\"token\":\"wrong\"}", true).join();
            assertEquals("44/chat,{\"message\":\"not authorized\",\"data\":{\"code\":42}}", nextText());
            ws.sendText("40/chat,{\"token\":\"secret\"}", true).join();
            assertTrue(nextText().startsWith("40/chat,{\"sid\":"));
            assertEquals("42/chat,0[\"ready?\"]", nextText());
            ws.sendText("43/chat,0[\"yes\"]", true).join();
            assertEquals("42/chat,[\"thanks\",\"yes\"]", nextText());
            ws.sendText("42/chat,7[\"say\",\"hi\"]", true).join();
            assertEquals("43/chat,7[\"ok\"]", nextText());
            ws.abort();
        } finally {
            io.close();
        }
    }

    private WebSocket open(int port) throws Exception {
        return HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(
                "ws://127.0.0.1:" + port + "/socket.io/?EIO=4&transport=websocket"), new Listener())
                .get(20, TimeUnit.SECONDS);
    }

    /** Collects text and binary frames; answers pings. */
    private final class Listener implements WebSocket.Listener {
        private final StringBuilder sb = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            sb.append(data);
            if (last) {
                String s = sb.toString();
                sb.setLength(0);
                if (s.equals("2")) {
                    w.sendText("3", true);
                } else {
                    frames.add(s);
                }
            }
            w.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            frames.add(b);
            w.request(1);
            return null;
        }
    }

    private Object next() throws InterruptedException {
        Object f = frames.poll(20, TimeUnit.SECONDS);
        if (f == null) {
            throw new AssertionError("no frame");
        }
        return f;
    }

    private String nextText() throws InterruptedException {
        return (String) next();
    }

    @Test
    void answersAsTheProtocolSuiteExpects() throws Exception {
        SocketIoServer io = SocketIoEchoServer.build(0, false).start();
        try {
            WebSocket ws = open(io.port());
            String open = nextText();
            assertTrue(open.startsWith("0{\"sid\":") && open.contains("\"pingInterval\":300")
                    && open.contains("\"pingTimeout\":200") && open.contains("\"maxPayload\":1000000"), open);

            ws.sendText("40{\"token\":\"123\"}", true).join();
            String connect = nextText();
            assertTrue(connect.matches("40\\{\"sid\":\"[A-Za-z0-9_-]{20}\"}"), connect);
            assertEquals("42[\"auth\",{\"token\":\"123\"}]", nextText());

            ws.sendText("42[\"message\",1,\"2\",{\"3\":[true,null]}]", true).join();
            assertEquals("42[\"message-back\",1,\"2\",{\"3\":[true,null]}]", nextText());
            ws.sendText("4213[\"message-with-ack\",\"a\",{\"b\":1.5}]", true).join();
            assertEquals("4313[\"a\",{\"b\":1.5}]", nextText());

            ws.sendText("451-[\"message\",{\"_placeholder\":true,\"num\":0}]", true).join();
            ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).join();
            assertEquals("451-[\"message-back\",{\"_placeholder\":true,\"num\":0}]", nextText());
            assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) next());

            ws.sendText("40/custom,", true).join();
            String custom = nextText();
            assertTrue(custom.startsWith("40/custom,{\"sid\":"), custom);
            assertEquals("42/custom,[\"auth\",{}]", nextText());
            ws.sendText("42/custom,[\"message\",\"c\"]", true).join();
            assertEquals("42/custom,[\"message-back\",\"c\"]", nextText());

            ws.sendText("40/nope,", true).join();
            assertEquals("44/nope,{\"message\":\"Invalid namespace\"}", nextText());
            ws.abort();
        } finally {
            io.close();
        }
    }
}
