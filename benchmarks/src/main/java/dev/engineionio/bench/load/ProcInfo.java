package dev.engineionio.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Readings of a Linux process: CPU time ({@code /proc/PID/stat} utime + stime, proc(5)), resident memory
 * ({@code VmRSS} of {@code /proc/PID/status}) and, for a JVM, the heap in use after a full collection ({@code jcmd PID
 * GC.run}, then {@code jcmd PID GC.heap_info}). Every reading returns -1 when it cannot be taken.
 *
 * <p>Thread: any; stateless. Limits: each jcmd call is bounded to 60 s.
 */
final class ProcInfo {

    /** USER_HZ: 100 on every Linux architecture the JDK runs on (proc(5) "clock ticks"). */
    static final long TICKS_PER_SECOND = 100;

    private ProcInfo() {
    }

    static long self() {
        return ProcessHandle.current().pid();
    }

    /** utime + stime of {@code pid} in milliseconds, or -1. */
    static long cpuMs(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.ISO_8859_1);
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after "pid (comm) ": f[0] is field 3 (state); utime is field 14, stime field 15
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks * 1000 / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * CPU time the whole machine spent busy (all cores: the {@code cpu} line of {@code /proc/stat}, every field but
     * idle and iowait; guest time is already inside user) in milliseconds, or -1.
     */
    static long machineCpuMs() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"), StandardCharsets.ISO_8859_1)) {
                if (line.startsWith("cpu ")) {
                    String[] f = line.substring(4).trim().split("\\s+");
                    long busy = 0;
                    for (int i = 0; i < Math.min(f.length, 8); i++) {
                        if (i != 3 && i != 4) {
                            busy += Long.parseLong(f[i]);
                        }
                    }
                    return busy * 1000 / TICKS_PER_SECOND;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** VmRSS of {@code pid} in KiB, or -1. */
    static long rssKiB(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"), StandardCharsets.ISO_8859_1)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /**
     * Heap in use of the JVM {@code pid} in KiB after {@code jcmd GC.run}: the sum of the {@code used NK} figures of the
     * heap lines of {@code GC.heap_info} (lines with {@code total}, not Metaspace or class space), or -1.
     */
    static long heapUsedKiB(long pid) {
        if (pid <= 0 || jcmd(pid, "GC.run") == null) {
            return -1;
        }
        String info = jcmd(pid, "GC.heap_info");
        if (info == null) {
            return -1;
        }
        long used = 0;
        boolean found = false;
        for (String line : info.split("\n")) {
            if (!line.contains("total") || line.contains("Metaspace") || line.contains("class space")) {
                continue;
            }
            int u = line.indexOf("used ");
            if (u < 0) {
                continue;
            }
            int e = line.indexOf('K', u);
            if (e < 0) {
                continue;
            }
            try {
                used += Long.parseLong(line.substring(u + 5, e).trim());
                found = true;
            } catch (NumberFormatException ignored) {
                // not a heap line after all
            }
        }
        return found ? used : -1;
    }

    /**
     * {@code jcmd PID System.trim_native_heap}: the JVM returns the C heap it freed to the system (OpenJDK 17.0.9 and
     * later; a no-op elsewhere). Returns whether jcmd succeeded.
     */
    static boolean trimNativeHeap(long pid) {
        return pid > 0 && jcmd(pid, "System.trim_native_heap") != null;
    }

    private static String jcmd(long pid, String command) {
        try {
            Process p = new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return null;
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
