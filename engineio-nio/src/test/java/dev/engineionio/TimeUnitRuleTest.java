package dev.engineionio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Holds the glue to one time unit: inside {@code server}, {@code session}, {@code driver}, {@code socketio} and the
 * public API package, time is the nanoseconds of the loop's clock ({@code ...Ns}); a time option is a
 * {@link java.time.Duration}, converted once where the options are built. So the sources of these packages (comments
 * and string literals left out) must not convert by hand ({@code / 1_000_000}, {@code * 1_000_000}), convert through
 * {@code TimeUnit} ({@code TimeUnit.X.toY(..)}, {@code unit.toNanos(..)}), or name a value in milliseconds
 * ({@code fooMs}, {@code fooMillis}), except where {@link #ALLOWED} says why.
 *
 * <p>It reads the sources (next to the compiled classes: {@code target/classes} → {@code src/main/java}).
 */
class TimeUnitRuleTest {

    /** The packages (relative to {@code dev.engineionio}; "" is the public API) held to the rule. */
    static final Set<String> PACKAGES = Set.of("", "server", "session", "driver", "socketio");

    /**
     * File (relative to {@code dev/engineionio/}) → the offending texts it may hold, each with its reason. The only
     * one: {@code Selector.select(long)} takes milliseconds, so the loop converts its wait there, rounding up.
     */
    static final Map<String, Set<String>> ALLOWED = Map.of(
            "driver/EventLoop.java", Set.of("/ 1_000_000", "selectTimeoutMs"));

    private static final Pattern HAND_CONVERSION = Pattern.compile("[*/]\\s*1_?000_?000L?(?![0-9_])");
    private static final Pattern TIME_UNIT_CONVERSION =
            Pattern.compile("\\bTimeUnit\\.[A-Z]+\\.to[A-Za-z]+\\(|\\bunit\\.to[A-Za-z]+\\(");
    private static final Pattern MILLISECOND_NAME = Pattern.compile("\\b[a-z][A-Za-z0-9_]*(?:Ms|Millis)\\b");
    /** JDK names that say milliseconds and are the edge itself. */
    private static final Set<String> JDK_NAMES = Set.of("toMillis", "ofMillis", "currentTimeMillis", "plusMillis",
            "minusMillis");

    /** File → the offending texts found. */
    static final Map<String, Set<String>> found = new TreeMap<>();
    static int filesRead;

    @BeforeAll
    static void readSources() throws IOException, URISyntaxException {
        Path classes = Path.of(EngineServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path root = classes.getParent().getParent().resolve("src/main/java/dev/engineionio");
        assertTrue(Files.isDirectory(root), "no sources at " + root);
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                String rel = root.relativize(file).toString().replace('\\', '/');
                int slash = rel.lastIndexOf('/');
                if (!PACKAGES.contains(slash < 0 ? "" : rel.substring(0, slash))) {
                    continue;
                }
                filesRead++;
                Set<String> hits = offences(Files.readString(file));
                if (!hits.isEmpty()) {
                    found.put(rel, hits);
                }
            }
        }
    }

    /** The offending texts of one source. */
    static Set<String> offences(String source) {
        String code = codeOnly(source);
        Set<String> hits = new TreeSet<>();
        for (Pattern p : List.of(HAND_CONVERSION, TIME_UNIT_CONVERSION)) {
            Matcher m = p.matcher(code);
            while (m.find()) {
                hits.add(m.group().replaceAll("\\s+", " ").replaceAll("L$", ""));
            }
        }
        Matcher m = MILLISECOND_NAME.matcher(code);
        while (m.find()) {
            if (!JDK_NAMES.contains(m.group())) {
                hits.add(m.group());
            }
        }
        return hits;
    }

    /** The source without comments, and with string and character literals emptied. */
    static String codeOnly(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == '/' && i + 1 < n && s.charAt(i + 1) == '/') {
                while (i < n && s.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                int end = s.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                out.append(' ');
            } else if (c == '"' || c == '\'') {
                out.append(c).append(c);
                i++;
                while (i < n && s.charAt(i) != c) {
                    i += s.charAt(i) == '\\' ? 2 : 1;
                }
                i++;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    @Test
    void readsTheSources() {
        assertTrue(filesRead > 50, "read only " + filesRead + " sources");
    }

    @Test
    void timeIsNanosecondsInsideAndConvertedOnlyAtTheEdge() {
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, Set<String>> e : found.entrySet()) {
            Set<String> extra = new TreeSet<>(e.getValue());
            extra.removeAll(ALLOWED.getOrDefault(e.getKey(), Set.of()));
            if (!extra.isEmpty()) {
                failures.add(e.getKey() + ": " + extra);
            }
        }
        assertEquals(List.of(), failures, "time converted by hand or named in ms: keep nanoseconds inside and take a "
                + "Duration at the API edge (or add the file to ALLOWED with its reason)");
    }

    @Test
    void everyAllowanceIsStillNeeded() {
        for (Map.Entry<String, Set<String>> e : ALLOWED.entrySet()) {
            assertEquals(e.getValue(), found.getOrDefault(e.getKey(), Set.of()), "stale allowance in " + e.getKey());
        }
    }

    @Test
    void theRuleSeesWhatItForbids() {
        assertEquals(Set.of("/ 1_000_000", "delayMs"), offences("long delayMs = nowNs / 1_000_000L;"));
        assertEquals(Set.of("* 1_000_000"), offences("loop.schedule(d * 1_000_000, this);"));
        assertEquals(Set.of("TimeUnit.MILLISECONDS.toNanos("), offences("x = TimeUnit.MILLISECONDS.toNanos(5);"));
        assertEquals(Set.of("unit.toNanos(", "graceMillis"), offences("long graceMillis = unit.toNanos(a);"));
        assertEquals(Set.of(), offences("long ns = d.toNanos(); int c = 1_000_000_000; // nowMs / 1_000_000\n"
                + "/* delayMs * 1_000_000 */ String s = \"in ms: \" + t.toMillis() + \"/ 1_000_000\";"));
    }
}
