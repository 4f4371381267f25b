import Glibc

/// The outcome of a non-blocking call: done, or the kernel would have had to wait.
public enum IOResult<T: Equatable & Sendable>: Equatable, Sendable {
    case processed(T)
    case wouldBlock
}

/// Runs `body`, a system call returning -1 on failure, with the error policy every call shares.
///
/// EINTR is retried; EAGAIN is a value, not an error; EBADF and EFAULT stop the process because
/// they are our bugs (a closed descriptor or a bad pointer), never the peer's; anything else throws.
@inline(__always)
public func syscall<T: FixedWidthInteger & Sendable>(
    _ function: String = #function, _ body: () -> T
) throws(IOError) -> IOResult<T> {
    while true {
        let result = body()
        guard result == -1 else { return .processed(result) }
        switch Glibc.errno {
        case EINTR: continue
        case EAGAIN: return .wouldBlock
        case EBADF, EFAULT: preconditionFailure("\(function): errno \(Glibc.errno) is a programming error")
        case let code: throw IOError(errno: code, function: function)
        }
    }
}

/// Like `syscall`, for calls that never legitimately return EAGAIN (setup calls).
@inline(__always)
public func syscallChecked<T: FixedWidthInteger & Sendable>(
    _ function: String = #function, _ body: () -> T
) throws(IOError) -> T {
    switch try syscall(function, body) {
    case .processed(let value): return value
    case .wouldBlock: throw IOError(errno: EAGAIN, function: function)
    }
}
