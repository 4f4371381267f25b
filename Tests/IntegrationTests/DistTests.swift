import Foundation
import Glibc
import TestKit
import Testing

/// Issue 20: the release artifact and the systemd unit (DESIGN §13). `make test` makes the tarball (`make dist`) and
/// the bare Debian root (`make debian-root`) first and names them in `DIST_TARBALL` and `DEBIAN_ROOT`; a `swift test`
/// without them skips the tarball's test and says so.
@Suite struct DistTests {
    static let tarball = ProcessInfo.processInfo.environment["DIST_TARBALL"]
    static let debianRoot = ProcessInfo.processInfo.environment["DEBIAN_ROOT"]
    static let systemdAnalyze = "/usr/bin/systemd-analyze"

    /// Must show 1: the tarball holds `api-VERSION/` with the stripped binary and the deploy files, and on a Debian 12
    /// made by `debootstrap --variant=minbase` with only libsqlite3-0, zlib1g and libpq5 added, as nobody, `api serve`
    /// answers /readyz, `api healthcheck` exits 0, and ldd lists only libraries of glibc, libsqlite3, zlib, and libpq5
    /// with the packages it depends on
    /// (`scripts/checks/dist_check.sh`). Its findings, the highest GLIBC_ version the binary needs among them, go to
    /// the test log.
    @Test(.timeLimit(.minutes(3)),
          .enabled(if: tarball != nil && debianRoot != nil, "no DIST_TARBALL and DEBIAN_ROOT: `make test` makes and names them"),
          .enabled(if: getuid() == 0, "not root: the check runs the binary with chroot"))
    func theTarballsBinaryRunsOnABareDebian() throws {
        let tarball = try #require(Self.tarball), root = try #require(Self.debianRoot)
        let check = try ChildProcess(executable: SharedTestData.repositoryRoot + "/scripts/checks/dist_check.sh", arguments: [tarball, root])
            .finish(timeout: 150)     // a few seconds alone; far more beside every other suite on two cores
        print(check.stdout, terminator: "")
        #expect(check.status == 0 && check.stdout.hasSuffix("dist check: ok\n"), "\(check)")
    }

    /// `systemd-analyze security --offline=true deploy/api.service` rates the unit's exposure at most 2.0 ("OK").
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: systemdAnalyze), "no \(systemdAnalyze)"))
    func theServiceUnitIsRatedOK() throws {
        let analysis = try ChildProcess(executable: Self.systemdAnalyze, arguments: ["security", "--offline=true", "deploy/api.service"],
                                        workingDirectory: SharedTestData.repositoryRoot).finish(timeout: 60)
        #expect(analysis.status == 0, "\(analysis)")
        // The last line: "→ Overall exposure level for api.service: 1.2 OK 🙂".
        let marker = "Overall exposure level for api.service: "
        let line = try #require(analysis.stdout.split(separator: "\n").last { $0.contains(marker) }, "\(analysis)")
        let exposure = try #require(Double(line.split(separator: marker).last?.split(separator: " ").first ?? ""), "\(line)")
        #expect(exposure <= 2.0, "\(line)")
    }
}
