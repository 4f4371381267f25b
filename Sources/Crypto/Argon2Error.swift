/// Why `Argon2.hash` refused to run.
public enum Argon2Error: Error, Equatable, Sendable {
    /// A parameter outside the bounds of RFC 9106 §3.1; the text names it and its value.
    case invalidParameter(String)
    /// The memory cost could not be allocated.
    case outOfMemory(kibibytes: Int)
}
