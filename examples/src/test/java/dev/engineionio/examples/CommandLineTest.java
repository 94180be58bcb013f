package dev.engineionio.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.engineionio.EngineServer;
import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The examples' mains answer a bad argument with one usage line and exit status 2, and a port they cannot listen on
 * with one line naming the address and exit status 1: no stack trace. The mains run in child JVMs (they call
 * {@code System.exit}); their wait is a failure guard only.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CommandLineTest {

    private record Run(int status, List<String> err, String out) {
    }

    private static Run run(Class<?> main, String... args) throws Exception {
        String cp = location(main) + File.pathSeparator + location(EngineServer.class);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", cp, main.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("still running: " + cmd);
        }
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.exitValue(), err.lines().toList(), out);
    }

    private static String location(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static void assertUsageError(Run r, String firstWords) {
        assertEquals(2, r.status(), r.toString());
        assertEquals(1, r.err().size(), "one line: " + r.err());
        assertTrue(r.err().get(0).startsWith("error: " + firstWords), r.err().get(0));
        assertTrue(r.err().get(0).contains("(usage: java "), r.err().get(0));
        assertEquals("", r.out());
    }

    @Test
    void aPortThatIsNotANumberOrOutOfRangeGetsOneUsageLineAndStatus2() throws Exception {
        assertUsageError(run(EchoServer.class, "abc"), "bad port 'abc': a number from 0 to 65535");
        assertUsageError(run(EchoServer.class, "99999"), "bad port '99999': a number from 0 to 65535");
        assertUsageError(run(DemoServer.class, "abc"), "bad port 'abc'");
        assertUsageError(run(AutobahnEchoServer.class, "-1"), "bad port '-1'");
        assertUsageError(run(EchoServer.class, "--pingInterval", "soon"), "bad --pingInterval 'soon'");
        assertUsageError(run(EchoServer.class, "--pingTimeout"), "--pingTimeout needs a value");
    }

    @Test
    void aPortInUseIsNamedWithItsAddressOnOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            String named = "cannot listen on 127.0.0.1:" + port + ": Address already in use";
            for (Class<?> main : List.of(EchoServer.class, DemoServer.class, AutobahnEchoServer.class)) {
                Run r = run(main, String.valueOf(port));
                assertEquals(1, r.status(), main.getSimpleName() + " " + r);
                String last = r.err().get(r.err().size() - 1);
                assertTrue(last.startsWith("error: " + named), main.getSimpleName() + ": " + r.err());
                for (String line : r.err()) {
                    assertFalse(line.startsWith("\tat ") || line.contains("Exception"), "a stack trace: " + r.err());
                }
                assertFalse(r.out().contains("LISTENING"), r.out());
            }
        }
    }

    @Test
    void portArgumentsAtTheirEdges() throws Exception {
        assertEquals(0, Cli.port("0"));
        assertEquals(65535, Cli.port("65535"));
        assertThrows(Cli.UsageError.class, () -> Cli.port("65536"));
        assertThrows(Cli.UsageError.class, () -> Cli.port("-1"));
        assertThrows(Cli.UsageError.class, () -> Cli.port(""));
        assertEquals(1, Cli.millis("--pingInterval", new String[] {"1"}, 0));
        assertThrows(Cli.UsageError.class, () -> Cli.millis("--pingInterval", new String[] {"0"}, 0));
    }

    @Test
    void onSigtermTheEchoServerSendsItsSessionsTheCloseBeforeExiting() throws Exception {
        String cp = location(EchoServer.class) + File.pathSeparator + location(EngineServer.class);
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", cp, EchoServer.class.getName(), "0").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            java.io.BufferedReader out = new java.io.BufferedReader(
                    new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
            String line = out.readLine();
            assertTrue(line != null && line.startsWith("LISTENING "), String.valueOf(line));
            int port = Integer.parseInt(line.split(" ")[1]);
            try (java.net.Socket ws = new java.net.Socket("127.0.0.1", port)) {
                ws.getOutputStream().write(("GET /engine.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\n"
                        + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                        + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                java.io.DataInputStream in = new java.io.DataInputStream(ws.getInputStream());
                StringBuilder head = new StringBuilder();
                while (!head.toString().endsWith("\r\n\r\n")) {
                    head.append((char) in.readUnsignedByte());
                }
                assertTrue(head.toString().startsWith("HTTP/1.1 101 "), head.toString());
                assertEquals(0x81, in.readUnsignedByte()); // the open packet
                in.readNBytes(in.readUnsignedByte() & 0x7F);
                p.destroy(); // SIGTERM: the shutdown hook closes the server with its grace
                assertEquals(0x88, in.readUnsignedByte(), "the close frame");
                assertEquals(0, in.readUnsignedByte(), "without status, as ws's close()");
                ws.getOutputStream().write(new byte[] {(byte) 0x88, (byte) 0x80, 0, 0, 0, 0}); // our answer
                assertEquals(-1, in.read());
            }
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "still running after SIGTERM");
        } finally {
            p.destroyForcibly();
        }
    }
}
