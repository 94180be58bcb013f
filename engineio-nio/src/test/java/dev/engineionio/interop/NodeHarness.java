package dev.engineionio.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Locates {@code node} and the harness scripts in {@code src/test/js}, and runs a node script to completion with a
 * hard timeout, capturing its output in files (no pipe can fill up and block the child).
 *
 * <p>System properties: {@code interop.node} (the node executable, default {@code node} on the PATH),
 * {@code interop.jsDir} (default {@code src/test/js} under the module directory, which is the working directory of
 * surefire). The scripts need {@code npm ci} in that directory; {@code mvn verify} runs it (see the module pom).
 *
 * <p>Thread: stateless; any thread.
 */
final class NodeHarness {

    private NodeHarness() {
    }

    static String node() {
        return System.getProperty("interop.node", "node");
    }

    static Path jsDir() {
        Path dir = Path.of(System.getProperty("interop.jsDir", "src/test/js")).toAbsolutePath();
        if (!Files.isDirectory(dir.resolve("node_modules"))) {
            throw new IllegalStateException("no node_modules in " + dir + ": run `npm ci` there (mvn verify does)");
        }
        return dir;
    }

    /** The outcome of one node run; {@code exitCode} is -1 when the hard timeout killed it. */
    record Result(int exitCode, String stdout, String stderr, List<String> command) {
        String describe() {
            return "command: " + String.join(" ", command) + "\nexit: " + exitCode
                    + "\n--- stdout ---\n" + stdout + "--- stderr ---\n" + stderr;
        }

        String lastLine() {
            String[] lines = stdout.strip().split("\n");
            return lines[lines.length - 1];
        }
    }

    static Result run(long timeoutSeconds, String script, String... args) throws IOException, InterruptedException {
        return run(java.util.Map.of(), timeoutSeconds, script, args);
    }

    /** Like {@link #run(long, String, String...)} with extra environment variables (e.g. NODE_EXTRA_CA_CERTS). */
    static Result run(java.util.Map<String, String> env, long timeoutSeconds, String script, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(node());
        command.add(script);
        command.addAll(List.of(args));
        Path out = Files.createTempFile("interop-node", ".out");
        Path err = Files.createTempFile("interop-node", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().putAll(env);
            Process process = pb
                    .directory(jsDir().toFile())
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            process.getOutputStream().close(); // the scripts read no input
            int exit;
            if (process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                exit = process.exitValue();
            } else {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                exit = -1;
            }
            return new Result(exit, Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8), command);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
