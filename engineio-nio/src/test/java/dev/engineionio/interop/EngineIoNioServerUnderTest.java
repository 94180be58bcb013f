package dev.engineionio.interop;

import dev.engineionio.EngineServer;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Our server, engineio-nio's {@link EngineServer}, started in this JVM on a free 127.0.0.1 port with the settings of
 * the echo-server contract (src/test/js/README.md): path {@code /engine.io/}, pingInterval 25000, pingTimeout 20000,
 * maxHttpBufferSize 1e6, CORS for any origin, allowEIO3 on, every message echoed unchanged. The contract's flags map
 * to builder options: {@code --no-eio3} → allowEIO3 off, {@code --cookie} → the default {@code io} cookie, {@code
 * --forbid <reason>} → an allowRequest hook refusing every handshake with that reason, {@code --pingInterval <ms>}
 * and {@code --pingTimeout <ms>} → the heartbeat.
 *
 * <p>Thread: created and closed by the test thread; the server's callbacks run on its event loops.
 */
final class EngineIoNioServerUnderTest implements ServerUnderTest {

    static final Factory FACTORY = new Factory() {
        @Override
        public String name() {
            return "engineio-nio";
        }

        @Override
        public ServerUnderTest start(List<String> flags) throws IOException {
            return new EngineIoNioServerUnderTest(flags);
        }

        @Override
        public String toString() {
            return name();
        }
    };

    private final EngineServer server;
    private final URI baseUri;

    private EngineIoNioServerUnderTest(List<String> flags) throws IOException {
        EngineServer.Builder b = EngineServer.builder()
                .listen("127.0.0.1", 0)
                .pingInterval(Duration.ofSeconds(25))
                .pingTimeout(Duration.ofMillis(20_000))
                .maxHttpBufferSize(1_000_000)
                .corsAnyOrigin()
                .allowEIO3(true)
                .onConnection(socket -> socket
                        .onMessage(socket::send)
                        .onBinary(socket::send));
        for (int i = 0; i < flags.size(); i++) {
            switch (flags.get(i)) {
                case "--no-eio3" -> b.allowEIO3(false);
                case "--cookie" -> b.cookie(true);
                case "--forbid" -> {
                    String reason = flags.get(++i);
                    b.allowRequest(request -> reason);
                }
                case "--pingInterval" -> b.pingInterval(Duration.ofMillis(Integer.parseInt(flags.get(++i))));
                case "--pingTimeout" -> b.pingTimeout(Duration.ofMillis(Integer.parseInt(flags.get(++i))));
                default -> throw new IllegalArgumentException("unknown echo-server flag " + flags.get(i));
            }
        }
        server = b.build().start();
        baseUri = URI.create("http://127.0.0.1:" + server.port() + "/engine.io/");
    }

    @Override
    public URI baseUri() {
        return baseUri;
    }

    @Override
    public void close() {
        server.close();
    }

    @Override
    public String toString() {
        return "engineio-nio " + baseUri;
    }
}
