import Auth
import Glibc
import AppTestKit
import TestKit
import Testing
@testable import App

/// Where the signing secret comes from (DESIGN §2) and how keys rotate.
@Suite struct SigningKeysTests {
    private static let secret = "0123456789abcdef0123456789abcdef-signing"

    private func settings(secret: String = "", file: String = "", retired: [String] = []) -> AuthSettings {
        var settings = Config.defaults.auth
        settings.secret = secret
        settings.secretFile = file
        settings.retiredSecretFiles = retired
        return settings
    }

    @Test func withoutASecretOneIsGeneratedOncePrivateToTheOwner() throws {
        let directory = try SharedTestData.temporaryDirectory()
        let first = try SigningKeys.load(settings(), dataDirectory: directory)
        #expect(first.generatedFile == directory + "/secret.key")
        var status = stat()
        stat(directory + "/secret.key", &status)
        #expect(status.st_mode & 0o777 == 0o600)
        let second = try SigningKeys.load(settings(), dataDirectory: directory)
        #expect(second.generatedFile == nil, "the second start reads the same secret")
        #expect(second.keySet.signingKey.id == first.keySet.signingKey.id)
    }

    @Test func aShortSecretIsRefusedNamingItsSource() throws {
        let error = #expect(throws: ConfigError.self) { try SigningKeys.load(settings(secret: "too short"), dataDirectory: "/nonexistent") }
        #expect(error?.source == "auth.secret")
        #expect(error?.problem.contains("at least 32") == true)
    }

    @Test func aSecretFileIsReadWithoutItsNewline() throws {
        let path = try SharedTestData.temporaryFile(named: "secret", contents: Array((Self.secret + "\n").utf8))
        let fromFile = try SigningKeys.load(settings(file: path), dataDirectory: "/nonexistent")
        let fromValue = try SigningKeys.load(settings(secret: Self.secret), dataDirectory: "/nonexistent")
        #expect(fromFile.keySet.signingKey.id == fromValue.keySet.signingKey.id)
    }

    /// Rotation: a token signed with the old secret still verifies once that secret is retired, and new
    /// tokens carry the new key's id.
    @Test func aRetiredSecretStillVerifiesItsTokens() throws {
        let old = try SigningKeys.load(settings(secret: Self.secret), dataDirectory: "/nonexistent").keySet
        let token = JWT(keys: old).sign(JWTClaims(subject: "1", expiresAt: JWT.systemClock() + 60, id: "t"))
        let retiredFile = try SharedTestData.temporaryFile(named: "old", contents: Array(Self.secret.utf8))
        let rotated = try SigningKeys.load(settings(secret: "a-brand-new-secret-of-enough-length-0123", retired: [retiredFile]),
                                           dataDirectory: "/nonexistent").keySet
        #expect(try JWT(keys: rotated).verify(token).subject == "1")
        #expect(rotated.signingKey.id != old.signingKey.id)
    }
}
