package ca.cmp.hub.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Asks the kernel for a loopback port nobody uses right now. */
final class FreePorts {

    private FreePorts() {
    }

    static int find() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new EmbeddedServiceException("no free loopback port: " + e.getMessage());
        }
    }
}
