package dev.engineionio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
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
 * Holds the compiled library to the layering of {@code shared/DESIGN.md}: which package may refer to which, that only
 * the driver touches channels and reads a clock, and that the packages form no cycle but the one the public API and its
 * implementation share.
 *
 * <p>It reads every class file under the library's output folder (the constant pool: class references, field and method
 * descriptors and signatures, method references), so a fully qualified name in the code counts as much as an import.
 * A package that is not in {@link #ALLOWED} fails the test: a new package states its place in the layers here.
 */
class LayeringTest {

    /** Package (relative to {@code dev.engineionio}; "" is the public API) → the project packages it may refer to. */
    static final Map<String, Set<String>> ALLOWED = new TreeMap<>(Map.of(
            "timer", Set.of(),
            "driver", Set.of("timer"),
            "http", Set.of(),
            "websocket", Set.of("http"),
            "protocol", Set.of(),
            "session", Set.of("protocol", "http", "websocket", "timer"),
            "server", Set.of("", "driver", "http", "websocket", "protocol", "session", "timer"),
            "", Set.of("server", "driver", "http", "websocket", "protocol", "session", "timer"),
            // Above the session only the exported API: what any user of the library could write.
            "socketio", Set.of("", "protocol")));

    /**
     * The one cycle the layers allow: the public API builds its implementation ({@code EngineServer} starts
     * {@code server.ServerCore}) and the implementation implements the API's interfaces ({@code EngineSocket},
     * {@code HttpHandler}). Every other strongly connected set of packages is a failure.
     */
    static final Set<String> API_AND_IMPLEMENTATION = Set.of("", "server");

    /** Only these packages may touch {@code java.nio.channels} or read a clock. */
    static final Set<String> IO_AND_CLOCK = Set.of("driver");

    /**
     * Wall-clock reads allowed outside the driver, by package: metadata handed to the application, never a deadline
     * (every deadline runs on the loop's injectable clock, so tests move it). Socket.IO's {@code handshake.time} and
     * {@code issued} are the reference's {@code Date.now()}.
     */
    static final Map<String, Set<String>> WALL_CLOCK_METADATA = Map.of(
            "socketio", Set.of("SocketIoSocket.class: java/lang/System.currentTimeMillis"));

    private static final String ROOT = "dev/engineionio/";
    private static final Pattern PROJECT_CLASS = Pattern.compile("dev/engineionio/((?:[a-z0-9_]+/)*)[A-Za-z0-9_$]+");
    private static final Set<String> CLOCK_READS = Set.of(
            "java/lang/System.nanoTime", "java/lang/System.currentTimeMillis", "java/time/Instant.now",
            "java/time/Clock.systemUTC", "java/time/Clock.systemDefaultZone", "java/time/LocalDateTime.now",
            "java/time/ZonedDateTime.now", "java/time/OffsetDateTime.now");

    /** Package → packages it refers to. */
    static final Map<String, Set<String>> uses = new TreeMap<>();
    /** Package → what it touches of channels and clocks (class or method names). */
    static final Map<String, Set<String>> ioAndClock = new TreeMap<>();

    @BeforeAll
    static void readClassFiles() throws IOException, URISyntaxException {
        Path classes = Path.of(EngineServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path root = classes.resolve(ROOT);
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
                String pkg = packageOf(root.relativize(file).toString().replace('\\', '/'));
                try (InputStream in = Files.newInputStream(file)) {
                    ClassRefs refs = ClassRefs.read(in);
                    Set<String> used = uses.computeIfAbsent(pkg, k -> new TreeSet<>());
                    for (String name : refs.names) {
                        Matcher m = PROJECT_CLASS.matcher(name);
                        while (m.find()) {
                            String other = m.group(1).isEmpty() ? "" : m.group(1).substring(0, m.group(1).length() - 1);
                            if (!other.equals(pkg)) {
                                used.add(other);
                            }
                        }
                        if (name.contains("java/nio/channels/")) {
                            ioAndClock.computeIfAbsent(pkg, k -> new TreeSet<>()).add(file.getFileName() + ": " + name);
                        }
                    }
                    for (String method : refs.methods) {
                        if (CLOCK_READS.contains(method) || method.startsWith("java/time/Clock.")) {
                            ioAndClock.computeIfAbsent(pkg, k -> new TreeSet<>()).add(file.getFileName() + ": " + method);
                        }
                    }
                }
            }
        }
    }

    /** {@code a/b/C.class} → {@code a/b}; {@code C.class} → "". Sub-packages count as their own package. */
    private static String packageOf(String relative) {
        int slash = relative.lastIndexOf('/');
        return slash < 0 ? "" : relative.substring(0, slash);
    }

    @Test
    void readsTheLibrary() {
        // A test that found no classes would pass every rule below.
        assertTrue(uses.keySet().containsAll(Set.of("", "driver", "server", "session", "protocol", "http")), uses::toString);
        assertTrue(uses.get("server").contains("driver"), "the reader sees references: " + uses.get("server"));
    }

    @Test
    void everyPackageHasAPlaceInTheLayers() {
        Set<String> unknown = new TreeSet<>(uses.keySet());
        unknown.removeAll(ALLOWED.keySet());
        assertEquals(Set.of(), unknown, "new packages must be added to LayeringTest.ALLOWED with what they may use");
    }

    @Test
    void packagesReferOnlyToWhatTheirLayerAllows() {
        List<String> broken = new ArrayList<>();
        uses.forEach((pkg, used) -> {
            Set<String> allowed = ALLOWED.getOrDefault(pkg, Set.of());
            for (String other : used) {
                if (!allowed.contains(other)) {
                    broken.add(name(pkg) + " -> " + name(other));
                }
            }
        });
        assertEquals(List.of(), broken);
    }

    @Test
    void onlyTheDriverTouchesChannelsAndClocks() {
        Map<String, Set<String>> outside = new TreeMap<>();
        ioAndClock.forEach((pkg, touched) -> {
            Set<String> left = new TreeSet<>(touched);
            left.removeAll(WALL_CLOCK_METADATA.getOrDefault(pkg, Set.of()));
            if (!IO_AND_CLOCK.contains(pkg) && !left.isEmpty()) {
                outside.put(pkg, left);
            }
        });
        assertEquals(Map.of(), outside);
        assertFalse(ioAndClock.getOrDefault("driver", Set.of()).isEmpty(), "the reader sees the driver's channels");
    }

    @Test
    void noPackageCycleButTheApiAndItsImplementation() {
        for (Set<String> component : stronglyConnected(uses)) {
            if (component.size() > 1) {
                assertEquals(API_AND_IMPLEMENTATION, component,
                        "a package cycle: " + component.stream().map(LayeringTest::name).toList());
            }
        }
    }

    @Test
    void cycleCheckFindsACycle() {
        Map<String, Set<String>> graph = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));
        assertTrue(stronglyConnected(graph).contains(Set.of("a", "b", "c")));
    }

    private static String name(String pkg) {
        return pkg.isEmpty() ? "dev.engineionio" : "dev.engineionio." + pkg.replace('/', '.');
    }

    /** Tarjan's strongly connected components; small graphs, so recursion is fine. */
    static List<Set<String>> stronglyConnected(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new TreeMap<>();
        Map<String, Integer> low = new TreeMap<>();
        List<String> stack = new ArrayList<>();
        List<Set<String>> out = new ArrayList<>();
        for (String v : graph.keySet()) {
            if (!index.containsKey(v)) {
                connect(v, graph, index, low, stack, out);
            }
        }
        return out;
    }

    private static void connect(String v, Map<String, Set<String>> graph, Map<String, Integer> index,
            Map<String, Integer> low, List<String> stack, List<Set<String>> out) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.add(v);
        for (String w : graph.getOrDefault(v, Set.of())) {
            if (!index.containsKey(w)) {
                connect(w, graph, index, low, stack, out);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (stack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.remove(stack.size() - 1);
                component.add(w);
            } while (!w.equals(v));
            out.add(component);
        }
    }

    /** The names a class file refers to, read from its constant pool (JVMS §4.4). */
    static final class ClassRefs {
        final List<String> names = new ArrayList<>();
        final List<String> methods = new ArrayList<>();

        static ClassRefs read(InputStream raw) throws IOException {
            DataInputStream in = new DataInputStream(raw);
            if (in.readInt() != 0xCAFEBABE) {
                throw new IOException("not a class file");
            }
            in.readUnsignedShort();
            in.readUnsignedShort();
            int count = in.readUnsignedShort();
            String[] utf8 = new String[count];
            int[] classIndex = new int[count];
            int[][] memberRef = new int[count][];
            int[][] nameAndType = new int[count][];
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> utf8[i] = in.readUTF();
                    case 7 -> classIndex[i] = in.readUnsignedShort();
                    case 8, 16, 19, 20 -> in.readUnsignedShort();
                    case 3, 4 -> in.readInt();
                    case 5, 6 -> {
                        in.readLong();
                        i++; // a long or double takes two slots
                    }
                    case 9, 10, 11 -> memberRef[i] = new int[] {in.readUnsignedShort(), in.readUnsignedShort()};
                    case 12 -> nameAndType[i] = new int[] {in.readUnsignedShort(), in.readUnsignedShort()};
                    case 17, 18 -> {
                        in.readUnsignedShort();
                        in.readUnsignedShort();
                    }
                    case 15 -> {
                        in.readUnsignedByte();
                        in.readUnsignedShort();
                    }
                    default -> throw new IOException("constant pool tag " + tag + " at " + i);
                }
            }
            ClassRefs refs = new ClassRefs();
            for (int i = 1; i < count; i++) {
                if (utf8[i] != null) {
                    refs.names.add(utf8[i]); // class names, descriptors, signatures (and string constants: harmless)
                }
                if (memberRef[i] != null) {
                    String owner = utf8[classIndex[memberRef[i][0]]];
                    String member = utf8[nameAndType[memberRef[i][1]][0]];
                    refs.methods.add(owner + "." + member);
                }
            }
            return refs;
        }
    }
}
