import Net
import Testing

/// `ProcessArguments` reads main's argv (captured before main), which a process without /proc still has; where /proc
/// is mounted it agrees with Swift's `CommandLine`, which reads /proc/self/cmdline (dist_check.sh runs `api version`
/// in a root without /proc).
@Suite struct ProcessArgumentsTests {
    @Test func agreesWithCommandLineWhereProcIsMounted() {
        #expect(ProcessArguments.all == CommandLine.arguments)
        #expect(!ProcessArguments.all.isEmpty)
    }
}
