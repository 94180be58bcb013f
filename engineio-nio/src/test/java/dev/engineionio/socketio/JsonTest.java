package dev.engineionio.socketio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link Json}: the conformance cases of {@code json/cases.txt}, the limits at their edges, the writer's forms. */
class JsonTest {

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> out = new ArrayList<>();
        try (InputStream in = JsonTest.class.getResourceAsStream("/json/cases.txt")) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (String line : text.split("\n")) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                int arrow = line.lastIndexOf(" => ");
                String verdict = line.substring(0, 1);
                String input = unescape(line.substring(2, arrow));
                String expected = unescape(line.substring(arrow + 4));
                out.add(Arguments.of(verdict, input, expected, line));
            }
        }
        return out.stream();
    }

    /** This file's escapes: backslash n, r, t, backslash, and backslash-u{XXXX}. */
    static String unescape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) {
                sb.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'n': sb.append('\n'); break;
                case 'r': sb.append('\r'); break;
                case 't': sb.append('\t'); break;
                case '\\': sb.append('\\'); break;
                case 'u':
                    int close = s.indexOf('}', i);
                    sb.append((char) Integer.parseInt(s.substring(i + 2, close), 16));
                    i = close;
                    break;
                default: sb.append('\\').append(e);
            }
        }
        return sb.toString();
    }

    @ParameterizedTest(name = "{3}")
    @MethodSource("cases")
    void conformanceCase(String verdict, String input, String expected, String line) {
        if (verdict.equals("y")) {
            assertEquals(expected, Json.write(Json.parse(input)), line);
        } else {
            JsonException e = assertThrows(JsonException.class, () -> Json.parse(input), line);
            assertEquals(JsonException.Reason.valueOf(expected), e.reason(), line + ": " + e.getMessage());
        }
    }

    @Test
    void mapsJsonToJavaTypes() {
        Object v = Json.parse("{\"s\":\"x\",\"i\":1,\"big\":12345678901234567890,\"d\":1.5,\"e\":1e2,\"t\":true,"
                + "\"n\":null,\"a\":[1]}");
        Map<?, ?> m = assertInstanceOf(LinkedHashMap.class, v);
        assertEquals(List.of("s", "i", "big", "d", "e", "t", "n", "a"), new ArrayList<>(m.keySet()));
        assertEquals("x", m.get("s"));
        assertEquals(1L, m.get("i"));
        assertEquals(1.2345678901234567e19, m.get("big"));
        assertEquals(1.5, m.get("d"));
        assertEquals(100.0, m.get("e"));
        assertEquals(Boolean.TRUE, m.get("t"));
        assertTrue(m.containsKey("n"));
        assertNull(m.get("n"));
        assertEquals(List.of(1L), m.get("a"));
    }

    @Test
    void duplicateNameKeepsItsFirstPositionAndLastValue() {
        Map<?, ?> m = (Map<?, ?>) Json.parse("{\"a\":1,\"b\":2,\"a\":3}");
        assertEquals(List.of("a", "b"), new ArrayList<>(m.keySet()));
        assertEquals(3L, m.get("a"));
    }

    @Test
    void depthLimitAcceptsItsEdgeAndRefusesOneMore() {
        String ok = "[".repeat(5) + "]".repeat(5);
        assertEquals(ok, Json.write(Json.parse(ok, 5, 100)));
        JsonException e = assertThrows(JsonException.class, () -> Json.parse("[".repeat(6) + "]".repeat(6), 5, 100));
        assertEquals(JsonException.Reason.TOO_DEEP, e.reason());
        assertEquals(5, e.offset());
        assertEquals(JsonException.Reason.TOO_DEEP, assertThrows(JsonException.class,
                () -> Json.parse("{\"a\":{\"b\":[]}}", 2, 100)).reason());
        assertEquals(1L, Json.parse("1", 0, 100));
    }

    @Test
    void defaultDepthLimitIsFiveHundredTwelve() {
        int d = Json.DEFAULT_MAX_DEPTH;
        Json.parse("[".repeat(d) + "]".repeat(d));
        assertEquals(JsonException.Reason.TOO_DEEP, assertThrows(JsonException.class,
                () -> Json.parse("[".repeat(d + 1) + "]".repeat(d + 1))).reason());
        // deep garbage never recurses past the limit
        assertEquals(JsonException.Reason.TOO_DEEP, assertThrows(JsonException.class,
                () -> Json.parse("[".repeat(1_000_000))).reason());
    }

    @Test
    void lengthLimitAcceptsItsEdgeAndRefusesOneMore() {
        assertEquals("abc", Json.parse("\"abc\"", 10, 5));
        JsonException e = assertThrows(JsonException.class, () -> Json.parse("\"abcd\"", 10, 5));
        assertEquals(JsonException.Reason.TOO_LONG, e.reason());
        assertTrue(e.getMessage().contains("6 > 5"), e.getMessage());
    }

    @Test
    void errorsNameTheOffsetAndCarryNoStackTrace() {
        JsonException e = assertThrows(JsonException.class, () -> Json.parse("[1,\"a\\x\"]"));
        assertEquals(JsonException.Reason.INVALID_ESCAPE, e.reason());
        assertEquals(6, e.offset());
        assertEquals("invalid escape at offset 6", e.getMessage());
        assertEquals(0, e.getStackTrace().length);
    }

    @Test
    void writesJavaValuesAsJsonStringifyDoes() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("int", 7);
        m.put("long", -8L);
        m.put("float", 0.5f);
        m.put("double", 2.0);
        m.put("nan", Double.NaN);
        m.put("inf", Double.POSITIVE_INFINITY);
        m.put("chars", new StringBuilder("sb"));
        m.put("char", 'c');
        m.put("array", new Object[] {1, "two", null});
        m.put("set", new java.util.TreeSet<>(List.of(2, 1)));
        m.put("nested", Map.of("k", List.of()));
        m.put("escapes", "\u0001\u001f\"\\\u007f\u2028");
        assertEquals("{\"int\":7,\"long\":-8,\"float\":0.5,\"double\":2,\"nan\":null,\"inf\":null,\"chars\":\"sb\","
                + "\"char\":\"c\",\"array\":[1,\"two\",null],\"set\":[1,2],\"nested\":{\"k\":[]},"
                + "\"escapes\":\"\\u0001\\u001f\\\"\\\\\u007f\u2028\"}", Json.write(m));
    }

    @Test
    void writesDoublesAsJavaScriptNumberToString() {
        double[] values = {1, -1, 0.1, 1.5e300, 1e21, 1e-6, 1e-7, 123456.789, 1.0 / 3, 2e-323, -1e-7, 4.35, 1e100};
        String[] js = {"1", "-1", "0.1", "1.5e+300", "1e+21", "0.000001", "1e-7", "123456.789", "0.3333333333333333",
            "2e-323", "-1e-7", "4.35", "1e+100"};
        for (int i = 0; i < values.length; i++) {
            assertEquals(js[i], Json.write(values[i]), "double " + values[i]);
        }
    }

    @Test
    void refusesValuesWithoutAJsonForm() {
        assertEquals(JsonException.Reason.UNSUPPORTED_VALUE,
                assertThrows(JsonException.class, () -> Json.write(new Object())).reason());
        assertEquals(JsonException.Reason.UNSUPPORTED_VALUE,
                assertThrows(JsonException.class, () -> Json.write(List.of(new byte[1]))).reason());
        List<Object> self = new ArrayList<>();
        self.add(self);
        assertEquals(JsonException.Reason.TOO_DEEP, assertThrows(JsonException.class, () -> Json.write(self)).reason());
    }

    @Test
    void seededGarbageIsRefusedOnlyWithJsonException() {
        Random r = new Random(0x5eed);
        String alphabet = "[]{}\":,.-+eE0123456789tfnrulsa \\u\t\n\u0000\uD800\uDC00é";
        int accepted = 0;
        for (int i = 0; i < 20_000; i++) {
            char[] c = new char[r.nextInt(24)];
            for (int k = 0; k < c.length; k++) {
                c[k] = alphabet.charAt(r.nextInt(alphabet.length()));
            }
            String s = new String(c);
            try {
                Object v = Json.parse(s);
                // whatever is accepted writes to a text that parses back to the same text
                String w = Json.write(v);
                assertEquals(w, Json.write(Json.parse(w)), s);
                accepted++;
            } catch (JsonException e) {
                assertTrue(e.offset() >= 0 && e.offset() <= s.length(), s + " " + e.getMessage());
            } catch (RuntimeException e) {
                fail("input " + Arrays.toString(c) + " threw " + e);
            }
        }
        assertTrue(accepted > 0);
    }

    @Test
    void seededValuesRoundTrip() {
        Random r = new Random(42);
        for (int i = 0; i < 2_000; i++) {
            Object v = randomValue(r, 0);
            String w = Json.write(v);
            assertEquals(w, Json.write(Json.parse(w)));
        }
    }

    private static Object randomValue(Random r, int depth) {
        switch (depth > 4 ? r.nextInt(5) : r.nextInt(7)) {
            case 0: return null;
            case 1: return r.nextBoolean();
            case 2: return r.nextLong() >> r.nextInt(64);
            case 3: return Double.longBitsToDouble(r.nextLong());
            case 4: {
                char[] c = new char[r.nextInt(8)];
                for (int k = 0; k < c.length; k++) {
                    c[k] = (char) r.nextInt(0x10000);
                }
                return new String(c);
            }
            case 5: {
                List<Object> l = new ArrayList<>();
                for (int k = r.nextInt(4); k > 0; k--) {
                    l.add(randomValue(r, depth + 1));
                }
                return l;
            }
            default: {
                Map<String, Object> m = new LinkedHashMap<>();
                for (int k = r.nextInt(4); k > 0; k--) {
                    m.put("k" + r.nextInt(10), randomValue(r, depth + 1));
                }
                return m;
            }
        }
    }
}
