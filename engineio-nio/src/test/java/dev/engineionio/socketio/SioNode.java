package dev.engineionio.socketio;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the node scripts of {@code src/test/js-socketio} (real socket.io clients, the reference socket.io server, the
 * JSON test suite). {@code mvn verify} installs their packages (see the module pom).
 *
 * <p>System properties: {@code interop.node} (the node executable, default {@code node}).
 */
final class SioNode {

    private SioNode() {
    }

    static Path dir() {
        Path dir = Path.of("src/test/js-socketio").toAbsolutePath();
        if (!Files.isDirectory(dir.resolve("node_modules"))) {
            throw new IllegalStateException("no node_modules in " + dir + ": run `npm ci` there (mvn verify does)");
        }
        return dir;
    }

    /** The outcome of one run; exit -1 when the hard timeout killed it. */
    record Result(int exit, String stdout, String stderr, List<String> command) {
        String describe() {
            return "command: " + String.join(" ", command) + "\nexit: " + exit + "\n--- stdout ---\n" + stdout
                    + "--- stderr ---\n" + stderr;
        }
    }

    static Result run(long timeoutSeconds, String script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("interop.node", "node"));
        command.add(script);
        command.addAll(List.of(args));
        Path out = Files.createTempFile("sio-node", ".out");
        Path err = Files.createTempFile("sio-node", ".err");
        try {
            Process p = new ProcessBuilder(command).directory(dir().toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            p.getOutputStream().close();
            int exit;
            if (p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                exit = p.exitValue();
            } else {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
                exit = -1;
            }
            return new Result(exit, Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8), command);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The reference socket.io server, started on a free port; {@link #close} stops it. */
    static final class ReferenceServer implements AutoCloseable {
        final Process process;
        final int port;
        /** The twin server with connectionStateRecovery. */
        final int recoveryPort;

        ReferenceServer() throws IOException {
            process = new ProcessBuilder(System.getProperty("interop.node", "node"), "reference-server.js", "0",
                    "--exit-on-stdin-close").directory(dir().toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            String line = r.readLine();
            if (line == null || !line.startsWith("LISTENING ")) {
                process.destroyForcibly();
                throw new IOException("reference server did not start: " + line);
            }
            port = Integer.parseInt(line.substring("LISTENING ".length()).trim());
            String second = r.readLine();
            if (second == null || !second.startsWith("RECOVERY ")) {
                process.destroyForcibly();
                throw new IOException("reference recovery server did not start: " + second);
            }
            recoveryPort = Integer.parseInt(second.substring("RECOVERY ".length()).trim());
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
