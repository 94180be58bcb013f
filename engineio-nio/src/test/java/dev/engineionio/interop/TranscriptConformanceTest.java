package dev.engineionio.interop;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Raw-HTTP conformance: every case of {@code src/test/resources/transcripts/*.txt} (format in the README there),
 * written from the wire transcripts of engine.io 6.6.12, played over plain sockets against every server of
 * {@link ServersUnderTest#servers()}. A case that names flags runs on a server started with those flags; a case with
 * {@code only:} runs only against the servers it names (a documented, deliberate difference from the reference).
 */
class TranscriptConformanceTest {

    private static final ServersUnderTest SERVERS = new ServersUnderTest();

    @AfterAll
    static void stopServers() {
        SERVERS.close();
    }

    static Stream<Arguments> cases() throws Exception {
        var cases = TranscriptCase.loadAll(Path.of("src/test/resources/transcripts"));
        if (cases.isEmpty()) {
            throw new IllegalStateException("no transcript cases found");
        }
        return ServersUnderTest.servers().flatMap(s -> cases.stream()
                .filter(c -> c.appliesTo(s.name()))
                .map(c -> Arguments.of(s, c)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void caseMatchesTranscript(ServerUnderTest.Factory server, TranscriptCase c) throws Exception {
        try (TranscriptRunner runner = new TranscriptRunner(SERVERS.get(server, c.flags()).baseUri())) {
            runner.run(c);
        }
    }
}
