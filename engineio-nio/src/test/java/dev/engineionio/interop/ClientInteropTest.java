package dev.engineionio.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real clients written by others against every server of {@link ServersUnderTest#servers()}: npm
 * {@code engine.io-client} 6.6.8 (EIO=4) and 3.5.6 (EIO=3), driven by {@code src/test/js/client.js}, over polling,
 * WebSocket and the upgrade. The scenario list comes from {@code node client.js list}, so a scenario added to the
 * script is run here without a Java change; what each scenario checks is written beside it in the script.
 *
 * <p>Each run is one node process with its own hard timeout (in the script) and a second, larger one here. A run
 * passes when node exits 0 and its JSON line says {@code "ok":true} for the scenario and client asked for. The
 * heartbeat scenarios idle through three 300 ms ping intervals, counting the heartbeats as they happen: they wait
 * for events, and no scenario asserts how long anything took.
 *
 * <p>Heartbeat: the contract's server pings every 25 s, so that no ping, and no 200 ms pong deadline, falls into a
 * scenario about data however slow a loaded machine makes it. {@code heartbeat:*} runs on a server started with
 * {@code --pingInterval 300 --pingTimeout 5000} (pings every 300 ms; a node process stalled for 200 ms does not lose
 * its session), {@code server-close:*}, whose client falls silent on purpose after one echo, with {@code
 * --pingInterval 300 --pingTimeout 1000}: there the deadline is what ends the session, and a second is short enough
 * to wait for yet long enough for the pongs before the silence on a loaded machine.
 */
class ClientInteropTest {

    private static final long RUN_TIMEOUT_SECONDS = 60;
    private static final List<String> FAST_HEARTBEAT = List.of("--pingInterval", "300", "--pingTimeout", "5000");
    private static final List<String> FAST_HEARTBEAT_FOR_A_SILENT_CLIENT =
            List.of("--pingInterval", "300", "--pingTimeout", "1000");
    private static final List<String> CLIENTS = List.of("v6", "v3");
    private static final ServersUnderTest SERVERS = new ServersUnderTest();

    @AfterAll
    static void stopServers() {
        SERVERS.close();
    }

    static Stream<Arguments> runs() throws IOException, InterruptedException {
        NodeHarness.Result list = NodeHarness.run(RUN_TIMEOUT_SECONDS, "client.js", "list");
        if (list.exitCode() != 0) {
            throw new IllegalStateException("cannot list scenarios\n" + list.describe());
        }
        List<String> scenarios = Arrays.stream(list.stdout().split("\n")).map(String::strip)
                .filter(s -> !s.isEmpty()).toList();
        if (scenarios.size() < 20) {
            throw new IllegalStateException("too few scenarios listed: " + scenarios);
        }
        return ServersUnderTest.servers().flatMap(server -> CLIENTS.stream()
                .flatMap(client -> scenarios.stream().map(scenario -> Arguments.of(server, client, scenario))));
    }

    @ParameterizedTest(name = "{0} engine.io-client {1} {2}")
    @MethodSource("runs")
    void scenarioPasses(ServerUnderTest.Factory server, String client, String scenario) throws Exception {
        List<String> flags = scenario.startsWith("heartbeat:") ? FAST_HEARTBEAT
                : scenario.startsWith("server-close:") ? FAST_HEARTBEAT_FOR_A_SILENT_CLIENT : List.of();
        String url = SERVERS.get(server, flags).baseUri().toString();
        NodeHarness.Result result = NodeHarness.run(RUN_TIMEOUT_SECONDS, "client.js", url, client, scenario);
        assertEquals(0, result.exitCode(), result::describe);
        String expectedStart = "{\"ok\":true,\"scenario\":\"" + scenario + "\",\"client\":\"" + client + "\"";
        assertTrue(result.lastLine().startsWith(expectedStart), result::describe);
    }
}
