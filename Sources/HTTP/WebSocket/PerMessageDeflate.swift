/// permessage-deflate as the opening handshake agreed it (RFC 7692 §7.1): whether each side keeps its window between
/// messages, and how large a window each side compresses with.
public struct PerMessageDeflate: Equatable, Sendable {
    /// The extension's name in `Sec-WebSocket-Extensions`.
    public static let name = "permessage-deflate"

    /// The server compresses every message on its own (§7.1.1.1): the client asked so.
    public var serverNoContextTakeover = false
    /// The client compresses every message on its own (§7.1.1.2): the client said it will.
    public var clientNoContextTakeover = false
    /// The base-2 logarithm of the server's window, as the client limited it (§7.1.2.1); nil when it did not (15).
    public var serverMaxWindowBits: Int?
    /// The base-2 logarithm of the client's window, as its offer named it (§7.1.2.2); nil when it named none (15).
    public var clientMaxWindowBits: Int?

    /// The parameters of a plain `permessage-deflate`: both sides keep their context, with 32 KiB windows.
    public init() {}

    /// The first of `offers` the server can honour, in the client's order of preference (RFC 6455 §9.1); nil to
    /// answer without the extension.
    public static func negotiate(_ offers: [WebSocketExtension]) -> PerMessageDeflate? {
        offers.lazy.compactMap(PerMessageDeflate.init(accepting:)).first
    }

    /// The parameters accepting `offer`; nil when the server must decline it (§7.1: another extension, an unknown,
    /// repeated or invalid parameter) or cannot honour it (a 256-byte server window, below).
    public init?(accepting offer: WebSocketExtension) {
        guard offer.name == Self.name else { return nil }
        var seen: Set<String> = []
        for parameter in offer.parameters {
            guard seen.insert(parameter.name).inserted, accept(parameter) else { return nil }
        }
    }

    /// Takes in one parameter of an offer; false when it makes the offer one to decline.
    private mutating func accept(_ parameter: WebSocketExtension.Parameter) -> Bool {
        switch (parameter.name, parameter.value) {
        case ("server_no_context_takeover", nil):
            serverNoContextTakeover = true
        case ("client_no_context_takeover", nil):
            clientNoContextTakeover = true
        case ("server_max_window_bits", let value?):
            // zlib's raw deflate has no 256-byte window (deflateInit2 refuses 8), and answering a larger one than the
            // offer is not allowed (§7.1.2.1): such an offer is declined.
            guard let bits = Self.windowBits(value), bits > 8 else { return false }
            serverMaxWindowBits = bits
        case ("client_max_window_bits", nil):
            break                                  // the client could take a limit; the server sets none (§7.1.2.2)
        case ("client_max_window_bits", let value?):
            guard let bits = Self.windowBits(value) else { return false }
            clientMaxWindowBits = bits
        default:
            return false
        }
        return true
    }

    /// A window size value: 8...15 in decimal, without leading zeros (§7.1.2.1, §7.1.2.2).
    private static func windowBits(_ value: String) -> Int? {
        guard value.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), !value.hasPrefix("0"),
              let bits = Int(value), (8...15).contains(bits) else { return nil }
        return bits
    }

    /// The `Sec-WebSocket-Extensions` value of the response accepting these parameters (§7.1): each parameter the
    /// offer had, with the value the server keeps to.
    public var responseValue: String {
        var value = Self.name
        if serverNoContextTakeover { value += "; server_no_context_takeover" }
        if clientNoContextTakeover { value += "; client_no_context_takeover" }
        if let serverMaxWindowBits { value += "; server_max_window_bits=\(serverMaxWindowBits)" }
        if let clientMaxWindowBits { value += "; client_max_window_bits=\(clientMaxWindowBits)" }
        return value
    }

    /// The window the server compresses with.
    var serverWindowBits: Int { serverMaxWindowBits ?? 15 }

    /// The window the client compresses with, which the server's inflater must hold.
    var clientWindowBits: Int { clientMaxWindowBits ?? 15 }
}
