package dev.engineionio.examples;

import dev.engineionio.EngineServer;
import dev.engineionio.PerMessageDeflate;
import dev.engineionio.WebSocketHandler;
import dev.engineionio.WebSocketSession;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A raw WebSocket echo server for the Autobahn|Testsuite fuzzing client: {@code ws://127.0.0.1:9001/} echoes every
 * text and binary message verbatim; messages up to 16 MiB (Autobahn 9.x). First argument: the port (default 9001).
 * It offers permessage-deflate (RFC 7692) with threshold 0, so sections 12 and 13 run against it: a client that
 * offers the extension gets it, and every echo is then compressed.
 *
 * <pre>
 * java -cp examples/target/examples.jar dev.engineionio.examples.AutobahnEchoServer
 * wstest -m fuzzingclient -s fuzzingclient.json   # agent URL ws://127.0.0.1:9001
 * </pre>
 */
public final class AutobahnEchoServer {

    private AutobahnEchoServer() {
    }

    static final String USAGE = "java -cp examples/target/examples.jar dev.engineionio.examples.AutobahnEchoServer"
            + " [port]";

    public static void main(String[] args) throws Exception {
        int port = 9001;
        try {
            if (args.length > 1) {
                throw new Cli.UsageError("one argument at most");
            }
            if (args.length == 1) {
                port = Cli.port(args[0]);
            }
        } catch (Cli.UsageError e) {
            Cli.exitUsage(e, USAGE);
            return;
        }
        EngineServer server = EngineServer.builder()
                .listen("127.0.0.1", port)
                .eventLoops(1)
                .webSocketMaxMessageSize(64 << 20)
                .webSocketPerMessageDeflate(PerMessageDeflate.builder().threshold(0).build())
                .webSocket("/", new WebSocketHandler() {
                    @Override
                    public void onText(WebSocketSession session, String text) {
                        session.sendText(text);
                    }

                    @Override
                    public void onBinary(WebSocketSession session, ByteBuffer data) {
                        session.sendBinary(data);
                    }
                })
                .build();
        try {
            server.start();
        } catch (IOException e) {
            server.close();
            Cli.exitCannotListen(e, null);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        System.out.println("LISTENING " + server.port() + " pid " + ProcessHandle.current().pid());
        Thread.currentThread().join();
    }
}
