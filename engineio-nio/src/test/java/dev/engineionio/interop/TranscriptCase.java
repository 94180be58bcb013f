package dev.engineionio.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One raw-HTTP conformance case read from {@code src/test/resources/transcripts/*.txt}: the server flags it needs and
 * a sequence of steps over named loopback connections. The format is described in the README beside the files.
 *
 * <p>Thread: immutable once loaded; any thread.
 */
record TranscriptCase(String file, String name, List<String> flags, List<String> only, List<Step> steps) {

    /** Whether this case runs against the server named {@code serverName} ({@code only:} lists them; none = all). */
    boolean appliesTo(String serverName) {
        return only.isEmpty() || only.contains(serverName);
    }

    sealed interface Step permits Request, Response, RawResponse, WsSend, WsExpect, Barrier, Closed {
    }

    /** {@code >>> conn}: request head lines (CRLF added), optional blank line and body. */
    record Request(String conn, List<ByteTemplate> headLines, ByteTemplate body) implements Step {
    }

    /** {@code <<< conn}: status line, headers that must be present (and no others but the ignored ones), body. */
    record Response(String conn, ByteTemplate statusLine, List<Header> headers, ByteTemplate body) implements Step {
    }

    record Header(String name, ByteTemplate value) {
    }

    /** {@code <<<raw conn}: exactly these bytes (lines joined with CRLF), then the server closes the connection. */
    record RawResponse(String conn, ByteTemplate bytes) implements Step {
    }

    /** {@code ws>>> conn text|binary payload}: one masked client frame. */
    record WsSend(String conn, int opcode, ByteTemplate payload) implements Step {
    }

    /** {@code ws<<< conn text|binary payload} or {@code ws<<< conn close}: the next server frame. */
    record WsExpect(String conn, int opcode, ByteTemplate payload) implements Step {
    }

    /** {@code barrier}: a full round trip on a fresh connection, so the server has read every request sent before. */
    record Barrier() implements Step {
    }

    /** {@code closed conn}: the server closes the connection without sending anything more. */
    record Closed(String conn) implements Step {
    }

    @Override
    public String toString() {
        return file + ": " + name;
    }

    static List<TranscriptCase> loadAll(Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".txt")).sorted().toList();
        }
        List<TranscriptCase> all = new ArrayList<>();
        for (Path f : files) {
            all.addAll(parse(f.getFileName().toString(), Files.readString(f, StandardCharsets.UTF_8)));
        }
        return all;
    }

    static List<TranscriptCase> parse(String file, String text) {
        List<TranscriptCase> cases = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        String caseName = null;
        List<String> flags = List.of();
        List<String> only = List.of();
        List<Step> steps = new ArrayList<>();
        int i = 0;
        while (i < lines.length) {
            String line = lines[i];
            int lineNo = i + 1;
            if (line.startsWith("### ")) {
                if (caseName != null) {
                    cases.add(new TranscriptCase(file, caseName, flags, only, List.copyOf(steps)));
                }
                caseName = line.substring(4).strip();
                flags = List.of();
                only = List.of();
                steps = new ArrayList<>();
                i++;
                continue;
            }
            if (line.isBlank() || line.startsWith("#")) {
                i++;
                continue;
            }
            if (caseName == null) {
                throw new IllegalArgumentException(file + ":" + lineNo + ": directive before the first ### case");
            }
            String[] words = line.strip().split(" ", 4);
            i++;
            switch (words[0]) {
                case "flags:" -> flags = List.of(line.strip().substring("flags:".length()).strip().split("\\s+"));
                case "only:" -> only = List.of(line.strip().substring("only:".length()).strip().split("\\s+"));
                case "barrier" -> steps.add(new Barrier());
                case "closed" -> steps.add(new Closed(arg(words, 1, file, lineNo)));
                case "ws>>>", "ws<<<" -> {
                    String conn = arg(words, 1, file, lineNo);
                    String kind = arg(words, 2, file, lineNo);
                    String payload = words.length > 3 ? words[3] : "";
                    int opcode = switch (kind) {
                        case "text" -> 1;
                        case "binary" -> 2;
                        case "close" -> 8;
                        default -> throw new IllegalArgumentException(file + ":" + lineNo + ": frame kind " + kind);
                    };
                    ByteTemplate p = ByteTemplate.parse(payload);
                    steps.add(words[0].equals("ws>>>") ? new WsSend(conn, opcode, p) : new WsExpect(conn, opcode, p));
                }
                case ">>>", "<<<", "<<<raw" -> {
                    String conn = arg(words, 1, file, lineNo);
                    List<String> block = new ArrayList<>();
                    while (i < lines.length && !isDirective(lines[i])) {
                        block.add(lines[i]);
                        i++;
                    }
                    while (!block.isEmpty() && block.get(block.size() - 1).isEmpty()) {
                        block.remove(block.size() - 1);
                    }
                    if (block.isEmpty()) {
                        throw new IllegalArgumentException(file + ":" + lineNo + ": empty " + words[0] + " block");
                    }
                    steps.add(block(words[0], conn, block, file, lineNo));
                }
                default -> throw new IllegalArgumentException(file + ":" + lineNo + ": unknown directive " + line);
            }
        }
        if (caseName != null) {
            cases.add(new TranscriptCase(file, caseName, flags, only, List.copyOf(steps)));
        }
        return cases;
    }

    private static boolean isDirective(String line) {
        return line.startsWith("### ") || line.startsWith(">>> ") || line.startsWith("<<< ")
                || line.startsWith("<<<raw ") || line.startsWith("ws>>> ") || line.startsWith("ws<<< ")
                || line.equals("barrier") || line.startsWith("closed ");
    }

    private static Step block(String kind, String conn, List<String> block, String file, int lineNo) {
        if (kind.equals("<<<raw")) {
            return new RawResponse(conn, ByteTemplate.parse(String.join("\r\n", block)));
        }
        int blank = block.indexOf("");
        List<String> head = blank < 0 ? block : block.subList(0, blank);
        ByteTemplate body = ByteTemplate.parse(blank < 0 ? "" : String.join("\n", block.subList(blank + 1, block.size())));
        if (kind.equals(">>>")) {
            return new Request(conn, head.stream().map(ByteTemplate::parse).toList(), body);
        }
        List<Header> headers = new ArrayList<>();
        for (String h : head.subList(1, head.size())) {
            int colon = h.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(file + ":" + lineNo + ": bad header line " + h);
            }
            headers.add(new Header(h.substring(0, colon).strip(), ByteTemplate.parse(h.substring(colon + 1).strip())));
        }
        return new Response(conn, ByteTemplate.parse(head.get(0)), List.copyOf(headers), body);
    }

    private static String arg(String[] words, int index, String file, int lineNo) {
        if (words.length <= index) {
            throw new IllegalArgumentException(file + ":" + lineNo + ": missing argument " + index);
        }
        return words[index];
    }
}
