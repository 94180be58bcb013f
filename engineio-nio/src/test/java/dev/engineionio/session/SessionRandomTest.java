package dev.engineionio.session;

import dev.engineionio.protocol.PacketType;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Seeded random sequences of everything a client, the application and the clock can do to one session, checking
 * invariants after every step: application messages reach the wire at most once and in order across the polling
 * and WebSocket transports, nothing goes out after the close, the close event fires at most once, the registry and
 * the timer table agree with the state, the last deadline reported to the listener is the session's next deadline
 * (a driver re-arming from the reports alone is never stale), and no input throws.
 */
class SessionRandomTest {
    private static final EngineConfig CONFIG = EngineConfig.builder().pingInterval(Duration.ofMillis(300))
            .pingTimeout(Duration.ofMillis(200))
            .upgradeTimeout(Duration.ofSeconds(1)).allowEIO3(true).build();
    private static final String[] POST_PACKETS = {"4x", "4y", "3", "3", "2", "6", "5", "0", "1", null};

    @Test
    void randomSessionsKeepTheirInvariants() {
        for (long seed = 1; seed <= 300; seed++) {
            try {
                run(seed);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
            }
        }
        // the walk must reach the interesting states, or it proves little
        assertEquals(EnumSet.allOf(CloseReason.class), reasonsSeen);
        assertTrue(upgrades >= 20, "upgrades: " + upgrades);
    }

    /** The wire body of a {@code GETn 200 <body>} or {@code WSn frame <body>} entry, else {@code null}. */
    private static String outputBody(String entry) {
        for (String marker : new String[] {" 200 ", " frame "}) {
            int i = entry.indexOf(marker);
            if (i > 0 && entry.indexOf(' ') == i) {
                return entry.substring(i + marker.length());
            }
        }
        return null;
    }

    private final EnumSet<CloseReason> reasonsSeen = EnumSet.noneOf(CloseReason.class);
    private int upgrades;

    private void run(long seed) {
        Random rnd = new Random(seed);
        int protocol = rnd.nextBoolean() ? 4 : 3;
        Recorder rec = new Recorder(EnumSet.of(Recorder.Ev.CLOSE));
        Harness h = new Harness(CONFIG, rec);
        boolean startOnWs = rnd.nextInt(4) == 0;
        if (startOnWs) {
            h.webSocketSession(protocol);
        } else {
            h.pollingSession(protocol);
        }
        List<WebSocketTransport> sockets = new ArrayList<>();
        if (startOnWs) {
            sockets.add(h.currentWs());
        }
        int sent = 0;
        int lastSeen = 0;
        int closes = 0;
        boolean upgradedThisRun = false;
        boolean closedSeen = false;
        List<Integer> accepted = new ArrayList<>();
        for (int step = 0; step < 300; step++) {
            EngineSession s = h.session;
            boolean live = s.state() != EngineSession.State.CLOSED;
            switch (rnd.nextInt(12)) {
                case 0, 1 -> {
                    if (live) {
                        int n = ++sent;
                        if (s.send("m" + n, true, h.nowNs())) {
                            accepted.add(n);
                        }
                    }
                }
                case 2, 3 -> {
                    if (live && s.transport() == h.polling && (!h.polling.hasPendingGet() || rnd.nextInt(10) == 0)) {
                        h.get();
                    }
                }
                case 4 -> {
                    if (live && s.transport() == h.polling) {
                        String[] body = new String[1 + rnd.nextInt(3)];
                        for (int i = 0; i < body.length; i++) {
                            body[i] = POST_PACKETS[rnd.nextInt(POST_PACKETS.length)];
                        }
                        if (rnd.nextInt(15) == 0) {
                            h.startPost();
                        } else {
                            h.post(body);
                        }
                    }
                }
                case 5 -> h.advance(rnd.nextInt(250));
                case 6 -> {
                    if (live && rnd.nextInt(3) == 0) {
                        sockets.add(h.probe());
                    }
                }
                case 7, 8 -> {
                    if (!sockets.isEmpty()) {
                        WebSocketTransport ws = sockets.get(rnd.nextInt(sockets.size()));
                        String[] choices = {"2probe", "5", "3", "2", "4z", "1", "2probe", "5"};
                        String p = choices[rnd.nextInt(choices.length)];
                        ws.onPacket(PacketType.fromAscii(p.charAt(0)), p.substring(1), null, h.nowNs());
                    }
                }
                case 9 -> {
                    for (WebSocketTransport ws : sockets) {
                        ws.onWritable(h.nowNs());
                    }
                }
                case 10 -> {
                    if (!sockets.isEmpty() && rnd.nextInt(4) == 0) {
                        WebSocketTransport ws = sockets.get(rnd.nextInt(sockets.size()));
                        if (rnd.nextBoolean()) {
                            ws.onClosed(h.nowNs());
                        } else {
                            ws.onError("write error", h.nowNs());
                        }
                    }
                }
                default -> {
                    if (rnd.nextInt(8) == 0) {
                        s.close(rnd.nextBoolean(), h.nowNs());
                    }
                }
            }
            if (h.session.isUpgraded() && !upgradedThisRun) {
                upgradedThisRun = true;
                upgrades++;
            }
            // invariants
            for (String entry : rec.take()) {
                if (entry.startsWith("close ")) {
                    for (CloseReason r : CloseReason.values()) {
                        if (entry.startsWith("close " + r.text())) {
                            reasonsSeen.add(r);
                        }
                    }
                    closes++;
                    closedSeen = true;
                    continue;
                }
                String body = outputBody(entry);
                if (closedSeen && body != null) {
                    fail("output after close: " + entry);
                }
                if (body != null) {
                    for (String packet : body.split("\u001e")) {
                        if (packet.startsWith("4m")) {
                            int n = Integer.parseInt(packet.substring(2));
                            assertTrue(n > lastSeen, "message m" + n + " after m" + lastSeen);
                            assertTrue(accepted.contains(n), "m" + n + " was refused but sent");
                            lastSeen = n;
                        }
                    }
                }
            }
            assertTrue(closes <= 1, "close fired " + closes + " times");
            assertEquals(h.session.nextDeadlineNs(), rec.reportedDeadline, "the reported deadline is stale");
            boolean closed = h.session.state() == EngineSession.State.CLOSED;
            assertEquals(closed, closedSeen, "state vs close event");
            assertEquals(!closed, h.registry.contains(Harness.SID), "registry");
            if (closed) {
                assertEquals(EngineSession.NO_DEADLINE, h.nextDeadlineMs(), "timers after close");
                assertFalse(h.session.isUpgrading());
            } else {
                assertTrue(h.nextDeadlineMs() != EngineSession.NO_DEADLINE, "an open session has a deadline");
            }
        }
        // an open session still delivers everything it accepted once its transport can write
        EngineSession s = h.session;
        if (s.state() == EngineSession.State.OPEN) {
            if (s.transport() == h.polling) {
                if (!h.polling.hasPendingGet()) {
                    h.get();
                }
            } else {
                h.currentWs().onWritable(h.nowNs());
            }
            for (String entry : rec.take()) {
                String body = outputBody(entry);
                if (body != null) {
                    for (String packet : body.split("\u001e")) {
                        if (packet.startsWith("4m")) {
                            lastSeen = Integer.parseInt(packet.substring(2));
                        }
                    }
                }
            }
            if (s.state() == EngineSession.State.OPEN && !accepted.isEmpty()) {
                assertEquals(accepted.get(accepted.size() - 1), lastSeen, "every accepted message delivered");
            }
        }
    }
}
