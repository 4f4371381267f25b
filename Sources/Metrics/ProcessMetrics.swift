import Glibc

/// The standard `process_*` metrics of the Prometheus client libraries, read from /proc (Linux only).
public struct ProcessMetrics: Sendable, Equatable {
    /// User plus system CPU time, in seconds.
    public var cpuSeconds: Double
    /// Resident set size, in bytes.
    public var residentBytes: Double
    /// Virtual memory size, in bytes.
    public var virtualBytes: Double
    /// Open file descriptors.
    public var openFDs: Double
    /// The soft limit on file descriptors.
    public var maxFDs: Double
    /// Start time of the process since the Unix epoch, in seconds.
    public var startTimeSeconds: Double

    /// Reads the current values; a field that cannot be read is 0.
    public static func read() -> ProcessMetrics {
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let page = Double(sysconf(Int32(_SC_PAGESIZE)))
        let stat = statFields()
        func field(_ number: Int) -> Double { number - 3 < stat.count ? Double(stat[number - 3]) ?? 0 : 0 }  // fields 3... follow "(comm)"
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        return ProcessMetrics(
            cpuSeconds: (field(14) + field(15)) / ticks,
            residentBytes: field(24) * page,
            virtualBytes: field(23),
            openFDs: Double(openDescriptorCount()),
            maxFDs: Double(limit.rlim_cur),
            startTimeSeconds: bootTime() + field(22) / ticks)
    }

    /// Writes the six families.
    public func write(to writer: inout ExpositionWriter) {
        let families: [(String, MetricType, String, Double)] = [
            ("process_cpu_seconds_total", .counter, "Total user and system CPU time spent in seconds.", cpuSeconds),
            ("process_resident_memory_bytes", .gauge, "Resident memory size in bytes.", residentBytes),
            ("process_virtual_memory_bytes", .gauge, "Virtual memory size in bytes.", virtualBytes),
            ("process_open_fds", .gauge, "Number of open file descriptors.", openFDs),
            ("process_max_fds", .gauge, "Maximum number of open file descriptors.", maxFDs),
            ("process_start_time_seconds", .gauge, "Start time of the process since unix epoch in seconds.", startTimeSeconds),
        ]
        for (name, type, help, value) in families {
            writer.family(name, type, help: help)
            writer.sample(name, [], value)
        }
    }

    /// The fields of /proc/self/stat after the command name (which may itself contain spaces), starting at field 3.
    private static func statFields() -> [Substring] {
        guard let text = readText("/proc/self/stat"), let close = text.lastIndex(of: ")") else { return [] }
        return text[text.index(after: close)...].split(separator: " ")
    }

    private static func bootTime() -> Double {
        guard let text = readText("/proc/stat") else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst(6).trimmingPrefix(" ")) ?? 0
        }
        return 0
    }

    private static func openDescriptorCount() -> Int {
        guard let directory = opendir("/proc/self/fd") else { return 0 }
        defer { closedir(directory) }
        var count = 0
        while let entry = readdir(directory) {
            if entry.pointee.d_name.0 != UInt8(ascii: ".") { count += 1 }
        }
        return count - 1   // the descriptor opendir itself holds
    }

    private static func readText(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        return count > 0 ? String(decoding: buffer[..<count], as: UTF8.self) : nil
    }
}
