import Auth
import Glibc

/// Finds the HS256 secrets (DESIGN §2): `auth.secret` (or `API_AUTH_SECRET`), else `auth.secret_file`, else a
/// random secret generated once into `<database dir>/secret.key` with mode 0600; plus the retired secrets that
/// still verify. Every process with the same configuration (`serve` and the commands) finds the same keys.
struct SigningKeys {
    /// The key set: the current secret signs, all of them verify.
    let keySet: JWTKeySet
    /// Set when a secret was generated just now, for a warning in the log.
    let generatedFile: String?

    /// The name of the generated secret's file in the database directory.
    private static let generatedFileName = "secret.key"

    /// Where the generated secret of a database in `dataDirectory` is kept (and `api backup --with-secret` finds it).
    static func generatedFile(in dataDirectory: String) -> String {
        dataDirectory + "/" + generatedFileName
    }

    /// Loads or generates the secrets of `settings`.
    /// - Throws: `ConfigError` naming the setting or file at fault (unreadable, or shorter than 32 bytes).
    static func load(_ settings: AuthSettings, dataDirectory: String) throws(ConfigError) -> SigningKeys {
        let retired = try settings.retiredSecretFiles.map { (path: String) throws(ConfigError) in try readSecret(path) }   // before anything is generated
        var generated: String?
        let current: [UInt8]
        if !settings.secret.isEmpty {
            current = Array(settings.secret.utf8)
            try checkLength(current, source: "auth.secret")
        } else if !settings.secretFile.isEmpty {
            current = try readSecret(settings.secretFile)
        } else {
            let path = generatedFile(in: dataDirectory)
            if !FileSystem.exists(path) {
                try FileSystem.makeDirectories(dataDirectory, mode: 0o700)    // keys are loaded before the database is made
                try createSecretFile(path)
                generated = path
            }
            current = try readSecret(path)
        }
        do {
            let keys = try ([current] + retired).map { secret throws(JWTError) in try JWTKey(id: SigningSecret.keyID(for: secret), secret: secret) }
            return SigningKeys(keySet: JWTKeySet(signingKey: keys[0], retiredKeys: Array(keys.dropFirst())), generatedFile: generated)
        } catch {
            throw ConfigError("auth", "\(error)")         // lengths were checked above
        }
    }

    /// The file's bytes without a trailing newline (editors and `echo` add one).
    private static func readSecret(_ path: String) throws(ConfigError) -> [UInt8] {
        var bytes = try FileSystem.read(path)
        while let last = bytes.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") { bytes.removeLast() }
        try checkLength(bytes, source: path)
        return bytes
    }

    private static func checkLength(_ secret: [UInt8], source: String) throws(ConfigError) {
        guard secret.count >= SigningSecret.minimumByteCount else {
            throw ConfigError(source, "the secret is \(secret.count) bytes; at least \(SigningSecret.minimumByteCount) are required (generate one with: head -c 32 /dev/urandom | base64)")
        }
    }

    /// Writes a new random secret with O_EXCL, so two processes starting at once cannot both write one.
    private static func createSecretFile(_ path: String) throws(ConfigError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd < 0 && errno == EEXIST { return }               // the other process won; read its secret
        guard fd >= 0 else { throw ConfigError(path, "cannot create the secret file: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let text = Array((SigningSecret.generate() + "\n").utf8)
        let written = text.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard written == text.count, fsync(fd) == 0 else {
            unlink(path)
            throw ConfigError(path, "cannot write the secret file: \(String(cString: strerror(errno)))")
        }
    }
}
