package ca.cmp.hub.connectors.net;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import ca.cmp.hub.connectors.ConnectorException;

/**
 * Refuses connector URLs that would make the hub reach into its own network (server-side request forgery): every
 * address a host name resolves to must be global unicast. Everything else is refused unless an administrator
 * allow-listed it: loopback (127/8, ::1), unspecified, private (10/8, 172.16/12, 192.168/16, fc00::/7),
 * link-local (169.254/16 — which holds the cloud metadata service 169.254.169.254 — and fe80::/10), carrier-grade
 * NAT (100.64/10), benchmarking (198.18/15, 2001:2::/48), documentation, multicast, broadcast and reserved
 * blocks, and any IPv6 address outside 2000::/3. IPv6 forms that carry an IPv4 address (IPv4-mapped,
 * -compatible and -translated, NAT64 64:ff9b::/96, 6to4 2002::/16, Teredo 2001::/32) are judged by the IPv4
 * address they carry, which is where a translator or relay would deliver the request.
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
        byte[] b = address.getAddress();
        return b.length == 4 ? forbiddenIpv4(b) : forbiddenIpv6(b);
    }

    /**
     * IPv4 blocks that are not global unicast (IANA's special-purpose registry, RFC 6890 and successors). The
     * first match names the reason, so narrower blocks come before the blocks that contain them.
     */
    private static final List<Special> IPV4 = List.of(
            Special.v4("0.0.0.0/32", "unspecified"),
            Special.v4("0.0.0.0/8", "reserved (this network)"),
            Special.v4("10.0.0.0/8", "private"),
            Special.v4("100.64.0.0/10", "carrier-grade NAT"),
            Special.v4("127.0.0.0/8", "loopback"),
            Special.v4("169.254.0.0/16", "link-local (cloud metadata)"),
            Special.v4("172.16.0.0/12", "private"),
            Special.v4("192.0.0.0/24", "reserved (IETF protocol assignments)"),
            Special.v4("192.0.2.0/24", "documentation"),
            Special.v4("192.88.99.0/24", "reserved (6to4 relay anycast)"),
            Special.v4("192.168.0.0/16", "private"),
            Special.v4("198.18.0.0/15", "benchmarking"),
            Special.v4("198.51.100.0/24", "documentation"),
            Special.v4("203.0.113.0/24", "documentation"),
            Special.v4("224.0.0.0/4", "multicast"),
            Special.v4("255.255.255.255/32", "broadcast"),
            Special.v4("240.0.0.0/4", "reserved"));

    /** IPv6 blocks inside global unicast (2000::/3) that are nevertheless not global. */
    private static final List<Special> IPV6_INSIDE_GLOBAL = List.of(
            Special.v6("2001:db8::/32", "documentation"),
            Special.v6("3fff::/20", "documentation"),
            Special.v6("2001:2::/48", "benchmarking"),
            Special.v6("2001::/23", "reserved (IETF protocol assignments)"));

    /** IPv6 blocks outside global unicast, named for the message; anything else outside is "reserved". */
    private static final List<Special> IPV6_OUTSIDE_GLOBAL = List.of(
            Special.v6("fe80::/10", "link-local (cloud metadata)"),
            Special.v6("fec0::/10", "site-local (private)"),
            Special.v6("fc00::/7", "unique-local (private)"),
            Special.v6("ff00::/8", "multicast"),
            Special.v6("64:ff9b:1::/48", "local-use NAT64 (private)"));

    private static String forbiddenIpv4(byte[] b) {
        for (Special s : IPV4) {
            if (s.network().contains(b)) {
                return s.reason();
            }
        }
        return null;
    }

    /**
     * Only global unicast (2000::/3, less its non-global blocks) passes, except that forms carrying an IPv4
     * address are judged by that address: a NAT64 gateway, 6to4 relay or Teredo server would otherwise carry the
     * request to 127.0.0.1 or 10.0.0.1 on the hub's side.
     */
    private static String forbiddenIpv6(byte[] b) {
        if (isZero(b, 0, 15) && (b[15] == 0 || b[15] == 1)) {
            return b[15] == 0 ? "unspecified" : "loopback";
        }
        for (Embedding e : EMBEDDINGS) {
            if (e.network().contains(b)) {
                for (byte[] v4 : e.ipv4(b)) {
                    String why = forbiddenIpv4(v4);
                    if (why != null) {
                        return why + " (" + ipv4Text(v4) + " inside a " + e.name() + " address)";
                    }
                }
                return null;
            }
        }
        boolean global = (b[0] & 0xe0) == 0x20;
        for (Special s : global ? IPV6_INSIDE_GLOBAL : IPV6_OUTSIDE_GLOBAL) {
            if (s.network().contains(b)) {
                return s.reason();
            }
        }
        return global ? null : "reserved (not global unicast)";
    }

    /** An IPv6 block whose addresses carry IPv4 addresses, and how to take them out. */
    private record Embedding(String name, Network network, Function<byte[], List<byte[]>> ipv4) {

        List<byte[]> ipv4(byte[] address) {
            return ipv4.apply(address);
        }
    }

    private static final List<Embedding> EMBEDDINGS = List.of(
            // Deprecated, but still routed by some stacks to the IPv4 address (:: and ::1 are handled before).
            new Embedding("IPv4-compatible", Network.v6("::/96"), b -> List.of(slice(b, 12))),
            new Embedding("IPv4-mapped", Network.v6("::ffff:0:0/96"), b -> List.of(slice(b, 12))),
            new Embedding("IPv4-translated", Network.v6("::ffff:0:0:0/96"), b -> List.of(slice(b, 12))),
            // RFC 6052: the well-known prefix always carries the IPv4 address in its last 32 bits.
            new Embedding("NAT64", Network.v6("64:ff9b::/96"), b -> List.of(slice(b, 12))),
            // RFC 3056: 2002:AABB:CCDD::/48 is the 6to4 site of A.B.C.D.
            new Embedding("6to4", Network.v6("2002::/16"), b -> List.of(slice(b, 2))),
            // RFC 4380: 2001:0:SSSS:SSSS:flags:port:CCCC:CCCC, the server in clear, the client inverted.
            new Embedding("Teredo", Network.v6("2001::/32"), b -> {
                byte[] client = slice(b, 12);
                for (int i = 0; i < 4; i++) {
                    client[i] = (byte) ~client[i];
                }
                return List.of(slice(b, 4), client);
            }));

    private static byte[] slice(byte[] b, int from) {
        return Arrays.copyOfRange(b, from, from + 4);
    }

    private static boolean isZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static String ipv4Text(byte[] b) {
        return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
    }

    /** A block that is not global and why. */
    private record Special(Network network, String reason) {

        static Special v4(String cidr, String reason) {
            return new Special(Network.parse(cidr), reason);
        }

        static Special v6(String cidr, String reason) {
            return new Special(Network.v6(cidr), reason);
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

        /** An IPv6 block, kept 16 bytes long even where Java would turn the literal into an IPv4 address. */
        static Network v6(String cidr) {
            int slash = cidr.indexOf('/');
            return new Network(toBytes(cidr.substring(0, slash)), Integer.parseInt(cidr.substring(slash + 1)));
        }

        private static byte[] toBytes(String v6) {
            byte[] address = new byte[16];
            String[] halves = v6.split("::", -1);
            String[] head = halves[0].isEmpty() ? new String[0] : halves[0].split(":");
            String[] tail = halves.length < 2 || halves[1].isEmpty() ? new String[0] : halves[1].split(":");
            for (int i = 0; i < head.length; i++) {
                int group = Integer.parseInt(head[i], 16);
                address[2 * i] = (byte) (group >> 8);
                address[2 * i + 1] = (byte) group;
            }
            for (int i = 0; i < tail.length; i++) {
                int group = Integer.parseInt(tail[i], 16);
                int at = 16 - 2 * (tail.length - i);
                address[at] = (byte) (group >> 8);
                address[at + 1] = (byte) group;
            }
            return address;
        }

        boolean contains(InetAddress address) {
            return contains(address.getAddress());
        }

        boolean contains(byte[] b) {
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
