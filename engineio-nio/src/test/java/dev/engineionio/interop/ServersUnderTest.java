package dev.engineionio.interop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The list of server implementations every interop and conformance test runs against, and a pool that starts each
 * (implementation, flags) pair once per test class.
 *
 * <p>To add engineio-nio's own echo server: write {@code EngineIoNioServerUnderTest} (a {@link ServerUnderTest}
 * with a {@code FACTORY}) and add it to {@link #servers()}. Nothing else changes: every scenario and every transcript
 * case then runs against both servers.
 *
 * <p>Thread: the pool is used by one test thread at a time (JUnit runs this module's tests sequentially).
 */
final class ServersUnderTest implements AutoCloseable {

    private final Map<String, ServerUnderTest> running = new LinkedHashMap<>();

    /**
     * Every implementation under test; a JUnit method source. {@code -Dinterop.externalUrl=<url>} adds a server that
     * is already running (see {@link ExternalServer}); {@code -Dinterop.servers=name,name} keeps only the named ones
     * (e.g. {@code external}).
     */
    static Stream<ServerUnderTest.Factory> servers() {
        List<ServerUnderTest.Factory> all = new ArrayList<>(List.of(ReferenceNodeServer.FACTORY, EngineIoNioServerUnderTest.FACTORY));
        String external = System.getProperty("interop.externalUrl", "");
        if (!external.isBlank()) {
            all.add(ExternalServer.factory(java.net.URI.create(external)));
        }
        String only = System.getProperty("interop.servers", "");
        if (only.isBlank()) {
            return all.stream();
        }
        List<String> names = List.of(only.split(","));
        return all.stream().filter(f -> names.contains(f.name()));
    }

    /** The running server of {@code factory} with {@code flags}, started on first use. */
    ServerUnderTest get(ServerUnderTest.Factory factory, List<String> flags) {
        String key = factory.name() + " " + String.join(" ", flags);
        ServerUnderTest server = running.get(key);
        if (server == null) {
            try {
                server = factory.start(List.copyOf(flags));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + key, e);
            }
            running.put(key, server);
        }
        return server;
    }

    @Override
    public void close() {
        List<ServerUnderTest> all = new ArrayList<>(running.values());
        running.clear();
        for (ServerUnderTest server : all) {
            server.close();
        }
    }
}
