import TestKit
import Testing

/// Issue 14, item 8: `make serve` installs what the binary needs and nothing of what the tests need.
@Suite struct MakefileTests {
    @Test func makeServeInstallsNoTestTool() throws {
        let plan = try ChildProcess(executable: "/usr/bin/env", arguments: ["make", "-n", "serve"],
                                    workingDirectory: SharedTestData.repositoryRoot).finish(timeout: 30)
        #expect(plan.status == 0, "\(plan)")
        #expect(plan.stdout.contains("libsqlite3-dev") && plan.stdout.contains("api serve"), "\(plan.stdout)")
        for tool in ["chromium", "prometheus", "nginx", "venv", "pip", "schemathesis"] {
            #expect(!plan.stdout.contains(tool), "make serve would install \(tool): \(plan.stdout)")
        }
    }

    /// Issue 18: without a Python 2.7, `make deps` says that the Autobahn suite is left out, and installs none of it.
    @Test func withoutPython27TheAutobahnSuiteIsSkippedVisibly() throws {
        let plan = try ChildProcess(executable: "/usr/bin/env", arguments: ["make", "-n", "autobahn-deps", "PY27=/nonexistent/python2.7"],
                                    workingDirectory: SharedTestData.repositoryRoot).finish(timeout: 30)
        #expect(plan.status == 0, "\(plan)")
        #expect(plan.stdout.contains("notice: no Python 2.7 at /nonexistent/python2.7"), "\(plan.stdout)")
        #expect(!plan.stdout.contains("virtualenv") && !plan.stdout.contains("pip"), "\(plan.stdout)")
    }
}
