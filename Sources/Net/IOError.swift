import Glibc

/// A failed system call: the errno and the name of the call that set it.
public struct IOError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The `errno` value the call left.
    public let errno: Int32
    /// The system call or wrapper that failed.
    public let function: String

    /// Creates an error for `function` with `errno`.
    public init(errno: Int32, function: String) {
        self.errno = errno
        self.function = function
    }

    public var description: String {
        "\(function): \(String(cString: strerror(errno))) (errno \(errno))"
    }
}
