// swift-tools-version:6.0
import PackageDescription

/// Layout and dependency direction: ../shared/DESIGN.md §4 and docs/architecture.md.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "api",
    targets: [
        .executableTarget(name: "api", dependencies: ["App", "Bench"], swiftSettings: strict),
        .target(name: "App", dependencies: ["OpenAPI", "HTTP", "Net", "Storage", "Postgres", "Auth", "Crypto", "JSON", "Metrics"], swiftSettings: strict),
        .target(name: "OpenAPI", dependencies: ["HTTP", "JSON"], swiftSettings: strict),
        .target(name: "Bench", dependencies: ["HTTP", "JSON", "Net"], swiftSettings: strict),
        .target(name: "HTTP", dependencies: ["Net", "Crypto", "JSON", "CZlib"], swiftSettings: strict),
        .target(name: "Net", dependencies: ["CLinux"], swiftSettings: strict),
        .target(name: "CLinux"),
        .target(name: "Storage", dependencies: ["CSQLite"], swiftSettings: strict),
        .target(name: "Postgres", dependencies: ["CLibPQ", "Net"], swiftSettings: strict),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .target(name: "Auth", dependencies: ["Crypto", "JSON"], swiftSettings: strict),
        .target(name: "Crypto", swiftSettings: strict),
        .target(name: "JSON", swiftSettings: strict),
        .target(name: "Metrics", swiftSettings: strict),
        .target(name: "TestKit", dependencies: ["HTTP", "Net", "JSON"], swiftSettings: strict),
        .target(name: "AppTestKit", dependencies: ["App", "TestKit", "Net"], swiftSettings: strict),

        .executableTarget(name: "MicroBench", dependencies: ["Auth", "Crypto", "JSON", "OpenAPI"], path: "Benchmarks/MicroBench"),

        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        .testTarget(name: "MetricsTests", dependencies: ["Metrics"], exclude: ["Fixtures"]),
        .testTarget(name: "CryptoTests", dependencies: ["Crypto"]),
        .testTarget(name: "AuthTests", dependencies: ["Auth", "Crypto", "JSON"]),
        .testTarget(name: "OpenAPITests", dependencies: ["OpenAPI", "HTTP", "JSON", "TestKit"], exclude: ["Fixtures"]),
        .testTarget(name: "NetTests", dependencies: ["Net", "TestKit"]),
        .testTarget(name: "StorageTests", dependencies: ["Storage"]),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "Net", "TestKit"]),
        .testTarget(name: "HTTPTests", dependencies: ["HTTP", "Net", "TestKit"]),
        .testTarget(name: "BenchTests", dependencies: ["Bench", "HTTP", "Net", "TestKit"]),
        .testTarget(name: "AppTests", dependencies: ["App", "Auth", "HTTP", "Net", "OpenAPI", "Storage", "Postgres", "TestKit", "AppTestKit", "JSON"]),
        .testTarget(name: "IntegrationTests", dependencies: ["api", "TestKit", "JSON"]),
    ]
)
