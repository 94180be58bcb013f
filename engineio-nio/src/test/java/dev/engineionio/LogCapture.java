package dev.engineionio;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Takes the library's log records (every {@code System.Logger} under {@code dev.engineionio}, which the JDK routes to
 * {@code java.util.logging}) for the duration of each test, so that a test which makes the server log on purpose (a
 * listener that throws, a failing id generator) can assert the record with {@link #expect} instead of printing a stack
 * trace into a green build. A record the test did not claim is printed at the end of the test, through the handlers
 * the records would have reached without this extension (the console by default): an unexpected warning still shows.
 *
 * <pre>{@code
 * @RegisterExtension
 * final LogCapture logs = new LogCapture();
 * ...
 * logs.expect(System.Logger.Level.WARNING, "HttpHandler threw");
 * }</pre>
 *
 * <p>Records are logged on event-loop threads, often just after the event the test waits for, so {@link #expect}
 * waits for the record (bounded at {@value #WAIT_S} s, a guard against a hang, not a timing assertion). Thread: the
 * handler may be called from any thread; {@link #expect} runs on the test thread. Tests in one JVM run one at a time
 * (the JUnit default), which the swap of the {@code dev.engineionio} logger's parent handlers relies on.
 */
public final class LogCapture implements BeforeEachCallback, AfterEachCallback {

    static final long WAIT_S = 20;

    /** A strong reference: {@code java.util.logging} holds loggers weakly, and a collected one loses its settings. */
    private final Logger logger = Logger.getLogger("dev.engineionio");
    private final List<LogRecord> records = new ArrayList<>();
    private final List<LogRecord> claimed = new ArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            synchronized (records) {
                records.add(r);
                records.notifyAll();
            }
        }

        @Override
        public void flush() {
            // records are kept in memory
        }

        @Override
        public void close() {
            // nothing held
        }
    };
    private boolean usedParentHandlers;

    /** A capture for one test class's tests; register it with {@code @RegisterExtension} on an instance field. */
    public LogCapture() {
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        synchronized (records) {
            records.clear();
            claimed.clear();
        }
        usedParentHandlers = logger.getUseParentHandlers();
        handler.setLevel(Level.ALL);
        logger.addHandler(handler);
        logger.setUseParentHandlers(false);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        logger.removeHandler(handler);
        logger.setUseParentHandlers(usedParentHandlers);
        List<LogRecord> unclaimed = new ArrayList<>();
        synchronized (records) {
            for (LogRecord r : records) {
                if (!claimed.contains(r)) {
                    unclaimed.add(r);
                }
            }
        }
        for (LogRecord r : unclaimed) {
            for (Logger l = logger.getParent(); l != null; l = l.getUseParentHandlers() ? l.getParent() : null) {
                for (Handler h : l.getHandlers()) {
                    h.publish(r);
                }
            }
        }
    }

    /**
     * Waits for a record at {@code level} whose message contains {@code messagePart} that no earlier call claimed,
     * claims it and returns it (for assertions on its {@link LogRecord#getThrown() thrown} exception); fails the test
     * with the records seen when none comes within {@value #WAIT_S} s.
     */
    public LogRecord expect(System.Logger.Level level, String messagePart) throws InterruptedException {
        return expectWithin(level, messagePart, TimeUnit.SECONDS.toMillis(WAIT_S));
    }

    /** {@link #expect}, waiting at most {@code waitMs} (0: only the records already logged). */
    LogRecord expectWithin(System.Logger.Level level, String messagePart, long waitMs) throws InterruptedException {
        Level want = julLevel(level);
        long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
        synchronized (records) {
            while (true) {
                for (LogRecord r : records) {
                    if (!claimed.contains(r) && r.getLevel().equals(want) && r.getMessage() != null
                            && r.getMessage().contains(messagePart)) {
                        claimed.add(r);
                        return r;
                    }
                }
                long leftNs = deadlineNs - System.nanoTime();
                if (leftNs <= 0) {
                    return fail("no " + level + " record containing \"" + messagePart + "\" was logged; records: "
                            + describe(records));
                }
                TimeUnit.NANOSECONDS.timedWait(records, leftNs);
            }
        }
    }

    private static String describe(List<LogRecord> rs) {
        List<String> out = new ArrayList<>();
        for (LogRecord r : rs) {
            out.add(r.getLevel() + " " + r.getLoggerName() + ": " + r.getMessage()
                    + (r.getThrown() == null ? "" : " (" + r.getThrown() + ")"));
        }
        return out.toString();
    }

    private static Level julLevel(System.Logger.Level level) {
        return switch (level) {
            case ALL -> Level.ALL;
            case TRACE -> Level.FINER;
            case DEBUG -> Level.FINE;
            case INFO -> Level.INFO;
            case WARNING -> Level.WARNING;
            case ERROR -> Level.SEVERE;
            case OFF -> Level.OFF;
        };
    }
}
