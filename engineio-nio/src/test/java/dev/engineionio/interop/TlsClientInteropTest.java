package dev.engineionio.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.engineionio.EngineServer;
import dev.engineionio.TestPki;
import dev.engineionio.TlsContext;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The official npm {@code engine.io-client} 6.6.8 in Node against our server over https and wss, trusting the test CA
 * through {@code NODE_EXTRA_CA_CERTS} (the certificate is made at test time, {@link TestPki}): polling, WebSocket, the
 * upgrade, binary and 1 MB messages, order of 1000 messages. The 200-session {@code concurrent} scenario is not run over
 * TLS: its 600 handshakes in one node process do not fit the scenario's 30 s on a loaded 2-core machine. Same scenarios and echo contract as {@link
 * ClientInteropTest} (src/test/js/client.js), over TLS only; the heartbeat scenarios are not run (the server's
 * heartbeat here is relaxed, see below).
 */
class TlsClientInteropTest {

    private static final long RUN_TIMEOUT_SECONDS = 60;
    private static EngineServer server;
    private static Map<String, String> env;

    @BeforeAll
    static void start() throws Exception {
        TestPki pki = TestPki.get();
        server = EngineServer.builder()
                .listenTls("127.0.0.1", 0, TlsContext.fromPkcs12(pki.serverStore("rsa", "RSA"), TestPki.PASSWORD))
                // A relaxed heartbeat: every polling request may open a new connection and so cost a full TLS
                // handshake on both sides, which on a loaded machine can exceed the plain contract's 200 ms.
                .pingInterval(Duration.ofSeconds(1))
                .pingTimeout(Duration.ofMillis(5000))
                .maxHttpBufferSize(1_000_000)
                .corsAnyOrigin()
                .onConnection(socket -> socket.onMessage(socket::send).onBinary(socket::send))
                .build()
                .start();
        env = Map.of("NODE_EXTRA_CA_CERTS", pki.caPem.toString());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest(name = "engine.io-client v6 over TLS: {0}")
    @ValueSource(strings = {"polling", "websocket", "upgrade", "binary:polling", "binary:websocket", "large:polling",
            "large:websocket", "during-upgrade", "order:polling", "order:websocket"})
    void scenarioPassesOverTls(String scenario) throws Exception {
        String url = "https://127.0.0.1:" + server.port() + "/engine.io/";
        NodeHarness.Result result = NodeHarness.run(env, RUN_TIMEOUT_SECONDS, "client.js", url, "v6", scenario);
        assertEquals(0, result.exitCode(), result::describe);
        assertTrue(result.lastLine().startsWith("{\"ok\":true,\"scenario\":\"" + scenario + "\""), result::describe);
    }
}
