import Net

/// Where `api serve` gets its listening sockets (DESIGN §13): from systemd (socket activation), from a running server
/// of the same data directory (a zero-downtime restart), or bound anew.
struct ListeningSockets: Sendable {
    private enum Origin: Sendable {
        case bound
        case activated([Int32])
        case takenOver(Predecessor)
    }

    private let origin: Origin

    /// The sockets to serve on, or nil to bind the configured address.
    var descriptors: [Int32]? {
        switch origin {
        case .bound: nil
        case .activated(let descriptors): descriptors
        case .takenOver(let predecessor): predecessor.listeners
        }
    }

    /// The server whose sockets these are, when they were taken over.
    var predecessor: Predecessor? {
        if case .takenOver(let predecessor) = origin { predecessor } else { nil }
    }

    /// Whether systemd passed them: it then owns them across restarts, and no hand-over point is needed.
    var isActivated: Bool {
        if case .activated = origin { true } else { false }
    }

    /// Systemd's sockets if it passed any, else a predecessor's if one serves this data directory, else none.
    static func acquire(for config: Config) throws(AppError) -> ListeningSockets {
        do {
            if let passed = try SocketActivation.inheritedListeners() { return ListeningSockets(origin: .activated(passed)) }
        } catch {
            throw AppError("\(error)")
        }
        let server = config.server
        if let predecessor = try Predecessor.takeOver(directory: config.database.directory, host: server.host, port: server.port) {
            return ListeningSockets(origin: .takenOver(predecessor))
        }
        return ListeningSockets(origin: .bound)
    }

    /// Gives taken-over sockets back after a failed start (the predecessor serves on); systemd's stay with systemd.
    func abandon() {
        predecessor?.abandon()
    }
}
