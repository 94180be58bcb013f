package dev.engineionio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * {@link LogCapture}: a claimed record stays off the console, an unclaimed one reaches the console's handlers at the
 * end of the test, and a record that never comes fails the test. The capture is driven by hand here (its
 * before/after callbacks), with a recording handler on the root logger standing in for the console.
 */
class LogCaptureTest {

    private static final System.Logger LIBRARY = System.getLogger("dev.engineionio.server.SomeClass");

    @Test
    void claimedRecordsStayOffTheConsoleAndUnclaimedOnesReachIt() throws Exception {
        Logger root = Logger.getLogger("");
        List<LogRecord> console = new ArrayList<>();
        Handler recorder = new Handler() {
            @Override
            public void publish(LogRecord r) {
                console.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Handler[] realConsole = root.getHandlers();
        for (Handler h : realConsole) {
            root.removeHandler(h); // this test's own records must not print
        }
        root.addHandler(recorder);
        try {
            LogCapture capture = new LogCapture();
            capture.beforeEach(null);
            IllegalStateException cause = new IllegalStateException("on purpose");
            LIBRARY.log(System.Logger.Level.WARNING, "listener threw; closing session abc", cause);
            LIBRARY.log(System.Logger.Level.WARNING, "something nobody expected");
            LogRecord claimed = capture.expect(System.Logger.Level.WARNING, "listener threw");
            assertSame(cause, claimed.getThrown());
            assertTrue(console.isEmpty(), "nothing reaches the console during the test");
            capture.afterEach(null);
            assertEquals(1, console.size());
            assertEquals("something nobody expected", console.get(0).getMessage());
            LIBRARY.log(System.Logger.Level.WARNING, "after the test");
            assertEquals(2, console.size(), "the console is back after the test");
        } finally {
            root.removeHandler(recorder);
            for (Handler h : realConsole) {
                root.addHandler(h);
            }
        }
    }

    @Test
    void aRecordThatIsNotLoggedFailsTheTest() throws Exception {
        LogCapture capture = new LogCapture();
        capture.beforeEach(null);
        try {
            LIBRARY.log(System.Logger.Level.WARNING, "something else");
            assertThrows(AssertionFailedError.class, () -> capture.expectWithin(System.Logger.Level.WARNING,
                    "listener threw", 0));
            capture.expect(System.Logger.Level.WARNING, "something else"); // claimed: stays off the console
        } finally {
            capture.afterEach(null);
        }
    }
}
