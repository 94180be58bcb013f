package dev.engineionio.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real socket.io-client (4.8, protocol 5; and 2.5, protocol 4 over Engine.IO 3) against our server and against
 * the npm socket.io 4.8 reference with the same scenarios ({@code src/test/js-socketio/client.js}): what passes on
 * the reference must pass on ours. Each scenario runs on the default transports (polling, then the upgrade), and the
 * transport-sensitive ones also on polling only and WebSocket only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SocketIoInteropTest {

    private SocketIoTestServer ours;
    private SocketIoTestServer oursRecovery;
    private SioNode.ReferenceServer reference;

    @BeforeAll
    void start() throws Exception {
        ours = new SocketIoTestServer();
        oursRecovery = new SocketIoTestServer(true);
        reference = new SioNode.ReferenceServer();
    }

    @AfterAll
    void stop() throws Exception {
        if (ours != null) {
            ours.close();
        }
        if (oursRecovery != null) {
            oursRecovery.close();
        }
        if (reference != null) {
            reference.close();
        }
    }

    static Stream<Arguments> cases() {
        List<String> scenarios = List.of("connect-auth", "connect-no-auth", "connect-refused", "invalid-namespace",
                "namespaces", "events", "acks", "server-acks", "binary", "rooms", "disconnect-reasons",
                "connect-timeout", "parse-error", "many-clients", "recovery");
        List<String> perTransport = List.of("events", "acks", "binary", "server-acks", "recovery");
        List<Arguments> out = new ArrayList<>();
        for (String server : List.of("reference", "ours")) {
            for (String version : List.of("v4", "v2")) {
                for (String s : scenarios) {
                    out.add(Arguments.of(server, version, s));
                }
                for (String s : perTransport) {
                    out.add(Arguments.of(server, version, s + ":polling"));
                    out.add(Arguments.of(server, version, s + ":websocket"));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void scenarioPassesWithTheRealClient(String server, String version, String scenario) throws Exception {
        boolean recovery = scenario.startsWith("recovery");
        int port = server.equals("ours") ? (recovery ? oursRecovery.port() : ours.port())
                : (recovery ? reference.recoveryPort : reference.port);
        SioNode.Result r = SioNode.run(30, "client.js", "http://127.0.0.1:" + port, version, scenario);
        assertEquals(0, r.exit(), r.describe());
        assertTrue(r.stdout().contains("\"ok\":true"), r.describe());
    }
}
