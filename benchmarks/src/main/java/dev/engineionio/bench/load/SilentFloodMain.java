package dev.engineionio.bench.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Silent connections against an Engine.IO server: opens {@code --silent N} TCP connections that never send a byte
 * (spread over {@code --sources K} loopback source addresses 127.0.0.2 .. 127.0.0.(K+1)), then makes {@code
 * --handshakes M} fresh Engine.IO polling handshakes from 127.0.0.1, one after the other, each on a new connection,
 * and reports how many succeeded (status 200 and an open packet) and their latency (connect to the end of the
 * answer). Then it counts the silent connections the server has closed, and with {@code --watch S} keeps counting
 * every second for up to S seconds (e.g. past the server's {@code requestHeaderTimeout}).
 *
 * <p>A tool, not a test: run it as a separate process (the open-file limit counts per process). Bounded: N
 * connections, M handshakes of at most {@code --timeout} seconds each, the watch of at most S seconds, and a hard
 * deadline of 120 s + S for the whole run. Loopback hosts only.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.engineionio.bench.load.SilentFloodMain \
 *     --port 3000 --silent 12000 --sources 4 --handshakes 20 [--path /engine.io/] [--timeout 5] [--watch 15]
 * </pre>
 */
public final class SilentFloodMain {

    private SilentFloodMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = 3000;
        int silent = 12_000;
        int sources = 4;
        int handshakes = 20;
        int timeoutS = 5;
        int watchS = 0;
        String path = "/engine.io/";
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(v);
                case "--silent" -> silent = Integer.parseInt(v);
                case "--sources" -> sources = Integer.parseInt(v);
                case "--handshakes" -> handshakes = Integer.parseInt(v);
                case "--timeout" -> timeoutS = Integer.parseInt(v);
                case "--watch" -> watchS = Integer.parseInt(v);
                case "--path" -> path = v;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (silent < 0 || silent > 18_000 || sources < 1 || sources > 250 || handshakes < 1 || handshakes > 1000
                || watchS < 0 || watchS > 600) {
            throw new IllegalArgumentException("out of range (silent <= 18000 for the 20,000 open-file limit)");
        }
        long hardDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120 + watchS);
        InetSocketAddress server = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port);

        // 1. Silent connections, round-robin over the source addresses.
        List<SocketChannel> quiet = new ArrayList<>(silent);
        long t0 = System.nanoTime();
        int connectFailures = 0;
        try {
            for (int i = 0; i < silent && System.nanoTime() - hardDeadline < 0; i++) {
                SocketChannel ch = SocketChannel.open();
                try {
                    ch.bind(new InetSocketAddress(InetAddress.getByName("127.0.0." + (2 + i % sources)), 0));
                    ch.socket().connect(server, timeoutS * 1000);
                    ch.configureBlocking(false);
                    quiet.add(ch);
                } catch (IOException e) {
                    connectFailures++;
                    ch.close();
                }
            }
            long openedMs = ms(System.nanoTime() - t0);
            int closedBefore = countClosed(quiet);
            System.out.printf("silent: %d connected in %d ms (%d connect failures); closed by the server so far: %d%n",
                    quiet.size(), openedMs, connectFailures, closedBefore);

            // 2. Fresh handshakes, one at a time.
            String request = "GET " + path + "?EIO=4&transport=polling HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\n\r\n";
            long[] latencyUs = new long[handshakes];
            int ok = 0;
            List<String> failures = new ArrayList<>();
            long handshakesStart = System.nanoTime();
            for (int i = 0; i < handshakes; i++) {
                long start = System.nanoTime();
                String result = handshake(server, request, timeoutS);
                latencyUs[i] = (System.nanoTime() - start) / 1000;
                if (result == null) {
                    ok++;
                } else {
                    failures.add("#" + i + ": " + result);
                }
            }
            long[] sorted = latencyUs.clone();
            Arrays.sort(sorted);
            System.out.printf("handshakes: %d of %d succeeded, %d to %d ms after the first silent connect; latency "
                            + "ms min %.2f median %.2f max %.2f%n", ok, handshakes, ms(handshakesStart - t0),
                    ms(System.nanoTime() - t0), sorted[0] / 1000.0, sorted[sorted.length / 2] / 1000.0,
                    sorted[sorted.length - 1] / 1000.0);
            System.out.println("latencies ms: " + Arrays.toString(Arrays.stream(latencyUs)
                    .mapToObj(us -> String.format("%.2f", us / 1000.0)).toArray()));
            for (String f : failures) {
                System.out.println("failed " + f);
            }
            boolean[] closedNow = closedFlags(quiet);
            int closedAfter = 0;
            for (boolean c : closedNow) {
                closedAfter += c ? 1 : 0;
            }
            int oldest = 0;
            for (int i = 0; i < closedAfter; i++) {
                oldest += closedNow[i] ? 1 : 0;
            }
            System.out.printf("silent connections closed by the server after the handshakes: %d of %d (%d of them among"
                    + " the %d opened first)%n", closedAfter, quiet.size(), oldest, closedAfter);

            // 3. Optionally watch the rest being closed (requestHeaderTimeout).
            for (int s = 1; s <= watchS && System.nanoTime() - hardDeadline < 0; s++) {
                Thread.sleep(1000); // a tool sampling a count once a second, not a test
                int closed = countClosed(quiet);
                System.out.printf("t=%5d ms after the first silent connect: closed %d of %d%n",
                        ms(System.nanoTime() - t0), closed, quiet.size());
                if (closed == quiet.size()) {
                    break;
                }
            }
        } finally {
            for (SocketChannel ch : quiet) {
                ch.close();
            }
        }
    }

    private static long ms(long ns) {
        return TimeUnit.NANOSECONDS.toMillis(ns);
    }

    private static final ByteBuffer PROBE = ByteBuffer.allocate(512);

    /** Silent connections the server has closed (EOF or reset); a read that finds nothing leaves one open. */
    private static int countClosed(List<SocketChannel> channels) {
        int closed = 0;
        for (boolean c : closedFlags(channels)) {
            closed += c ? 1 : 0;
        }
        return closed;
    }

    /**
     * Per connection, in opening order: closed by the server (EOF or reset, or an answer such as 408, after which it
     * closes). A connection found closed stays closed: its EOF is read again at the next look.
     */
    private static boolean[] closedFlags(List<SocketChannel> channels) {
        boolean[] closed = new boolean[channels.size()];
        for (int i = 0; i < closed.length; i++) {
            try {
                PROBE.clear();
                closed[i] = channels.get(i).read(PROBE) < 0 || PROBE.position() > 0;
            } catch (IOException e) {
                closed[i] = true;
            }
        }
        return closed;
    }

    /** One polling handshake on a new connection; null on success, else what went wrong. */
    private static String handshake(InetSocketAddress server, String request, int timeoutS) {
        try (java.net.Socket s = new java.net.Socket()) {
            s.connect(server, timeoutS * 1000);
            s.setSoTimeout(timeoutS * 1000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            byte[] buf = new byte[4096];
            int n = 0;
            int headEnd = -1;
            long contentLength = -1;
            while (n < buf.length) {
                int r = s.getInputStream().read(buf, n, buf.length - n);
                if (r < 0) {
                    return "EOF after " + n + " bytes";
                }
                n += r;
                String text = new String(buf, 0, n, StandardCharsets.ISO_8859_1);
                if (headEnd < 0) {
                    headEnd = text.indexOf("\r\n\r\n");
                    if (headEnd >= 0) {
                        if (!text.startsWith("HTTP/1.1 200 ")) {
                            return text.substring(0, text.indexOf('\r'));
                        }
                        int cl = text.toLowerCase(java.util.Locale.ROOT).indexOf("content-length:");
                        if (cl < 0) {
                            return "no Content-Length";
                        }
                        contentLength = Long.parseLong(text.substring(cl + 15, text.indexOf('\r', cl)).trim());
                    }
                }
                if (headEnd >= 0 && n - (headEnd + 4) >= contentLength) {
                    String body = text.substring(headEnd + 4);
                    return body.startsWith("0{\"sid\":") ? null : "not an open packet: " + body;
                }
            }
            return "answer over " + buf.length + " bytes";
        } catch (SocketTimeoutException e) {
            return "no answer within " + timeoutS + " s";
        } catch (IOException e) {
            return e.toString();
        }
    }
}
