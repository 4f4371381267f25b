import Glibc

/// Hosts on one machine for the multi-host tests (issue 21): a network namespace per host, each joined by a veth pair
/// to a bridge in the root namespace, where the test itself is the client. Addresses are in a /24 of 10.x.y.0 picked
/// for this rig; a host is cut off (and brought back) by taking its bridge-side link down (and up). Root only; every
/// namespace and link is removed when the rig goes.
public final class NetworkRig: @unchecked Sendable {   // set up once, then only read; `ip` does the rest
    /// The rig's names: `api<5 hex digits>`, short enough for interface names (15 bytes).
    private let tag: String
    private let subnet: String
    private let hosts: [String]

    /// Makes the bridge and one namespace per name in `hosts`.
    /// - Throws: `TestKitError` when not root or when `ip` refuses a step (the rig is taken down again).
    public init(hosts: [String]) throws {
        guard getuid() == 0 else { throw TestKitError("network namespaces need root") }
        let seed = UInt32(getpid()) &* 2_654_435_761 &+ UInt32(truncatingIfNeeded: Int(TestClient.now() * 1000))
        tag = "api" + String(String(seed, radix: 16).suffix(5))
        subnet = "10.\(100 + seed % 100).\(seed / 100 % 250)"
        self.hosts = hosts
        do {
            try Self.ip(["link", "add", bridge, "type", "bridge"])
            try Self.ip(["addr", "add", "\(subnet).1/24", "dev", bridge])
            try Self.ip(["link", "set", bridge, "up"])
            for (index, host) in hosts.enumerated() { try add(host, index: index) }
        } catch {
            tearDown()
            throw error
        }
    }

    deinit {
        tearDown()
    }

    /// The address of the root namespace (the test) on the bridge.
    public var clientAddress: String { subnet + ".1" }

    /// The address of `host`.
    public func address(of host: String) -> String {
        "\(subnet).\(2 + (hosts.firstIndex(of: host) ?? 0))"
    }

    /// The namespace's name of `host`, for `ip netns exec`.
    public func namespace(of host: String) -> String {
        "\(tag)-\(hosts.firstIndex(of: host) ?? 0)"
    }

    /// `executable arguments` started in `host`'s namespace.
    public func start(on host: String, _ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> ChildProcess {
        try ChildProcess(executable: "/usr/sbin/ip", arguments: ["netns", "exec", namespace(of: host), executable] + arguments, environment: environment)
    }

    /// Cuts `host` off the bridge: its packets go nowhere, as when a cable is pulled (no reset reaches anyone).
    public func isolate(_ host: String) throws {
        try Self.ip(["link", "set", rootLink(host), "down"])
    }

    /// Puts `host` back on the bridge.
    public func reconnect(_ host: String) throws {
        try Self.ip(["link", "set", rootLink(host), "up"])
    }

    private var bridge: String { tag + "b" }

    private func rootLink(_ host: String) -> String { "\(tag)r\(hosts.firstIndex(of: host) ?? 0)" }

    private func add(_ host: String, index: Int) throws {
        let namespace = namespace(of: host), outside = rootLink(host), inside = "\(tag)n\(index)"
        try Self.ip(["netns", "add", namespace])
        try Self.ip(["link", "add", outside, "type", "veth", "peer", "name", inside])
        try Self.ip(["link", "set", inside, "netns", namespace])
        try Self.ip(["link", "set", outside, "master", bridge])
        try Self.ip(["link", "set", outside, "up"])
        for step in [["link", "set", "lo", "up"], ["addr", "add", address(of: host) + "/24", "dev", inside], ["link", "set", inside, "up"]] {
            try Self.ip(["-n", namespace] + step)
        }
    }

    /// Removes what `init` made; a missing piece is no error (a failed `init` calls it halfway).
    private func tearDown() {
        for index in hosts.indices {
            _ = try? Self.ip(["link", "del", "\(tag)r\(index)"])     // takes its peer with it
            _ = try? Self.ip(["netns", "del", "\(tag)-\(index)"])
        }
        _ = try? Self.ip(["link", "del", bridge])
    }

    private static func ip(_ arguments: [String]) throws {
        let result = try ChildProcess(executable: "/usr/sbin/ip", arguments: arguments).finish(timeout: 10)
        guard result.status == 0 else { throw TestKitError("ip \(arguments.joined(separator: " ")): \(result.stderr)") }
    }
}
