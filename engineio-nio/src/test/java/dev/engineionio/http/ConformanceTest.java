package dev.engineionio.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the conformance cases of {@code src/test/resources/http/*.txt}, one file per RFC 9112 section. Each case is
 * parsed whole, split at every byte offset, and one byte at a time, over heap and direct buffers in both byte orders
 * (the parser reads eight bytes at a time with {@code getLong}); every run must give
 * the expected transcript (see {@link ParserHarness}).
 *
 * <p>Case format: {@code === name}, optional {@code @ key=value ...} limits ({@code line}, {@code section},
 * {@code headers}, {@code body}, {@code ext}, {@code trailer}), input lines {@code > ...} concatenated without
 * newlines (escapes {@code \r \n \t \0 \\ \xHH}), expected transcript lines {@code < ...}. {@code #} starts a comment.
 */
class ConformanceTest {
    static final class Case {
        final String file;
        final String name;
        HttpLimits.Builder limits = HttpLimits.builder();
        final StringBuilder input = new StringBuilder();
        final StringBuilder expected = new StringBuilder();

        Case(String file, String name) {
            this.file = file;
            this.name = name;
        }
    }

    static List<Case> load() throws IOException, URISyntaxException {
        Path dir = Path.of(ConformanceTest.class.getResource("/http").toURI());
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        }
        List<Case> cases = new ArrayList<>();
        for (Path f : files) {
            Case c = null;
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                if (line.startsWith("=== ")) {
                    c = new Case(f.getFileName().toString(), line.substring(4).trim());
                    cases.add(c);
                } else if (line.startsWith("> ")) {
                    c.input.append(line.substring(2));
                } else if (line.equals(">")) {
                    continue;
                } else if (line.startsWith("< ")) {
                    c.expected.append(line.substring(2)).append('\n');
                } else if (line.startsWith("@ ")) {
                    for (String kv : line.substring(2).trim().split("\\s+")) {
                        String[] p = kv.split("=");
                        int v = Integer.parseInt(p[1]);
                        switch (p[0]) {
                            case "line": c.limits.maxRequestLineLength(v); break;
                            case "section": c.limits.maxHeaderSectionSize(v); break;
                            case "headers": c.limits.maxHeaderCount(v); break;
                            case "body": c.limits.maxBodySize(v); break;
                            case "ext": c.limits.maxChunkExtensionSize(v); break;
                            case "trailer": c.limits.maxTrailerSectionSize(v); break;
                            default: throw new IllegalArgumentException(p[0]);
                        }
                    }
                } else if (!line.isBlank() && !line.startsWith("#")) {
                    throw new IllegalArgumentException(f + ": unexpected line: " + line);
                }
            }
        }
        return cases;
    }

    @TestFactory
    Stream<DynamicTest> everyCaseAtEverySplit() throws Exception {
        return load().stream().map(c -> DynamicTest.dynamicTest(c.file + ": " + c.name, () -> check(c)));
    }

    private static void check(Case c) {
        byte[] input = ParserHarness.unescape(c.input.toString());
        HttpLimits limits = c.limits.build();
        String expected = c.expected.toString();
        for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            for (boolean direct : new boolean[] {false, true}) {
                String where = c.file + ": " + c.name + (direct ? " (direct " : " (heap ") + order + ")";
                assertEquals(expected, ParserHarness.run(limits, input, new int[0], direct, order), where + " whole");
                for (int k = 0; k <= input.length; k++) {
                    assertEquals(expected, ParserHarness.run(limits, input, new int[] {k}, direct, order),
                            where + " split at " + k);
                }
                int[] bytes = new int[input.length];
                for (int k = 0; k < input.length; k++) {
                    bytes[k] = k;
                }
                assertEquals(expected, ParserHarness.run(limits, input, bytes, direct, order), where + " byte at a time");
            }
        }
    }

    @Test
    void casesCoverEverySectionAndEveryError() throws Exception {
        List<Case> cases = load();
        assertTrue(cases.size() > 100, "cases: " + cases.size());
        StringBuilder all = new StringBuilder();
        for (Case c : cases) {
            all.append(c.expected);
            assertFalse(c.expected.length() == 0, c.name + " has no expectation");
        }
        for (HttpError e : HttpError.values()) {
            if (e == HttpError.INVALID_QUERY_ESCAPE) {
                continue; // reported by HttpQuery, tested in HttpQueryTest
            }
            assertTrue(all.indexOf("error " + e.name() + "\n") >= 0, "no conformance case for " + e);
        }
    }
}
