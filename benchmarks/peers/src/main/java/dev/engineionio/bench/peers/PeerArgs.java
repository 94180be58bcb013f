package dev.engineionio.bench.peers;

/**
 * The command line shared by the benchmark echo servers ({@code dev.engineionio.examples.EchoServer}'s contract, which
 * {@code benchmarks/compare.sh} relies on): {@code PORT [--pingInterval MS] [--pingTimeout MS]}; defaults 25000 and
 * 20000 ms (the reference's). Port 0 asks the system for a free port.
 *
 * <p>Thread: main only. Limits: port 0..65535, ping interval and timeout 1..3,600,000 ms; anything else is a usage
 * error ({@link IllegalArgumentException} with the reason).
 */
public final class PeerArgs {

    /** The port to bind on 127.0.0.1 (0: any free one). */
    public final int port;
    /** Engine.IO {@code pingInterval} in ms. */
    public final int pingIntervalMs;
    /** Engine.IO {@code pingTimeout} in ms. */
    public final int pingTimeoutMs;

    private PeerArgs(int port, int pingIntervalMs, int pingTimeoutMs) {
        this.port = port;
        this.pingIntervalMs = pingIntervalMs;
        this.pingTimeoutMs = pingTimeoutMs;
    }

    /** Parses {@code PORT [--pingInterval MS] [--pingTimeout MS]}. */
    public static PeerArgs parse(String[] args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: PORT [--pingInterval MS] [--pingTimeout MS]");
        }
        int port = bounded("PORT", args[0], 0, 65535);
        int interval = 25_000;
        int timeout = 20_000;
        for (int i = 1; i < args.length; i += 2) {
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + args[i]);
            }
            switch (args[i]) {
                case "--pingInterval" -> interval = bounded(args[i], args[i + 1], 1, 3_600_000);
                case "--pingTimeout" -> timeout = bounded(args[i], args[i + 1], 1, 3_600_000);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        return new PeerArgs(port, interval, timeout);
    }

    private static int bounded(String name, String value, int min, int max) {
        int n;
        try {
            n = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " is not a number: " + value);
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "]: " + value);
        }
        return n;
    }
}
