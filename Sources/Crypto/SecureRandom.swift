import Glibc

/// Random bytes from the kernel's CSPRNG via getrandom(2). Swift's Glibc module does not export
/// `<sys/random.h>`, so this goes through glibc's getentropy(3), which is that same syscall
/// capped at 256 bytes per call; it blocks only until the pool is first seeded at boot.
public enum SecureRandom {
    /// `count` cryptographically secure random bytes.
    public static func bytes(count: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            fill(UnsafeMutableRawBufferPointer(buffer))
            initialized = count
        }
    }

    /// Fills `buffer` with cryptographically secure random bytes.
    public static func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        guard let base = buffer.baseAddress else { return }
        var offset = 0
        while offset < buffer.count {
            let chunk = min(256, buffer.count - offset)  // getentropy(3): EIO above 256 bytes
            // getentropy fails only with EFAULT (our bug) or ENOSYS (kernel before 3.17); with no
            // randomness there is no safe way to go on issuing secrets.
            guard getentropy(base + offset, chunk) == 0 else {
                preconditionFailure("getentropy(3) failed with errno \(errno): no secure randomness")
            }
            offset += chunk
        }
    }
}
