package dev.engineionio.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Summarises the JSON lines that {@code benchmarks/compare.sh} collected from {@link LoadMain}: the median over rounds
 * of each scenario's measures for each side ({@code reference}, {@code ours}), the ratio ours / reference, the CPU
 * each process used in the window, as a Markdown table (printed and written), and an SVG bar chart drawn by hand (no
 * plotting dependency).
 *
 * <p>Usage: {@code CompareReport RUNS.jsonl SUMMARY.md CHART.svg REFERENCE-NAME MACHINE}. Thread: main only. Limits:
 * reads flat JSON objects as {@link LoadMain} writes them (string and number values, no nesting).
 */
public final class CompareReport {

    private CompareReport() {
    }

    /** One scenario's headline measure. */
    record Measure(String scenario, String key, String title, String unit, boolean higherIsBetter, String target,
            double targetFactor, double targetAbsolute) {

        /** The target value given the reference's median, or NaN. */
        double targetValue(double reference) {
            return !Double.isNaN(targetAbsolute) ? targetAbsolute : reference * targetFactor;
        }
    }

    static final List<Measure> MEASURES = List.of(
            new Measure("ws", "opsPerSec", "WS echo", "messages/s", true, ">= 10x", 10, Double.NaN),
            new Measure("polling", "opsPerSec", "Polling", "round trips/s", true, ">= 3x", 3, Double.NaN),
            new Measure("handshake", "opsPerSec", "Handshakes", "sessions/s", true, ">= 2.5x", 2.5, Double.NaN),
            new Measure("idle", "rssPerSessionB", "Idle", "RSS B/session", false, "<= 1536 B", Double.NaN, 1536));

