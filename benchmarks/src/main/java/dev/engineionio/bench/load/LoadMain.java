package dev.engineionio.bench.load;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * End-to-end load generator for Engine.IO v4 servers (issue 7): WebSocket echo, polling round trips, handshake churn
 * and idle sessions, against any loopback server URL; with {@code --socketio} the same on Socket.IO (namespace connect,
 * {@code echo} events; {@link SocketIo}) for servers that speak nothing else. Its HTTP/1.1 and WebSocket client code is its own (the library
 * is a server); {@code --threads} selector threads (default 1) each drive a share of the sessions.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar dev.engineionio.bench.load.LoadMain <scenario> --url
 * http://127.0.0.1:3000/engine.io/ [options]}; see {@link LoadOptions#USAGE}. Output: one JSON line (machine-readable,
 * starts with {@code {"tool":"engineio-load"}), then one human line. CPU time of this process and of
 * {@code --server-pid} is read from {@code /proc} at the start and end of the measured window. Exit status 0 when the
 * run measured something, 1 on a usage error, 2 when nothing was measured.
 *
 * <p>Bounds: every run ends by itself: warm-up + duration (+ connect phase for {@code idle}), each connection has a
 * deadline of {@code --timeout} s for each step, a loop stops after {@link ClientLoop#MAX_ERRORS} errors, and a hard
 * limit of window + timeout + 60 s ends it whatever happens.
 */
public final class LoadMain {

    private LoadMain() {
    }

    public static void main(String[] args) throws Exception {
        LoadOptions o;
        try {
            o = LoadOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("LoadMain: " + e.getMessage());
            System.err.println(LoadOptions.USAGE);
            System.exit(1);
            return;
        }
        Result r = run(o);
        System.out.println(r.json(o));
        System.out.println(r.human(o));
        System.exit(r.ops > 0 ? 0 : 2);
    }

    /** Runs one scenario as the options say and returns what it measured (bounded as the class doc says). */
    static Result run(LoadOptions o) throws IOException, InterruptedException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(o.host), o.port);
        return o.scenario.equals("idle") ? runIdle(o, address) : runTimed(o, address);
    }

    /** The measured quantities of one run. */
    static final class Result {
        final RttHistogram histogram = new RttHistogram();
        long ops;
        long errors;
        final List<String> errorMessages = new ArrayList<>();
        long sessionsOpened;
        long reconnects;
        long sessionsLost;
        long pingsAnswered;
        long reads;
        long writes;
        long windowMs;
        long clientCpuMs = -1;
        long serverCpuMs = -1;
        long machineCpuMs = -1;
        long rssBeforeKiB = -1;
        long rssAfterKiB = -1;
        long rssAfterGcKiB = -1;
        long heapBeforeKiB = -1;
        long heapAfterKiB = -1;
        long heldSessions;
        long delivered;
        long firstDeliveryNs;
        long lastDeliveryNs;
        double connectSeconds;

        void add(ClientLoop l) {
            histogram.add(l.histogram);
            ops += l.ops;
            errors += l.errors;
            for (String m : l.errorMessages) {
                if (errorMessages.size() < 5) {
                    errorMessages.add(m);
                }
            }
            sessionsOpened += l.sessionsOpened;
            reconnects += l.reconnects;
            sessionsLost += l.sessionsLost;
            pingsAnswered += l.pingsAnswered;
            if (l.delivered > 0) {
                firstDeliveryNs = delivered == 0 ? l.firstDeliveryNs : Math.min(firstDeliveryNs, l.firstDeliveryNs);
                lastDeliveryNs = delivered == 0 ? l.lastDeliveryNs : Math.max(lastDeliveryNs, l.lastDeliveryNs);
                delivered += l.delivered;
            }
            reads += l.reads;
            writes += l.writes;
        }

        double deliverySeconds() {
            return delivered < 2 ? 0 : (lastDeliveryNs - firstDeliveryNs) / 1e9;
        }

        double deliveryRate() {
            double s = deliverySeconds();
            return s <= 0 ? 0 : delivered / s;
        }

        double rate() {
            return windowMs <= 0 ? 0 : ops * 1000.0 / windowMs;
        }

        static String us(long ns) {
            return String.format(Locale.ROOT, "%.1f", ns / 1000.0);
        }

        static long perSession(long afterKiB, long beforeKiB, long sessions) {
            return afterKiB < 0 || beforeKiB < 0 || sessions <= 0 ? -1 : (afterKiB - beforeKiB) * 1024 / sessions;
        }

        String json(LoadOptions o) {
            StringBuilder b = new StringBuilder(512);
            b.append("{\"tool\":\"engineio-load\",\"scenario\":\"").append(o.scenario)
                    .append("\",\"label\":\"").append(escape(o.label))
                    .append("\",\"url\":\"").append(escape(o.url))
                    .append("\",\"sessions\":").append(o.sessions)
                    .append(",\"inflight\":").append(o.inflight)
                    .append(",\"size\":").append(o.size)
                    .append(",\"socketio\":").append(o.socketIo)
                    .append(",\"threads\":").append(o.threads)
                    .append(",\"warmupS\":").append(o.warmupS)
                    .append(",\"durationS\":").append(o.durationS)
                    .append(",\"windowMs\":").append(windowMs)
                    .append(",\"ops\":").append(ops)
                    .append(",\"opsPerSec\":").append(String.format(Locale.ROOT, "%.1f", rate()))
                    .append(",\"p50Us\":").append(us(histogram.percentile(50)))
                    .append(",\"p99Us\":").append(us(histogram.percentile(99)))
                    .append(",\"maxUs\":").append(us(histogram.max()))
                    .append(",\"meanUs\":").append(String.format(Locale.ROOT, "%.1f", histogram.mean() / 1000))
                    .append(",\"errors\":").append(errors)
                    .append(",\"firstError\":\"").append(escape(errorMessages.isEmpty() ? "" : errorMessages.get(0)))
                    .append("\",\"sessionsOpened\":").append(sessionsOpened)
                    .append(",\"sessionsLost\":").append(sessionsLost)
                    .append(",\"pingsAnswered\":").append(pingsAnswered)
                    .append(",\"serverPid\":").append(o.serverPid)
                    .append(",\"clientCpuMs\":").append(clientCpuMs)
                    .append(",\"serverCpuMs\":").append(serverCpuMs);
            if (!o.scenario.equals("idle") && ops > 0) {
                if (serverCpuMs >= 0) {
                    b.append(",\"serverCpuUsPerOp\":").append(String.format(Locale.ROOT, "%.3f", serverCpuMs * 1000.0 / ops));
                }
                if (clientCpuMs >= 0) {
                    b.append(",\"clientCpuUsPerOp\":").append(String.format(Locale.ROOT, "%.3f", clientCpuMs * 1000.0 / ops));
                }
                if (o.scenario.equals("polling")) {
                    b.append(",\"reconnects\":").append(reconnects)
                            .append(",\"reconnectsPerOp\":").append(String.format(Locale.ROOT, "%.3f", reconnects / (double) ops));
                }
                b.append(",\"clientReadsPerOp\":").append(String.format(Locale.ROOT, "%.3f", reads / (double) ops))
                        .append(",\"clientWritesPerOp\":").append(String.format(Locale.ROOT, "%.3f", writes / (double) ops));
            }
            if (machineCpuMs >= 0) {
                b.append(",\"machineCpuMs\":").append(machineCpuMs);
            }
            if (o.sink) {
                b.append(",\"delivered\":").append(delivered)
                        .append(",\"deliverySeconds\":").append(String.format(Locale.ROOT, "%.3f", deliverySeconds()))
                        .append(",\"deliveriesPerSec\":").append(String.format(Locale.ROOT, "%.0f", deliveryRate()));
            }
            if (o.scenario.equals("idle")) {
                b.append(",\"heldSessions\":").append(heldSessions)
                        .append(",\"connectSeconds\":").append(String.format(Locale.ROOT, "%.2f", connectSeconds));
                if (rssBeforeKiB >= 0 && rssAfterKiB >= 0) {
                    b.append(",\"rssBeforeKiB\":").append(rssBeforeKiB)
                            .append(",\"rssAfterKiB\":").append(rssAfterKiB)
                            .append(",\"rssPerSessionB\":").append(perSession(rssAfterKiB, rssBeforeKiB, heldSessions));
                }
                if (heapBeforeKiB >= 0 && heapAfterKiB >= 0) {
                    b.append(",\"heapBeforeKiB\":").append(heapBeforeKiB)
                            .append(",\"heapAfterKiB\":").append(heapAfterKiB)
                            .append(",\"rssAfterGcKiB\":").append(rssAfterGcKiB)
                            .append(",\"heapPerSessionB\":").append(perSession(heapAfterKiB, heapBeforeKiB, heldSessions));
                }
            }
            return b.append('}').toString();
        }

        String human(LoadOptions o) {
            String cpu = String.format(Locale.ROOT, "CPU in window: client %.2f cores, server %s, whole machine %s",
                    windowMs > 0 ? clientCpuMs / (double) windowMs : 0,
                    serverCpuMs < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f cores", serverCpuMs / (double) windowMs),
                    machineCpuMs < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f cores", machineCpuMs / (double) windowMs));
            String err = errors == 0 ? "no errors" : errors + " errors, first: " + errorMessages.get(0);
            String lat = String.format(Locale.ROOT, "p50 %s us, p99 %s us, max %s us", us(histogram.percentile(50)),
                    us(histogram.percentile(99)), us(histogram.max()));
            String protocol = o.socketIo ? "Socket.IO " : "";
            return protocol + switch (o.scenario) {
                case "ws" -> String.format(Locale.ROOT, "ws %s: %.0f messages/s, round trip %s (%d sessions x %d in "
                        + "flight x %d B, %.1f s); %s; %s", o.label, rate(), lat, o.sessions, o.inflight, o.size,
                        windowMs / 1000.0, cpu, err);
                case "polling" -> String.format(Locale.ROOT, "polling %s: %.0f round trips/s (POST+GET), %s (%d "
                        + "sessions, %d B, %.1f s); %d pings answered; %d reconnects (server closed after a response); "
                        + "%s; %s", o.label, rate(), lat, o.sessions, o.size, windowMs / 1000.0, pingsAnswered,
                        reconnects, cpu, err);
                case "handshake" -> String.format(Locale.ROOT, "handshake %s: %.0f sessions/s (connect, upgrade, open, "
                        + "close), connect-to-open %s (%d loops, %.1f s); %s; %s", o.label, rate(), lat, o.sessions,
                        windowMs / 1000.0, cpu, err);
                default -> String.format(Locale.ROOT, "idle %s: %d sessions held %.0f s (opened in %.1f s), %d pings "
                        + "answered, %d lost; server RSS %d -> %d KiB = %d B/session; heap %s; %s", o.label,
                        heldSessions, o.durationS, connectSeconds, pingsAnswered, sessionsLost, rssBeforeKiB,
                        rssAfterKiB, perSession(rssAfterKiB, rssBeforeKiB, heldSessions),
                        heapAfterKiB < 0 ? "n/a" : heapBeforeKiB + " -> " + heapAfterKiB + " KiB = "
                                + perSession(heapAfterKiB, heapBeforeKiB, heldSessions) + " B/session", err)
                        + (o.sink ? String.format(Locale.ROOT, "; %d deliveries in %.3f s = %.0f deliveries/s "
                                + "(first to last)", delivered, deliverySeconds(), deliveryRate()) : "");
            };
        }

        private static String escape(String s) {
            StringBuilder b = new StringBuilder(s.length());
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"' || c == '\\') {
                    b.append('\\').append(c);
                } else if (c < 0x20) {
                    b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                } else {
                    b.append(c);
                }
            }
            return b.toString();
        }
    }

    /** ws, polling, handshake: warm-up, then a timed window; sessions split over {@code --threads} loops. */
    private static Result runTimed(LoadOptions o, InetSocketAddress address) throws InterruptedException {
        long startNs = System.nanoTime();
        List<ClientLoop> loops = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < o.threads; t++) {
            int share = o.sessions / o.threads + (t < o.sessions % o.threads ? 1 : 0);
            ClientLoop.Driver driver = timedDriver(o.scenario, share, t);
            ClientLoop loop = new ClientLoop(o, address, driver, startNs);
            loops.add(loop);
            Thread thread = new Thread(loop, "load-" + t);
            threads.add(thread);
            thread.start();
        }
        ClientLoop first = loops.get(0);
        Result r = new Result();
        sleepUntil(first.warmEndNs);
        long c0 = ProcInfo.cpuMs(ProcInfo.self());
        long s0 = ProcInfo.cpuMs(o.serverPid);
        long m0 = ProcInfo.machineCpuMs();
        long w0 = System.nanoTime();
        sleepUntil(first.endNs);
        long c1 = ProcInfo.cpuMs(ProcInfo.self());
        long s1 = ProcInfo.cpuMs(o.serverPid);
        long m1 = ProcInfo.machineCpuMs();
        long w1 = System.nanoTime();
        r.windowMs = Math.round((first.endNs - first.warmEndNs) / 1e6);
        // CPU is read by this (sleeping) thread a few microseconds off the window: scale to the window
        double scale = (w1 - w0) > 0 ? (double) (first.endNs - first.warmEndNs) / (w1 - w0) : 1;
        r.clientCpuMs = c0 < 0 || c1 < 0 ? -1 : Math.round((c1 - c0) * scale);
        r.serverCpuMs = s0 < 0 || s1 < 0 ? -1 : Math.round((s1 - s0) * scale);
        r.machineCpuMs = m0 < 0 || m1 < 0 ? -1 : Math.round((m1 - m0) * scale);
        for (Thread thread : threads) {
            thread.join(Math.max(1, (first.hardEndNs - System.nanoTime()) / 1_000_000 + 5_000));
        }
        for (ClientLoop l : loops) {
            r.add(l);
        }
        return r;
    }

    private static ClientLoop.Driver timedDriver(String scenario, int share, int loopIndex) {
        return new ClientLoop.Driver() {
            private boolean started;

            @Override
            public boolean tick(ClientLoop loop, long nowNs) {
                if (!started) {
                    started = true;
                    for (int i = 0; i < share; i++) {
                        int seed = (loopIndex << 20) + i + 1;
                        Conn c = switch (scenario) {
                            case "ws" -> new WsEchoConn(loop, seed);
                            case "polling" -> new PollingConn(loop);
                            default -> new WsChurnConn(loop, seed);
                        };
                        loop.conns.add(c);
                        c.connect(nowNs);
                    }
                    return true;
                }
                if (nowNs - loop.endNs >= 0) {
                    return false;
                }
                if (scenario.equals("handshake")) {
                    for (int i = 0; i < loop.conns.size(); i++) {
                        Conn c = loop.conns.get(i);
                        if (c.channel == null) {
                            c.connect(nowNs);
                        }
                    }
                }
                return true;
            }
        };
    }

    /**
     * idle: open {@code --sessions} WebSocket sessions, at most {@code --connect-concurrency} handshakes at a time;
     * when all are open (or failed), hold them {@code --duration} s answering pings, then read the server's RSS (and
     * heap with {@code --jvm-heap}) while they are still open. With {@code --jvm-heap} the baseline is read after
     * {@code jcmd GC.run} and {@code jcmd System.trim_native_heap} (a JVM may trim its C heap later, and the baseline
     * must not include what it would give back anyway).
     */
    private static Result runIdle(LoadOptions o, InetSocketAddress address) throws InterruptedException {
        Result r = new Result();
        if (o.jvmHeap) {
            r.heapBeforeKiB = ProcInfo.heapUsedKiB(o.serverPid);
            // Give back the C heap the JVM freed while starting before the baseline is read, so that a JVM that
            // trims later (-XX:TrimNativeHeapInterval) is not credited with memory it held before the first session.
            ProcInfo.trimNativeHeap(o.serverPid);
        }
        r.rssBeforeKiB = ProcInfo.rssKiB(o.serverPid);
        long startNs = System.nanoTime();
        long connectBudgetNs = (long) (o.timeoutS * 1e9) + o.sessions * 2_000_000L;
        ClientLoop.Driver driver = new ClientLoop.Driver() {
            private int created;
            private long holdStartNs;
            private long holdEndNs;
            private long c0;
            private long s0;
            private long m0;

            @Override
            public boolean tick(ClientLoop loop, long nowNs) {
                if (holdStartNs == 0) {
                    int connecting = 0;
                    int finished = 0;
                    for (int i = 0; i < loop.conns.size(); i++) {
                        WsConn c = (WsConn) loop.conns.get(i);
                        if (c.channel != null && c.state != WsConn.State.OPEN) {
                            connecting++;
                        } else {
                            finished++;
                        }
                    }
                    while (created < o.sessions && connecting < o.connectConcurrency) {
                        WsIdleConn c = new WsIdleConn(loop, created + 1);
                        loop.conns.add(c);
                        created++;
                        c.connect(nowNs);
                        connecting++;
                    }
                    if (finished == o.sessions || nowNs - startNs - connectBudgetNs >= 0) {
                        holdStartNs = nowNs;
                        holdEndNs = nowNs + (long) (o.durationS * 1e9);
                        r.connectSeconds = (nowNs - startNs) / 1e9;
                        c0 = ProcInfo.cpuMs(ProcInfo.self());
                        s0 = ProcInfo.cpuMs(o.serverPid);
                        m0 = ProcInfo.machineCpuMs();
                    }
                    return true;
                }
                if (nowNs - holdEndNs < 0) {
                    return true;
                }
                int held = 0;
                for (Conn c : loop.conns) {
                    if (c.channel != null) {
                        held++;
                    }
                }
                r.heldSessions = held;
                r.windowMs = Math.round((nowNs - holdStartNs) / 1e6);
                long c1 = ProcInfo.cpuMs(ProcInfo.self());
                long s1 = ProcInfo.cpuMs(o.serverPid);
                long m1 = ProcInfo.machineCpuMs();
                r.machineCpuMs = m0 < 0 || m1 < 0 ? -1 : m1 - m0;
                r.clientCpuMs = c0 < 0 || c1 < 0 ? -1 : c1 - c0;
                r.serverCpuMs = s0 < 0 || s1 < 0 ? -1 : s1 - s0;
                r.rssAfterKiB = ProcInfo.rssKiB(o.serverPid);
                if (o.jvmHeap) {
                    r.heapAfterKiB = ProcInfo.heapUsedKiB(o.serverPid);
                    r.rssAfterGcKiB = ProcInfo.rssKiB(o.serverPid);
                }
                return false;
            }
        };
        ClientLoop loop = new ClientLoop(o, address, driver, startNs);
        loop.hardEndNs = startNs + connectBudgetNs + (long) (o.durationS * 1e9) + 120_000_000_000L;
        Thread thread = new Thread(loop, "load-idle");
        thread.start();
        thread.join(Math.max(1, (loop.hardEndNs - System.nanoTime()) / 1_000_000 + 5_000));
        r.add(loop);
        // ops counts the sessions opened: for idle the "rate" is not meaningful, keep ops as opened sessions
        return r;
    }

    private static void sleepUntil(long deadlineNs) throws InterruptedException {
        long left;
        while ((left = deadlineNs - System.nanoTime()) > 0) {
            Thread.sleep(Math.min(1000, Math.max(1, left / 1_000_000)));
        }
    }
}
