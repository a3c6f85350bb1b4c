// swift-tools-version:6.2
import PackageDescription

// libFuzzer harnesses for HTTPCore, Ingestion and the Sigma engine (swift-nio-http2's FuzzTesting
// layout). The main package has no library products, so Sources/HTTPCore (and Ingestion,
// MWRASPCore, Detection) are symlinks to ../../Sources/...
// (SwiftPM refuses target paths outside the package root) and the target is built here.
//
//   swift build -c debug --sanitize=fuzzer --sanitize=address
//   ./.build/debug/HTTPParserFuzzer -max_total_time=600 FailCases corpus
//
// SwiftPM's --sanitize=fuzzer only reaches the link step with this toolchain, which leaves the
// code without coverage instrumentation (libFuzzer then reports "no interesting inputs" and
// fuzzes blind), so every target here is also compiled with -sanitize=fuzzer itself.
let fuzzSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .unsafeFlags(["-sanitize=fuzzer"]),
]

let package = Package(
    name: "FuzzTesting",
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
    ],
    targets: [
        .target(name: "HTTPCore", swiftSettings: fuzzSettings),
        .executableTarget(
            name: "HTTPParserFuzzer", dependencies: ["HTTPCore"], swiftSettings: fuzzSettings),
        // The ingest adapters: Sources/Ingestion and Sources/MWRASPCore are symlinks too.
        .target(name: "MWRASPCore", swiftSettings: fuzzSettings),
        .target(name: "Ingestion", dependencies: ["MWRASPCore"], swiftSettings: fuzzSettings),
        .executableTarget(
            name: "IngestionFuzzer", dependencies: ["Ingestion", "MWRASPCore"], swiftSettings: fuzzSettings),
        // The Sigma engine (Sources/Detection is a symlink as well).
        .target(
            name: "Detection",
            dependencies: ["MWRASPCore", "Ingestion", .product(name: "Yams", package: "Yams")],
            resources: [.copy("Catalog/Definitions")],
            swiftSettings: fuzzSettings),
        .executableTarget(
            name: "SigmaFuzzer", dependencies: ["Detection", "Ingestion", "MWRASPCore"], swiftSettings: fuzzSettings),
    ],
    swiftLanguageModes: [.v6]
)
