import Glibc
import Testing
import Metrics

/// The process_* values read from /proc are plausible for this test process.
struct ProcessMetricsTests {
    @Test func readsPlausibleValues() {
        let metrics = ProcessMetrics.read()
        #expect(metrics.residentBytes > 1_000_000)
        #expect(metrics.virtualBytes >= metrics.residentBytes)
        #expect(metrics.openFDs >= 3)
        #expect(metrics.maxFDs >= metrics.openFDs)
        let now = Double(time(nil))
        #expect(metrics.startTimeSeconds > now - 3_600 && metrics.startTimeSeconds <= now + 1)
    }

    /// All six standard families are written, each with HELP and TYPE.
    @Test func writesTheStandardFamilies() {
        var writer = ExpositionWriter()
        ProcessMetrics.read().write(to: &writer)
        let text = String(decoding: writer.bytes, as: UTF8.self)
        for name in ["process_cpu_seconds_total", "process_resident_memory_bytes", "process_virtual_memory_bytes",
                     "process_open_fds", "process_max_fds", "process_start_time_seconds"] {
            #expect(text.contains("# TYPE \(name) "))
            #expect(text.contains("\n\(name) "))
        }
    }
}
