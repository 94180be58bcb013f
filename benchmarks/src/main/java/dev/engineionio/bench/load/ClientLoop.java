package dev.engineionio.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One selector thread driving many client {@link Conn}s. The duty cycle reads the clock once, lets the scenario
 * {@link Driver} act (open more sessions, stop), selects for at most 5 ms, and once per 100 ms sweeps the connections
 * for expired deadlines. Every run is bounded: the driver ends it, and the loop itself stops at {@link #hardEndNs}.
 *
 * <p>Thread: every method runs on the loop's own thread except the constructor and the read-only accessors used
 * after {@link Thread#join()}. Buffers: each connection owns a direct read buffer and write buffer sized by the scenario
 * (direct: the JDK copies heap buffers through a temporary direct one on every read and write).
 * Limits: at most 1,000 errors, then the run stops ({@link #MAX_ERRORS}); the first 5 error messages are kept.
 */
final class ClientLoop implements Runnable {

    /** What a scenario does on the loop thread. */
    interface Driver {
        /** Called once per loop turn; returns false when the run is over. */
        boolean tick(ClientLoop loop, long nowNs);
    }

    static final int MAX_ERRORS = 1000;

    final LoadOptions options;
    final InetSocketAddress address;
    final Selector selector;
    final Driver driver;
    final RttHistogram histogram = new RttHistogram();
    final List<Conn> conns = new ArrayList<>();
    final List<String> errorMessages = new ArrayList<>();
    final long startNs;
    final long warmEndNs;
    final long endNs;
    long hardEndNs;
    final Consumer<SelectionKey> onSelected = this::selected;

    long nowNs;
    long ops;
    long errors;
    long pingsAnswered;
    /** --sink: messages received, and the loop times of the first and the last. */
    long delivered;
    long firstDeliveryNs;
    long lastDeliveryNs;
    /** read and write calls made in the measured window: what the client's CPU goes to. */
    long reads;
    long writes;
    long sessionsOpened;
    /** polling: new connections opened in the window because the server closed the previous one after a response. */
    long reconnects;
    long sessionsLost;
    boolean stoppedByLimit;

    ClientLoop(LoadOptions options, InetSocketAddress address, Driver driver, long startNs) {
        this.options = options;
        this.address = address;
        this.driver = driver;
        this.startNs = startNs;
        this.warmEndNs = startNs + (long) (options.warmupS * 1e9);
        this.endNs = warmEndNs + (long) (options.durationS * 1e9);
        this.hardEndNs = endNs + (long) (options.timeoutS * 1e9) + 60_000_000_000L;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether {@code t} lies in the measured window. */
    boolean measuring(long t) {
        return t - warmEndNs >= 0 && t - endNs < 0;
    }

    void error(String message) {
        errors++;
        if (errorMessages.size() < 5) {
            errorMessages.add(message);
        }
    }

    @Override
    public void run() {
        long nextSweepNs = System.nanoTime();
        try {
            while (true) {
                nowNs = System.nanoTime();
                if (nowNs - hardEndNs >= 0) {
                    error("run exceeded its hard time limit");
                    break;
                }
                if (errors >= MAX_ERRORS) {
                    stoppedByLimit = true;
                    break;
                }
                if (!driver.tick(this, nowNs)) {
                    break;
                }
                selector.select(onSelected, 5);
                if (nowNs - nextSweepNs >= 0) {
                    nextSweepNs = nowNs + 100_000_000L;
                    for (int i = 0; i < conns.size(); i++) {
                        Conn c = conns.get(i);
                        if (c.deadlineNs != 0 && nowNs - c.deadlineNs >= 0) {
                            c.fail("timed out (" + c.stateName() + ")");
                        }
                    }
                }
            }
        } catch (IOException e) {
            error("selector: " + e);
        } finally {
            for (Conn c : conns) {
                c.closeChannel();
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // closing at the end of the run: nothing left to do with it
            }
        }
    }

    private void selected(SelectionKey key) {
        ((Conn) key.attachment()).onSelected(key, System.nanoTime());
    }
}
