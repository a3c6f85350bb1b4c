// swift-tools-version:6.2
import PackageDescription

// Module direction (DESIGN.md §2): C shims <- NetIO; HTTPCore depends on nothing;
// WebServer on HTTPCore + NetIO; API on WebServer (and later the domain); mwrasp on everything.
let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]
/// The per-request code paths (parser, event loop, connections) are class-heavy; Swift's
/// dynamic exclusivity checks on class properties cost several percent of the request rate.
/// Debug builds (and so every test run) keep the checks, release builds drop them.
let hotPathSettings: [SwiftSetting] = strictSettings + [
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "mwrasp",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "mwrasp", targets: ["mwrasp"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
    ],
    targets: [
        // System libraries: one per C library, macros wrapped in shim.h.
        .systemLibrary(
            name: "COpenSSL", pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]),
        .systemLibrary(
            name: "CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CSystemLinux"),

        .target(name: "HTTPCore", swiftSettings: hotPathSettings),
        .target(name: "MWRASPCore", swiftSettings: strictSettings),
        // The domain: pure ingestion adapters, security primitives, storage.
        .target(name: "Ingestion", dependencies: ["MWRASPCore"], swiftSettings: hotPathSettings),
        .target(
            name: "Security",
            dependencies: ["MWRASPCore", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSettings),
        .target(
            name: "Storage",
            dependencies: [
                "MWRASPCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                // sqlite3_bind_* straight onto cached statements on the insert path.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: hotPathSettings),
        // Detection engines (Sigma, correlation, IOC, baselines, catalog detectors, canaries) and
        // the pipeline that runs them over the stored event log into incidents.
        .target(
            name: "Detection",
            dependencies: ["MWRASPCore", "Ingestion", .product(name: "Yams", package: "Yams")],
            // The built-in catalog (QTD-001...) ships as YAML data files.
            resources: [.copy("Catalog/Definitions")],
            swiftSettings: hotPathSettings),
        // Incidents: correlation of findings, the INC-001 lifecycle, SLA timers, post-mortems.
        .target(name: "Incidents", dependencies: ["MWRASPCore"], swiftSettings: strictSettings),
        .target(
            name: "Pipeline",
            dependencies: [
                "MWRASPCore", "Ingestion", "Detection", "Incidents", "Storage",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strictSettings),
        .target(
            name: "NetIO",
            dependencies: ["CSystemLinux", "COpenSSL", "CZlib"],
            swiftSettings: hotPathSettings),
        .target(
            name: "WebServer",
            dependencies: [
                "HTTPCore", "NetIO",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: hotPathSettings),
        .target(
            name: "API",
            dependencies: [
                "WebServer", "MWRASPCore", "Ingestion", "Security", "Storage", "Detection", "Incidents", "Pipeline",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings),
        // The store alone (make bench): append throughput into the log and the SQLite indexer.
        .executableTarget(name: "StorageBench", dependencies: ["Storage", "MWRASPCore"], swiftSettings: strictSettings),
        .executableTarget(
            name: "mwrasp",
            dependencies: [
                "API", "WebServer", "NetIO", "MWRASPCore", "Ingestion", "Security", "Storage", "Detection", "Incidents", "Pipeline",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSettings),

        // `make bench`'s detection benchmark (SigmaHQ rules, 100k IOCs, the pipeline, latency).
        .executableTarget(
            name: "DetectionBench",
            dependencies: [
                "Detection", "Pipeline", "Storage", "Ingestion", "MWRASPCore",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings),

        // Test helpers shared by the test targets: certificates made at test time, raw clients.
        .target(name: "TestSupport", dependencies: ["NetIO"], swiftSettings: strictSettings),

        .testTarget(name: "MWRASPCoreTests", dependencies: ["MWRASPCore"], swiftSettings: strictSettings),
        .testTarget(name: "IngestionTests", dependencies: ["Ingestion", "MWRASPCore"], swiftSettings: strictSettings),
        .testTarget(name: "SecurityTests", dependencies: ["Security", "MWRASPCore"], swiftSettings: strictSettings),
        .testTarget(
            name: "StorageTests", dependencies: ["Storage", "MWRASPCore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSettings),
        .testTarget(
            name: "DetectionTests", dependencies: ["Detection", "Ingestion", "MWRASPCore"], swiftSettings: strictSettings),
        .testTarget(name: "IncidentsTests", dependencies: ["Incidents", "MWRASPCore"], swiftSettings: strictSettings),
        .testTarget(
            name: "PipelineTests", dependencies: ["Pipeline", "Detection", "Incidents", "Ingestion", "MWRASPCore", "Storage"],
            swiftSettings: strictSettings),
        .testTarget(name: "HTTPCoreTests", dependencies: ["HTTPCore"], swiftSettings: strictSettings),
        .testTarget(name: "NetIOTests", dependencies: ["NetIO", "TestSupport", "COpenSSL", "CZlib"], swiftSettings: strictSettings),
        .testTarget(
            name: "WebServerTests", dependencies: ["WebServer", "HTTPCore", "NetIO", "TestSupport"],
            swiftSettings: strictSettings),
        .testTarget(
            name: "APITests",
            dependencies: [
                "API", "WebServer", "HTTPCore", "MWRASPCore", "Ingestion", "Security", "Storage", "TestSupport",
                "Detection", "Incidents", "Pipeline",
            ],
            swiftSettings: strictSettings),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["WebServer", "API", "HTTPCore", "NetIO", "TestSupport", "MWRASPCore", "Security", "Storage"],
            swiftSettings: strictSettings),
    ]
)
