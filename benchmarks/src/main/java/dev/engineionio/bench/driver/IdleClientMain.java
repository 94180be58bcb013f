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
 * HOLD_SECONDS [--tls]}; with {@code --tls} each connection is a TLS one (trusting any certificate: a measuring tool,
 * loopback only), handshaken and echoed once.
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
        if (args.length > 3 && args[3].equals("--tls")) {
            holdTls(server, count, holdSeconds);
            return;
        }
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

    private static void holdTls(InetSocketAddress server, int count, int holdSeconds) throws Exception {
        javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
        ctx.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
            @Override
            public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String type) {
            }

            @Override
            public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String type) {
            }

            @Override
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        }}, null);
        List<java.net.Socket> sockets = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                java.net.Socket plain = new java.net.Socket();
                plain.bind(new InetSocketAddress(InetAddress.getByName("127.0.0." + (1 + i / 20_000)), 0));
                plain.connect(server, 20_000);
                javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) ctx.getSocketFactory().createSocket(plain,
                        "localhost", server.getPort(), true);
                sockets.add(s);
                s.setSoTimeout(20_000);
                s.getOutputStream().write('x');
                s.getOutputStream().flush();
                if (s.getInputStream().read() != 'x') {
                    throw new IllegalStateException("no echo on connection " + i);
                }
            }
            System.out.println("open: " + sockets.size());
            Thread.sleep(holdSeconds * 1000L);
        } finally {
            for (java.net.Socket s : sockets) {
                s.close();
            }
            System.out.println("closed");
        }
    }
}
