package dev.engineionio.bench.load;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One client TCP connection on a {@link ClientLoop}: non-blocking connect, read into its own direct buffer, write from
 * its own direct buffer (with {@code OP_WRITE} only while output is pending). Subclasses speak the protocol.
 *
 * <p>Thread: the loop thread only. Buffers: {@link #in} is kept in write mode between calls and is flipped around
 * {@link #onInput}; {@link #out} is in write mode, subclasses append and {@link #flush()} drains. Limits: a message
 * that does not fit in {@link #in} fails the connection; output beyond {@link #out}'s capacity fails it too.
 */
abstract class Conn {

    final ClientLoop loop;
    final ByteBuffer in;
    final ByteBuffer out;
    SocketChannel channel;
    SelectionKey key;
    long deadlineNs;
    long connectStartNs;
    boolean done;

    Conn(ClientLoop loop, int inCapacity, int outCapacity) {
        this.loop = loop;
        this.in = ByteBuffer.allocateDirect(inCapacity);
        this.out = ByteBuffer.allocateDirect(outCapacity);
    }

    /** Opens a fresh TCP connection (buffers cleared); a failure is counted and ends this connection. */
    final void connect(long nowNs) {
        in.clear();
        out.clear();
        done = false;
        connectStartNs = nowNs;
        deadlineNs = nowNs + (long) (loop.options.timeoutS * 1e9);
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            boolean connected = channel.connect(loop.address);
            key = channel.register(loop.selector, connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, this);
            if (connected) {
                onConnected(nowNs);
                flush();
            }
        } catch (IOException e) {
            fail("connect: " + e.getMessage());
        }
    }

    final void onSelected(SelectionKey k, long nowNs) {
        try {
            if (k.isConnectable()) {
                channel.finishConnect();
                k.interestOps(SelectionKey.OP_READ);
                onConnected(nowNs);
                flush();
            }
            if (k.isValid() && k.isReadable()) {
                int n = channel.read(in);
                if (loop.measuring(nowNs)) {
                    loop.reads++;
                }
                if (n < 0) {
                    onEof(nowNs);
                    return;
                }
                in.flip();
                onInput(in, nowNs);
                if (channel == null) {
                    return;
                }
                in.compact();
                if (!in.hasRemaining()) {
                    fail("a message larger than the client's read buffer (" + in.capacity() + " B)");
                    return;
                }
                flush();
            }
            if (k.isValid() && k.isWritable()) {
                flush();
            }
        } catch (IOException e) {
            onIoError(e.getMessage() == null ? e.toString() : e.getMessage(), nowNs);
        }
    }

    /** A read or write failed (reset by the peer, broken pipe): by default the connection fails. */
    void onIoError(String why, long nowNs) {
        fail(why);
    }

    /** Writes what {@link #out} holds; registers for {@code OP_WRITE} while some is left. */
    final void flush() throws IOException {
        if (channel == null || out.position() == 0) {
            return;
        }
        out.flip();
        channel.write(out);
        if (loop.measuring(loop.nowNs)) {
            loop.writes++;
        }
        boolean left = out.hasRemaining();
        out.compact();
        if (key.isValid()) {
            int ops = key.interestOps();
            int want = left ? ops | SelectionKey.OP_WRITE : ops & ~SelectionKey.OP_WRITE;
            if (want != ops) {
                key.interestOps(want);
            }
        }
    }

    /** Appends bytes to the output; fails the connection if they do not fit. */
    final boolean append(byte[] bytes) {
        if (out.remaining() < bytes.length) {
            fail("output buffer full (" + out.capacity() + " B)");
            return false;
        }
        out.put(bytes);
        return true;
    }

    /** Counts an error, closes the channel and lets the subclass decide what follows. */
    final void fail(String why) {
        if (channel == null) {
            return;
        }
        loop.error(getClass().getSimpleName() + ": " + why);
        closeChannel();
        onFailed(loop.nowNs);
    }

    final void closeChannel() {
        deadlineNs = 0;
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already closed by the peer; nothing to release
            }
            channel = null;
            key = null;
        }
    }

    abstract void onConnected(long nowNs) throws IOException;

    /** Consumes whole messages from {@code in} (read mode), leaving a partial one at its position. */
    abstract void onInput(ByteBuffer in, long nowNs) throws IOException;

    void onEof(long nowNs) {
        fail("server closed the connection (" + stateName() + ")");
    }

    /** After a failure: by default the connection is finished. */
    void onFailed(long nowNs) {
        done = true;
    }

    abstract String stateName();
}
