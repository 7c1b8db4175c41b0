package ca.cmp.hub.connectors.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import ca.cmp.hub.connectors.ConnectorException;

/**
 * Refuses connector URLs that would make the hub reach into its own network (server-side request forgery): every
 * address a host name resolves to must be public. Refused unless allow-listed by an administrator: loopback
 * (127/8, ::1), unspecified (0.0.0.0, ::), private (10/8, 172.16/12, 192.168/16, fc00::/7), link-local
 * (169.254/16 — which holds the cloud metadata service 169.254.169.254 — and fe80::/10), carrier-grade NAT
 * (100.64/10), multicast and broadcast, and IPv4-mapped/compatible IPv6 forms of all of these.
 *
 * <p>Checked at registration and again before every request and every redirect hop, since DNS answers change.
 * The HTTP client resolves the name once more when it connects, so a name whose DNS flips between the two
 * lookups (rebinding) is a residual risk; deployments that need more route connectors through an egress proxy.
 */
public final class AddressGuard {

    private final List<Network> allowed;

    /** @param allowList CIDR blocks (10.1.0.0/16, ::1/128) or literal addresses an administrator allows */
    public AddressGuard(List<String> allowList) {
        List<Network> networks = new ArrayList<>();
        for (String entry : allowList) {
            networks.add(Network.parse(entry.trim()));
        }
        this.allowed = List.copyOf(networks);
    }

    /** Checks scheme and host of a URL; returns the resolved addresses, all of them permitted. */
    public List<InetAddress> check(URI uri) throws ConnectorException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ConnectorException("only http and https URLs can be pulled, got \"" + uri + "\"", false);
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            throw new ConnectorException("the URL \"" + uri + "\" names no host", false);
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException e) {
            throw new ConnectorException("the host \"" + host + "\" does not resolve", true, e);
        }
        for (InetAddress address : addresses) {
            String why = forbidden(address);
            if (why != null && allowed.stream().noneMatch(n -> n.contains(address))) {
                throw new ConnectorException("refused: \"" + host + "\" resolves to " + address.getHostAddress()
                        + ", a " + why + " address; connectors may reach only public addresses unless an "
                        + "administrator allow-lists the network (hub.connectors.allowed-networks)", false);
            }
        }
        return List.of(addresses);
    }

    /** Why an address is not public, or null when it is. */
    static String forbidden(InetAddress address) {
        InetAddress a = embeddedIpv4(address);
        if (a.isLoopbackAddress()) {
            return "loopback";
        }
        if (a.isAnyLocalAddress()) {
            return "unspecified";
        }
        if (a.isLinkLocalAddress()) {
            return "link-local (cloud metadata)";
        }
        if (a.isSiteLocalAddress()) {
            return "private";
        }
        if (a.isMulticastAddress()) {
            return "multicast";
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            if (first == 0 || first == 255 && second == 255) {
                return "reserved";
            }
            if (first == 100 && second >= 64 && second <= 127) {
                return "carrier-grade NAT";
            }
            if (first == 172 && second >= 16 && second <= 31 || first == 192 && second == 168 || first == 10) {
                return "private";
            }
        } else if ((b[0] & 0xfe) == 0xfc) {
            return "unique-local (private)";
        }
        return null;
    }

    /** The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d) or -compatible (::a.b.c.d) IPv6 address. */
    private static InetAddress embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address;
        }
        byte[] b = address.getAddress();
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return address;
            }
        }
        boolean mapped = (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = b[10] == 0 && b[11] == 0 && !(b[12] == 0 && b[13] == 0 && b[14] == 0);
        if (!mapped && !compatible) {
            return address;
        }
        try {
            return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A CIDR block. */
    private record Network(byte[] prefix, int bits) {

        static Network parse(String cidr) {
            int slash = cidr.indexOf('/');
            String host = slash < 0 ? cidr : cidr.substring(0, slash);
            try {
                // Literal addresses only: an allow-list entry must not itself trigger a DNS lookup.
                if (!host.matches("[0-9a-fA-F:.]+")) {
                    throw new IllegalArgumentException("not an IP address or CIDR block: " + cidr);
                }
                byte[] prefix = InetAddress.getByName(host).getAddress();
                int bits = slash < 0 ? prefix.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
                if (bits < 0 || bits > prefix.length * 8) {
                    throw new IllegalArgumentException("bad prefix length in " + cidr);
                }
                return new Network(prefix, bits);
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("not an IP address or CIDR block: " + cidr, e);
            }
        }

        boolean contains(InetAddress address) {
            byte[] b = address.getAddress();
            if (b.length != prefix.length) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >>> (i % 8);
                if ((b[i / 8] & mask) != (prefix[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
