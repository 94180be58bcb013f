package dev.engineionio.examples;

import java.io.IOException;
import java.net.BindException;

/**
 * The examples' command-line handling: a bad argument or a port that cannot be bound ends the program with one line
 * on standard error instead of a stack trace. Used by the {@code main} methods; any thread.
 */
final class Cli {

    /** Exit status of a usage error (a bad argument). */
    static final int USAGE = 2;
    /** Exit status when the server cannot listen (e.g. the port is in use). */
    static final int CANNOT_LISTEN = 1;

    private Cli() {
    }

    /** A bad command-line argument; the message is the one line to print. */
    static final class UsageError extends Exception {
        UsageError(String message) {
            super(message, null, false, false);
        }
    }

    /** {@code arg} as a TCP port, 0 to 65535. */
    static int port(String arg) throws UsageError {
        try {
            int port = Integer.parseInt(arg);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageError("bad port '" + arg + "': a number from 0 to 65535");
    }

    /** The value of {@code option} at {@code args[i]}, a positive number of milliseconds. */
    static long millis(String option, String[] args, int i) throws UsageError {
        if (i >= args.length) {
            throw new UsageError(option + " needs a value");
        }
        try {
            long v = Long.parseLong(args[i]);
            if (v > 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageError("bad " + option + " '" + args[i] + "': a positive number of milliseconds");
    }

    /** Prints {@code error: <message>} and the usage line to standard error, then exits with {@link #USAGE}. */
    static void exitUsage(UsageError e, String usage) {
        System.err.println("error: " + e.getMessage() + " (usage: " + usage + ")");
        System.exit(USAGE);
    }

    /**
     * Prints why the server cannot listen (a {@link BindException} names the address, e.g. {@code cannot listen on
     * 127.0.0.1:3000: Address already in use}) and {@code hint} when not null, then exits with {@link
     * #CANNOT_LISTEN}.
     */
    static void exitCannotListen(IOException e, String hint) {
        String what = e instanceof BindException ? e.getMessage() : "cannot listen: " + e;
        System.err.println("error: " + what + (hint == null ? "" : "; " + hint));
        System.exit(CANNOT_LISTEN);
    }
}