    public static void main(String[] args) throws IOException {
        if (args.length < 5) {
            System.err.println("usage: CompareReport RUNS.jsonl SUMMARY.md CHART.svg REFERENCE-NAME MACHINE");
            System.exit(1);
        }
        List<Map<String, String>> runs = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8)) {
            if (line.startsWith("{")) {
                runs.add(parseFlat(line));
            }
        }
        String table = table(runs, args[3], args[4]);
        System.out.print(table);
        Files.writeString(Path.of(args[1]), table, StandardCharsets.UTF_8);
        Files.writeString(Path.of(args[2]), svg(runs, args[3]), StandardCharsets.UTF_8);
    }

    static Map<String, String> parseFlat(String json) {
        Map<String, String> m = new LinkedHashMap<>();
        int i = json.indexOf('{') + 1;
        int n = json.length();
        while (i < n) {
            int ks = json.indexOf('"', i);
            if (ks < 0) {
                break;
            }
            int ke = json.indexOf('"', ks + 1);
            String key = json.substring(ks + 1, ke);
            int c = json.indexOf(':', ke) + 1;
            String value;
            if (json.charAt(c) == '"') {
                StringBuilder b = new StringBuilder();
                int j = c + 1;
                while (json.charAt(j) != '"') {
                    char ch = json.charAt(j);
                    if (ch == '\\') {
                        j++;
                        ch = json.charAt(j);
                        if (ch == 'u') {
                            ch = (char) Integer.parseInt(json.substring(j + 1, j + 5), 16);
                            j += 4;
                        }
                    }
                    b.append(ch);
                    j++;
                }
                value = b.toString();
                i = j + 1;
            } else {
                int j = c;
                while (j < n && json.charAt(j) != ',' && json.charAt(j) != '}') {
                    j++;
                }
                value = json.substring(c, j).trim();
                i = j + 1;
            }
            m.put(key, value);
        }
        return m;
    }

    /** Median of {@code key} over the runs of {@code scenario} by {@code side} that measured something, or NaN. */
    static double median(List<Map<String, String>> runs, String scenario, String side, String key) {
        List<Double> values = new ArrayList<>();
        for (Map<String, String> r : runs) {
            if (scenario.equals(r.get("scenario")) && side.equals(r.get("label")) && r.containsKey(key)
                    && !"0".equals(r.get("ops"))) {
                double v = Double.parseDouble(r.get(key));
                if (v >= 0 || key.endsWith("PerSessionB")) { // -1 means "not measured" except for a difference
                    values.add(v);
                }
            }
        }
        if (values.isEmpty()) {
            return Double.NaN;
        }
        Collections.sort(values);
        int k = values.size();
        return k % 2 == 1 ? values.get(k / 2) : (values.get(k / 2 - 1) + values.get(k / 2)) / 2;
    }

    static int count(List<Map<String, String>> runs, String scenario, String side) {
        int k = 0;
        for (Map<String, String> r : runs) {
            if (scenario.equals(r.get("scenario")) && side.equals(r.get("label"))) {
                k++;
            }
        }
        return k;
    }

    static long errors(List<Map<String, String>> runs, String scenario, String side) {
        long k = 0;
        for (Map<String, String> r : runs) {
            if (scenario.equals(r.get("scenario")) && side.equals(r.get("label"))) {
                k += Long.parseLong(r.getOrDefault("errors", "0"));
            }
        }
        return k;
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    static String cores(List<Map<String, String>> runs, String scenario, String side) {
        double server = median(runs, scenario, side, "serverCpuMs");
        double client = median(runs, scenario, side, "clientCpuMs");
        double window = median(runs, scenario, side, "windowMs");
        if (Double.isNaN(window) || window <= 0) {
            return "-";
        }
        double machine = median(runs, scenario, side, "machineCpuMs");
        String other = Double.isNaN(machine) ? "" : String.format(Locale.ROOT, " / %.2f",
                Math.max(0, machine - server - client) / window);
        return String.format(Locale.ROOT, "%.2f / %.2f", server / window, client / window) + other;
    }

    static String table(List<Map<String, String>> runs, String referenceName, String machine) {
        StringBuilder b = new StringBuilder();
        b.append("Medians over rounds; reference = ").append(referenceName).append(", ours = dev.engineionio.examples.EchoServer.\n");
        b.append("Machine: ").append(machine).append(".\n\n");
        b.append("| scenario | measure | reference | ours | ours / reference | target | runs (ref, ours) | errors (ref, ours) |"
                + " CPU cores server / client / others, ref | CPU cores server / client / others, ours |\n");
        b.append("|---|---|---:|---:|---:|---|---|---|---|---|\n");
        for (Measure m : MEASURES) {
            if (count(runs, m.scenario, "reference") + count(runs, m.scenario, "ours") == 0) {
                continue;
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {m.key, m.unit});
            if (!m.scenario.equals("idle")) {
                rows.add(new String[] {"p50Us", "p50 us"});
                rows.add(new String[] {"p99Us", "p99 us"});
                rows.add(new String[] {"serverCpuUsPerOp", "server CPU us/op"});
                rows.add(new String[] {"clientCpuUsPerOp", "client CPU us/op"});
                rows.add(new String[] {"clientReadsPerOp", "client reads/op"});
            } else {
                rows.add(new String[] {"heapPerSessionB", "heap B/session"});
                rows.add(new String[] {"heldSessions", "sessions held"});
            }
            boolean first = true;
            for (String[] row : rows) {
                double ref = median(runs, m.scenario, "reference", row[0]);
                double ours = median(runs, m.scenario, "ours", row[0]);
                String ratio = Double.isNaN(ref) || Double.isNaN(ours) || ref == 0 ? "-"
                        : String.format(Locale.ROOT, "%.2fx", ours / ref);
                b.append("| ").append(first ? m.title : "").append(" | ").append(row[1]).append(" | ").append(fmt(ref))
                        .append(" | ").append(fmt(ours)).append(" | ").append(ratio).append(" | ")
                        .append(first ? m.target : "").append(" | ");
                if (first) {
                    b.append(count(runs, m.scenario, "reference")).append(", ").append(count(runs, m.scenario, "ours"))
                            .append(" | ").append(errors(runs, m.scenario, "reference")).append(", ")
                            .append(errors(runs, m.scenario, "ours")).append(" | ")
                            .append(cores(runs, m.scenario, "reference")).append(" | ")
                            .append(cores(runs, m.scenario, "ours")).append(" |\n");
                } else {
                    b.append(" | | | |\n");
                }
                first = false;
            }
        }
        b.append("\nCPU columns: utime+stime of the server and of the load client in the measured window (idle: the "
                + "hold) over its length, from /proc/PID/stat, and what the rest of the machine used meanwhile (busy time "
                + "of /proc/stat minus both); 1.00 = one core, the machine has ").append(Runtime.getRuntime()
                .availableProcessors()).append(". Server and client share the cores. CPU us/op: that process's CPU time in the window per "
                + "operation measured (message, round trip, handshake): the server's cost of one operation, which stays "
                + "comparable when the client, not the server, is what limits the rate.\n");
        return b.toString();
    }

    static String svg(List<Map<String, String>> runs, String referenceName) {
        int panelW = 230;
        int panelH = 300;
        int top = 60;
        int width = panelW * MEASURES.size() + 40;
        int height = top + panelH + 70;
        StringBuilder s = new StringBuilder();
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"")
                .append(height).append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append("<text x=\"20\" y=\"24\" font-size=\"16\" font-weight=\"bold\">engineio-nio vs ")
                .append(xml(referenceName)).append(": medians over rounds</text>\n");
        s.append("<rect x=\"20\" y=\"36\" width=\"12\" height=\"12\" fill=\"#9aa5b1\"/><text x=\"38\" y=\"46\">")
                .append(xml(referenceName)).append("</text>\n");
        s.append("<rect x=\"220\" y=\"36\" width=\"12\" height=\"12\" fill=\"#2b7bb9\"/>"
                + "<text x=\"238\" y=\"46\">engineio-nio EchoServer</text>\n");
        int x0 = 20;
        for (Measure m : MEASURES) {
            double ref = median(runs, m.scenario, "reference", m.key);
            double ours = median(runs, m.scenario, "ours", m.key);
            double target = Double.isNaN(ref) ? Double.NaN : m.targetValue(ref);
            double max = Math.max(Double.isNaN(ref) ? 0 : ref, Double.isNaN(ours) ? 0 : ours);
            if (!Double.isNaN(target)) {
                max = Math.max(max, target);
            }
            int baseY = top + panelH;
            int chartTop = top + 40;
            s.append("<text x=\"").append(x0 + panelW / 2).append("\" y=\"").append(top + 14)
                    .append("\" text-anchor=\"middle\" font-weight=\"bold\">").append(xml(m.title)).append(" (")
                    .append(xml(m.unit)).append(")</text>\n");
            s.append("<line x1=\"").append(x0 + 20).append("\" y1=\"").append(baseY).append("\" x2=\"")
                    .append(x0 + panelW - 20).append("\" y2=\"").append(baseY).append("\" stroke=\"#333\"/>\n");
            double[] values = {ref, ours};
            String[] colors = {"#9aa5b1", "#2b7bb9"};
            String[] names = {"reference", "ours"};
            for (int k = 0; k < 2; k++) {
                int bx = x0 + 40 + k * 80;
                double v = values[k];
                if (Double.isNaN(v) || max <= 0) {
                    s.append("<text x=\"").append(bx + 30).append("\" y=\"").append(baseY - 8)
                            .append("\" text-anchor=\"middle\" fill=\"#777\">").append(k == 1 ? "pending" : "n/a")
                            .append("</text>\n");
                } else {
                    int h = (int) Math.round(Math.max(0, v) / max * (baseY - chartTop));
                    s.append("<rect x=\"").append(bx).append("\" y=\"").append(baseY - h).append("\" width=\"60\" height=\"")
                            .append(h).append("\" fill=\"").append(colors[k]).append("\"/>\n");
                    s.append("<text x=\"").append(bx + 30).append("\" y=\"").append(baseY - h - 5)
                            .append("\" text-anchor=\"middle\">").append(xml(fmt(v))).append("</text>\n");
                }
                s.append("<text x=\"").append(bx + 30).append("\" y=\"").append(baseY + 16)
                        .append("\" text-anchor=\"middle\">").append(names[k]).append("</text>\n");
            }
            if (!Double.isNaN(target) && max > 0) {
                int ty = baseY - (int) Math.round(target / max * (baseY - chartTop));
                s.append("<line x1=\"").append(x0 + 25).append("\" y1=\"").append(ty).append("\" x2=\"")
                        .append(x0 + panelW - 25).append("\" y2=\"").append(ty)
                        .append("\" stroke=\"#c0392b\" stroke-dasharray=\"5,4\"/>\n");
                s.append("<text x=\"").append(x0 + panelW - 25).append("\" y=\"").append(ty - 4)
                        .append("\" text-anchor=\"end\" fill=\"#c0392b\" font-size=\"11\">target ")
                        .append(xml(fmt(target))).append("</text>\n");
            }
            String ratio = Double.isNaN(ref) || Double.isNaN(ours) || ref == 0 ? "ratio: pending"
                    : String.format(Locale.ROOT, "ours / reference = %.2fx", ours / ref);
            s.append("<text x=\"").append(x0 + panelW / 2).append("\" y=\"").append(baseY + 36)
                    .append("\" text-anchor=\"middle\">").append(xml(ratio)).append("</text>\n");
            s.append("<text x=\"").append(x0 + panelW / 2).append("\" y=\"").append(baseY + 52)
                    .append("\" text-anchor=\"middle\" fill=\"#555\">target ").append(xml(m.target)).append(" (")
                    .append(m.higherIsBetter ? "higher is better" : "lower is better").append(")</text>\n");
            x0 += panelW;
        }
        s.append("</svg>\n");
        return s.toString();
    }

    private static String xml(String t) {
        return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
