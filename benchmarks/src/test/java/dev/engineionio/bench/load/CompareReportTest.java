package dev.engineionio.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CompareReportTest {

    private static String resource(String name) throws IOException {
        try (InputStream in = CompareReportTest.class.getResourceAsStream("/compare/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static List<Map<String, String>> parse(String lines) {
        List<Map<String, String>> runs = new ArrayList<>();
        for (String line : lines.split("\n")) {
            if (line.startsWith("{")) {
                runs.add(CompareReport.parseFlat(line));
            }
        }
        return runs;
    }

    /** The recorded ours-vs-reference run of 2026-11-25: summary and chart as the two-server report wrote them. */
    @Test
    void twoServerReportIsUnchanged() throws IOException {
        List<Map<String, String>> runs = parse(resource("runs-two-servers.jsonl"));
        assertEquals(List.of("reference", "ours"), CompareReport.sides(runs));
        assertEquals(resource("summary-two-servers.md"),
                CompareReport.table(runs, "npm engine.io 6.6.12", "MACHINE", "", 2));
        assertEquals(resource("chart-two-servers.svg"), CompareReport.svg(runs, "npm engine.io 6.6.12"));
    }

    private static String run(String scenario, String label, int round, double opsPerSec, double serverCpuUsPerOp) {
        return "{\"tool\":\"engineio-load\",\"scenario\":\"" + scenario + "\",\"label\":\"" + label + "\",\"ops\":1000"
                + ",\"opsPerSec\":" + opsPerSec + ",\"p50Us\":100.0,\"p99Us\":200.0,\"errors\":" + (round == 3 ? 2 : 0)
                + ",\"windowMs\":10000,\"serverCpuMs\":5000,\"clientCpuMs\":2000,\"machineCpuMs\":8000"
                + ",\"serverCpuUsPerOp\":" + serverCpuUsPerOp + ",\"clientCpuUsPerOp\":1.0,\"clientReadsPerOp\":2.0"
                + (label.equals("netty-socketio") ? ",\"reconnects\":2000,\"reconnectsPerOp\":2.000" : "")
                + ",\"round\":" + round + "}";
    }

    @Test
    void fourServersGetAColumnEachAndRatiosToTheReferenceAndToOurs() {
        StringBuilder lines = new StringBuilder();
        for (int round = 1; round <= 3; round++) {
            lines.append(run("polling", "netty-socketio", round, 4000 + round, 300)).append('\n');
            lines.append(run("polling", "reference", round, 20000 + round, 50)).append('\n');
            lines.append(run("polling", "engineio-java", round, 30000 + round, 40)).append('\n');
            lines.append(run("polling", "ours", round, 80000 + round, 8)).append('\n');
        }
        List<Map<String, String>> runs = parse(lines.toString());
        assertEquals(List.of("reference", "ours", "engineio-java", "netty-socketio"), CompareReport.sides(runs));
        String t = CompareReport.table(runs, "npm engine.io 6.6.12", "M", "engineio-java = X, netty-socketio = Y", 2);
        assertTrue(t.startsWith("Medians over rounds; reference = npm engine.io 6.6.12, ours = "
                + "dev.engineionio.examples.EchoServer, engineio-java = X, netty-socketio = Y.\nMachine: M.\n"), t);
        assertTrue(t.contains("| scenario | measure | reference | ours | engineio-java | netty-socketio "
                + "| ours / reference | engineio-java / reference | netty-socketio / reference | ours / engineio-java "
                + "| ours / netty-socketio | target |\n"), t);
        // medians (round 2): 20,002 / 80,002 / 30,002 / 4,002
        assertTrue(t.contains("| Polling | round trips/s | 20,002 | 80,002 | 30,002 | 4,002 | 4.00x | 1.50x | 0.20x "
                + "| 2.67x | 19.99x | >= 3x |\n"), t);
        assertTrue(t.contains("|  | server CPU us/op | 50.00 | 8.00 | 40.00 | 300 | 0.16x | 0.80x | 6.00x | 0.20x "
                + "| 0.03x |  |\n"), t);
        assertTrue(t.contains("|  | client reconnects/op | - | - | - | 2.00 | - | - | - | - | - |  |\n"), t);
        assertTrue(t.contains("| Polling | reference | 3 | 2 | 0.50 / 0.20 / 0.10 |\n"), t);
        assertTrue(t.contains("|  | netty-socketio | 3 | 2 | 0.50 / 0.20 / 0.10 |\n"), t);
        assertTrue(t.contains("netty-socketio speaks Socket.IO only"), t);
        assertFalse(t.contains("WS echo"), "scenarios without runs are left out");

        String svg = CompareReport.svg(runs, "npm engine.io 6.6.12");
        assertTrue(svg.contains(">engineio-java</text>") && svg.contains(">netty-socketio</text>"), svg);
        assertTrue(svg.contains(">0.20x ref</text>"), "netty-socketio's polling ratio under its bar");
        assertTrue(svg.contains("ours / reference = 4.00x"), svg);
    }

    @Test
    void aServerWithoutRunsStaysAColumnAndUnknownLabelsFollowTheKnownOnes() {
        List<Map<String, String>> runs = parse(run("ws", "zeta", 1, 10, 1) + "\n" + run("ws", "netty-socketio", 1, 5, 1)
                + "\n" + run("ws", "reference", 1, 20, 1));
        assertEquals(List.of("reference", "ours", "netty-socketio", "zeta"), CompareReport.sides(runs));
        String t = CompareReport.table(runs, "ref", "M", "", 2);
        assertTrue(t.contains("| WS echo | messages/s | 20.00 | - | 5.00 | 10.00 | - | 0.25x | 0.50x | - | - | >= 10x |"),
                t);
    }
}
