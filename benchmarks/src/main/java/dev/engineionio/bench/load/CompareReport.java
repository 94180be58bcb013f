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
 * of each scenario's measures for each side (the run's {@code label}: {@code reference}, {@code ours}, and with
 * {@code --servers} also {@code engineio-java}, {@code netty-socketio}), the ratios to the reference (and of ours to
 * each other server), the CPU each process used in the window, as a Markdown table (printed and written), and an SVG
 * bar chart drawn by hand (no plotting dependency).
 *
 * <p>Usage: {@code CompareReport RUNS.jsonl SUMMARY.md CHART.svg REFERENCE-NAME MACHINE [PEERS]} (PEERS: a phrase naming
 * the other servers and their versions, printed in the summary's first line). Thread: main only. Limits:
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
            System.err.println("usage: CompareReport RUNS.jsonl SUMMARY.md CHART.svg REFERENCE-NAME MACHINE [PEERS]");
            System.exit(1);
        }
        List<Map<String, String>> runs = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[0]), StandardCharsets.UTF_8)) {
            if (line.startsWith("{")) {
                runs.add(parseFlat(line));
            }
        }
        String table = table(runs, args[3], args[4], args.length > 5 ? args[5] : "",
                Runtime.getRuntime().availableProcessors());
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

    /** The sides compare.sh knows, in column order; any other label found in the runs follows them. */
    static final List<String> KNOWN_SIDES = List.of("reference", "ours", "engineio-java", "netty-socketio");

    /** {@code reference} and {@code ours} always, then every other label of the runs (known ones first). */
    static List<String> sides(List<Map<String, String>> runs) {
        List<String> sides = new ArrayList<>(List.of("reference", "ours"));
        for (String k : KNOWN_SIDES) {
            if (!sides.contains(k) && runs.stream().anyMatch(r -> k.equals(r.get("label")))) {
                sides.add(k);
            }
        }
        for (Map<String, String> r : runs) {
            String label = r.get("label");
            if (label != null && !sides.contains(label)) {
                sides.add(label);
            }
        }
        return sides;
    }

    static String ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) || b == 0 ? "-" : String.format(Locale.ROOT, "%.2fx", a / b);
    }

    private static final String CPU_NOTE = "CPU columns: utime+stime of the server and of the load client in the measured "
            + "window (idle: the hold) over its length, from /proc/PID/stat, and what the rest of the machine used meanwhile "
            + "(busy time of /proc/stat minus both); 1.00 = one core, the machine has ";
    private static final String CPU_NOTE_END = ". Server and client share the cores. CPU us/op: that process's CPU time "
            + "in the window per operation measured (message, round trip, handshake): the server's cost of one operation, "
            + "which stays comparable when the client, not the server, is what limits the rate.\n";

    static List<String[]> rows(Measure m, boolean multi) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {m.key, m.unit});
        if (!m.scenario.equals("idle")) {
            rows.add(new String[] {"p50Us", "p50 us"});
            rows.add(new String[] {"p99Us", "p99 us"});
            rows.add(new String[] {"serverCpuUsPerOp", "server CPU us/op"});
            rows.add(new String[] {"clientCpuUsPerOp", "client CPU us/op"});
            rows.add(new String[] {"clientReadsPerOp", "client reads/op"});
            if (multi && m.scenario.equals("polling")) {
                rows.add(new String[] {"reconnectsPerOp", "client reconnects/op"});
            }
        } else {
            rows.add(new String[] {"heapPerSessionB", "heap B/session"});
            rows.add(new String[] {"heldSessions", "sessions held"});
        }
        return rows;
    }

    /** The Markdown summary with this machine's processor count in the CPU note. */
    static String table(List<Map<String, String>> runs, String referenceName, String machine) {
        return table(runs, referenceName, machine, "", Runtime.getRuntime().availableProcessors());
    }

    /**
     * The Markdown summary. With only {@code reference} and {@code ours} in the runs it is the two-server table (one
     * ratio, ours / reference); with other servers too, one column per server, the ratio of each to the reference and
     * of ours to each, then a table of runs, errors and CPU per server. {@code peers} names the other servers (may be
     * empty).
     */
    static String table(List<Map<String, String>> runs, String referenceName, String machine, String peers,
            int processors) {
        List<String> sides = sides(runs);
        if (sides.size() == 2) {
            return twoServerTable(runs, referenceName, machine, processors);
        }
        StringBuilder b = new StringBuilder();
        b.append("Medians over rounds; reference = ").append(referenceName)
                .append(", ours = dev.engineionio.examples.EchoServer");
        if (!peers.isEmpty()) {
            b.append(", ").append(peers);
        }
        b.append(".\nMachine: ").append(machine).append(".\n\n");
        List<String> others = sides.subList(1, sides.size());
        List<String> peerSides = sides.subList(2, sides.size());
        b.append("| scenario | measure |");
        for (String side : sides) {
            b.append(' ').append(side).append(" |");
        }
        for (String side : others) {
            b.append(' ').append(side).append(" / reference |");
        }
        for (String side : peerSides) {
            b.append(" ours / ").append(side).append(" |");
        }
        b.append(" target |\n|---|---|");
        b.append("---:|".repeat(sides.size() + others.size() + peerSides.size()));
        b.append("---|\n");
        for (Measure m : MEASURES) {
            if (sides.stream().mapToInt(side -> count(runs, m.scenario, side)).sum() == 0) {
                continue;
            }
            boolean first = true;
            for (String[] row : rows(m, true)) {
                double[] v = new double[sides.size()];
                for (int i = 0; i < sides.size(); i++) {
                    v[i] = median(runs, m.scenario, sides.get(i), row[0]);
                }
                b.append("| ").append(first ? m.title : "").append(" | ").append(row[1]).append(" |");
                for (double x : v) {
                    b.append(' ').append(fmt(x)).append(" |");
                }
                for (int i = 1; i < sides.size(); i++) {
                    b.append(' ').append(ratio(v[i], v[0])).append(" |");
                }
                for (int i = 2; i < sides.size(); i++) {
                    b.append(' ').append(ratio(v[1], v[i])).append(" |");
                }
                b.append(' ').append(first ? m.target : "").append(" |\n");
                first = false;
            }
        }
        b.append("\n| scenario | server | runs | errors | CPU cores server / client / others |\n|---|---|---:|---:|---|\n");
        for (Measure m : MEASURES) {
            boolean first = true;
            for (String side : sides) {
                int n = count(runs, m.scenario, side);
                if (n == 0) {
                    continue;
                }
                b.append("| ").append(first ? m.title : "").append(" | ").append(side).append(" | ").append(n)
                        .append(" | ").append(errors(runs, m.scenario, side)).append(" | ")
                        .append(cores(runs, m.scenario, side)).append(" |\n");
                first = false;
            }
        }
        b.append('\n').append(CPU_NOTE).append(processors).append(CPU_NOTE_END);
        if (sides.contains("netty-socketio")) {
            b.append("netty-socketio speaks Socket.IO only: its runs (LoadMain --socketio) connect to the namespace first "
                    + "and echo the event 42[\"echo\",\"<message>\"] (12 bytes more per message than 4<message>); its "
                    + "handshakes and idle sessions count at the namespace acknowledgement; it closes the connection after "
                    + "every polling response (client reconnects/op).\n");
        }
        return b.toString();
    }

    private static String twoServerTable(List<Map<String, String>> runs, String referenceName, String machine,
            int processors) {
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
            boolean first = true;
            for (String[] row : rows(m, false)) {
                double ref = median(runs, m.scenario, "reference", row[0]);
                double ours = median(runs, m.scenario, "ours", row[0]);
                b.append("| ").append(first ? m.title : "").append(" | ").append(row[1]).append(" | ").append(fmt(ref))
                        .append(" | ").append(fmt(ours)).append(" | ").append(ratio(ours, ref)).append(" | ")
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
        b.append('\n').append(CPU_NOTE).append(processors).append(CPU_NOTE_END);
        return b.toString();
    }

    private static final Map<String, String> COLORS = Map.of("reference", "#9aa5b1", "ours", "#2b7bb9",
            "engineio-java", "#e69f00", "netty-socketio", "#009e73");

    /** The bar chart: one panel per scenario, one bar per server, the target line, the ratios to the reference. */
    static String svg(List<Map<String, String>> runs, String referenceName) {
        List<String> sides = sides(runs);
        int n = sides.size();
        boolean two = n == 2;
        int step = 80;
        int barW = two ? 60 : 56;
        int panelW = two ? 230 : 60 + n * step;
        int panelH = 300;
        int top = 60;
        int width = panelW * MEASURES.size() + 40;
        int height = top + panelH + (two ? 70 : 86);
        StringBuilder s = new StringBuilder();
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"")
                .append(height).append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        s.append("<text x=\"20\" y=\"24\" font-size=\"16\" font-weight=\"bold\">engineio-nio vs ")
                .append(xml(referenceName)).append(two ? "" : " and other servers").append(": medians over rounds</text>\n");
        int lx = 20;
        for (String side : sides) {
            String name = side.equals("reference") ? referenceName
                    : side.equals("ours") ? "engineio-nio EchoServer" : side;
            s.append("<rect x=\"").append(lx).append("\" y=\"36\" width=\"12\" height=\"12\" fill=\"")
                    .append(COLORS.getOrDefault(side, "#cc79a7")).append("\"/><text x=\"").append(lx + 18)
                    .append("\" y=\"46\">").append(xml(name)).append("</text>\n");
            lx += 200;
        }
        int x0 = 20;
        for (Measure m : MEASURES) {
            double[] values = new double[n];
            double max = 0;
            for (int k = 0; k < n; k++) {
                values[k] = median(runs, m.scenario, sides.get(k), m.key);
                if (!Double.isNaN(values[k])) {
                    max = Math.max(max, values[k]);
                }
            }
            double ref = values[0];
            double target = Double.isNaN(ref) ? Double.NaN : m.targetValue(ref);
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
            for (int k = 0; k < n; k++) {
                int bx = x0 + 40 + k * step;
                double v = values[k];
                if (Double.isNaN(v) || max <= 0) {
                    s.append("<text x=\"").append(bx + barW / 2).append("\" y=\"").append(baseY - 8)
                            .append("\" text-anchor=\"middle\" fill=\"#777\">").append(k == 1 ? "pending" : "n/a")
                            .append("</text>\n");
                } else {
                    int h = (int) Math.round(Math.max(0, v) / max * (baseY - chartTop));
                    s.append("<rect x=\"").append(bx).append("\" y=\"").append(baseY - h).append("\" width=\"")
                            .append(barW).append("\" height=\"").append(h).append("\" fill=\"")
                            .append(COLORS.getOrDefault(sides.get(k), "#cc79a7")).append("\"/>\n");
                    s.append("<text x=\"").append(bx + barW / 2).append("\" y=\"").append(baseY - h - 5)
                            .append("\" text-anchor=\"middle\"").append(two ? "" : " font-size=\"10\"").append('>')
                            .append(xml(fmt(v))).append("</text>\n");
                }
                s.append("<text x=\"").append(bx + barW / 2).append("\" y=\"").append(baseY + 16)
                        .append("\" text-anchor=\"middle\"").append(two ? "" : " font-size=\"10\"").append('>')
                        .append(xml(sides.get(k))).append("</text>\n");
                if (!two && k > 0) {
                    s.append("<text x=\"").append(bx + barW / 2).append("\" y=\"").append(baseY + 30)
                            .append("\" text-anchor=\"middle\" font-size=\"10\">")
                            .append(xml(ratio(v, ref).equals("-") ? "" : ratio(v, ref) + " ref")).append("</text>\n");
                }
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
            int textY = baseY + (two ? 36 : 52);
            String r = ratio(values[1], ref);
            String ratioText = r.equals("-") ? "ratio: pending" : "ours / reference = " + r;
            s.append("<text x=\"").append(x0 + panelW / 2).append("\" y=\"").append(textY)
                    .append("\" text-anchor=\"middle\">").append(xml(ratioText)).append("</text>\n");
            s.append("<text x=\"").append(x0 + panelW / 2).append("\" y=\"").append(textY + 16)
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
