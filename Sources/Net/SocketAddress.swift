import Glibc

/// An IPv4 or IPv6 socket address, as the kernel stores it.
struct SocketAddress {
    var storage: sockaddr_storage

    var family: sa_family_t { storage.ss_family }

    var port: Int {
        withUnsafeBytes(of: storage) { raw in
            // sin_port and sin6_port sit at the same offset, in network byte order.
            Int(UInt16(bigEndian: raw.load(fromByteOffset: 2, as: UInt16.self)))
        }
    }

    var host: String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        withUnsafeBytes(of: storage) { raw in
            let offset = family == sa_family_t(AF_INET6) ? 8 : 4   // sin6_addr / sin_addr
            _ = inet_ntop(Int32(family), raw.baseAddress! + offset, &text, socklen_t(text.count))  // storage is never empty
        }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    func withSockaddr<T>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws(IOError) -> T) throws(IOError) -> T {
        let length = family == sa_family_t(AF_INET6) ? MemoryLayout<sockaddr_in6>.size : MemoryLayout<sockaddr_in>.size
        var copy = storage
        return try withUnsafePointer(to: &copy) { pointer throws(IOError) in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address throws(IOError) in
                try body(address, socklen_t(length))
            }
        }
    }
}
