package dev.engineionio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.engineionio.EngineServer;
import dev.engineionio.socketio.SocketIoServer;
import dev.engineionio.socketio.SocketIoSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * socket.io-client 4.8's browser bundle ({@code dist/socket.io.min.js} from the npm package, copied into the examples
 * jar by the build) in headless Chromium against our Socket.IO server, which serves the page and the bundle:
 * {@code src/test/js/sio-browser-e2e.js} opens two pages that connect with an auth payload, emit with
 * acknowledgements (JSON, and binary both ways with a nested buffer), get a binary event, join a room and talk through
 * it (the sender excluded), and end on WebSocket after the upgrade.
 *
 * <p>Without Chromium the test fails with how to install it (as {@link DemoBrowserTest}). The process wait here is a
 * failure guard only.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class SocketIoBrowserTest {

    private static final Path BASEDIR = Path.of(System.getProperty("basedir", "."));

    private static final String PAGE = "<!doctype html><meta charset=utf-8><title>socket.io-client in a browser</title>"
            + "<script src=\"/client/socket.io.min.js\"></script><p>socket.io-client bundle test page</p>";

    private static byte[] bundle() throws IOException {
        try (InputStream in = SocketIoBrowserTest.class.getResourceAsStream("/demo/socket.io.min.js")) {
            if (in == null) {
                fail("demo/socket.io.min.js is not on the class path: the build copies it from "
                        + "src/main/js/node_modules/socket.io-client/dist (mvn -B package)");
            }
            return in.readAllBytes();
        }
    }

    private static void setup(SocketIoSocket s) {
        Object name = s.handshake().auth().get("name");
        s.emit("welcome", new byte[] {1, 2, 3}, name);
        s.on("echo", (args, ack) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("args", args);
            m.put("name", name);
            ack.send(m);
        });
        s.on("echo-binary", (args, ack) -> {
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            joined.writeBytes((byte[]) args.get(0));
            @SuppressWarnings("unchecked")
            Map<String, Object> nested = (Map<String, Object>) args.get(1);
            joined.writeBytes((byte[]) ((List<?>) nested.get("nested")).get(0));
            ack.send((Object) joined.toByteArray());
        });
        s.on("join", (args, ack) -> {
            s.join((String) args.get(0));
            TreeSet<String> rooms = new TreeSet<>(s.rooms());
            rooms.remove(s.id());
            ack.send(new ArrayList<>(rooms));
        });
        s.on("say", (args, ack) -> s.to((String) args.get(0)).emit("said", args.get(1)));
    }

    @Test
    void twoBrowserPagesUseTheRealSocketIoClientBundle() throws Exception {
        Path chromium = Path.of(System.getProperty("demo.chromium", "/usr/bin/chromium"));
        if (!Files.isExecutable(chromium)) {
            fail("This browser test needs Chromium at " + chromium + " and it is not there. Install it: "
                    + "`sudo apt-get install -y chromium` (Debian/Ubuntu), or point to another Chromium/Chrome with "
                    + "-Ddemo.chromium=/path/to/chrome.");
        }
        Path js = BASEDIR.resolve("src/test/js");
        assertTrue(Files.isDirectory(js.resolve("node_modules/playwright-core")),
                "playwright-core is not installed in " + js + ": the build's npm-ci-demo-e2e step installs it; by hand: "
                        + "cd " + js + " && npm ci");
        byte[] bundle = bundle();
        byte[] page = PAGE.getBytes(StandardCharsets.UTF_8);
        Path stderr = BASEDIR.resolve("target/sio-browser-e2e.stderr.log");

        SocketIoServer io = SocketIoServer.builder(EngineServer.builder().listen("127.0.0.1", 0)
                        .httpHandler((request, response) -> {
                            if (request.path().equals("/")) {
                                response.header("Content-Type", "text/html; charset=UTF-8").send(page);
                            } else if (request.path().equals("/client/socket.io.min.js")) {
                                response.header("Content-Type", "text/javascript; charset=UTF-8").send(bundle);
                            } else {
                                response.status(404).send("Not Found");
                            }
                        }))
                .build();
        io.onConnection(SocketIoBrowserTest::setup);
        io.start();
        String result;
        int exit;
        try {
            ProcessBuilder pb = new ProcessBuilder("node", "sio-browser-e2e.js", "http://127.0.0.1:" + io.port() + "/")
                    .directory(js.toFile())
                    .redirectError(stderr.toFile());
            pb.environment().put("CHROMIUM_PATH", chromium.toString());
            Process node = pb.start();
            try {
                node.getOutputStream().close();
                if (!node.waitFor(120, TimeUnit.SECONDS)) {
                    fail("sio-browser-e2e.js gave no result in 120 s; stderr: " + read(stderr));
                }
                result = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                exit = node.exitValue();
            } finally {
                node.descendants().forEach(ProcessHandle::destroyForcibly);
                node.destroyForcibly();
            }
        } finally {
            io.close();
        }
        String why = "stdout: " + result + "\nstderr: " + read(stderr);
        assertEquals(0, exit, why);
        assertTrue(result.startsWith("{\"ok\":true,"), why);
        assertTrue(result.contains("\"transport\":\"websocket\""), why);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }
}
