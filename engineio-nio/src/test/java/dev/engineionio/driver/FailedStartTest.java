package dev.engineionio.driver;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A start that fails to bind leaves nothing bound and a driver that closes at once. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FailedStartTest {

    @Test
    void bindFailureThenClose() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            DriverConfig config = DriverConfig.builder()
                    .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                    .listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), taken.getLocalPort()))
                    .loops(2).build();
            NioDriver driver = new NioDriver(config, c -> (conn, src, now) -> src.position(src.limit()));
            java.net.BindException e = assertThrows(java.net.BindException.class, driver::start);
            assertTrue(e.getMessage().startsWith("cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": "),
                    e.getMessage());
            assertTrue(driver.boundAddresses().isEmpty());
            driver.close();
            assertTrue(driver.isTerminated());
        }
    }
}
