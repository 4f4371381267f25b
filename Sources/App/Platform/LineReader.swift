import Glibc

/// A file read a line at a time, in constant memory (`api import` of a million records): each line without its line
/// break (`\n` or `\r\n`).
final class LineReader {
    private let file: UnsafeMutablePointer<FILE>
    private var buffer: UnsafeMutablePointer<CChar>?
    private var capacity = 0

    /// Opens `path`; throws `AppError` (exit code 1, an I/O error) when it cannot be read.
    init(path: String) throws(AppError) {
        guard let file = fopen(path, "r") else { throw AppError("cannot open \(path): \(String(cString: strerror(errno)))", exitCode: 1) }
        self.file = file
    }

    deinit {
        free(buffer)
        fclose(file)
    }

    /// The next line, or nil at the end of the file.
    func next() -> String? {
        let length = getline(&buffer, &capacity, file)
        guard length >= 0, let buffer else { return nil }
        var count = length
        while count > 0 && (buffer[count - 1] == 0x0A || buffer[count - 1] == 0x0D) { count -= 1 }
        return buffer.withMemoryRebound(to: UInt8.self, capacity: count) { String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self) }
    }
}
