package dev.engineionio.bench.driver;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens {@code COUNT} loopback connections to 127.0.0.1:PORT (from source addresses 127.0.0.1.. in turn, 20,000 per
 * address, so the ephemeral port range never runs out), does one one-byte echo on each so every connection has been
 * registered, read and drained, holds them idle for {@code HOLD_SECONDS}, then closes them all. Bounded in count and
 * time; loopback only.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar dev.engineionio.bench.driver.IdleClientMain PORT COUNT
 * HOLD_SECONDS}
 */
public final class IdleClientMain {

    private IdleClientMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int count = Integer.parseInt(args[1]);
        int holdSeconds = Integer.parseInt(args[2]);
        InetSocketAddress server = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port);
        List<SocketChannel> channels = new ArrayList<>(count);
        ByteBuffer one = ByteBuffer.allocate(1);
        try {
            for (int i = 0; i < count; i++) {
                SocketChannel ch = SocketChannel.open();
                channels.add(ch);
                ch.bind(new InetSocketAddress(InetAddress.getByName("127.0.0." + (1 + i / 20_000)), 0));
                ch.connect(server);
                one.clear().put((byte) 'x').flip();
                ch.write(one);
                one.clear();
                if (ch.read(one) != 1) {
                    throw new IllegalStateException("no echo on connection " + i);
                }
            }
            System.out.println("open: " + channels.size());
            Thread.sleep(holdSeconds * 1000L);
        } finally {
            for (SocketChannel ch : channels) {
                ch.close();
            }
            System.out.println("closed");
        }
    }
}
