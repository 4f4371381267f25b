import CLinux

/// The command line of this process, as the kernel passed it to `main`: unlike Swift's `CommandLine`, which reads
/// /proc/self/cmdline on Linux, it needs no /proc (a bare chroot, a minimal container).
public enum ProcessArguments {
    /// The arguments, the program's name first.
    public static var all: [String] {
        (0..<clinux_argument_count()).map { String(cString: clinux_argument($0)) }
    }
}
