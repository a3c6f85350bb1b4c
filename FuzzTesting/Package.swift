// swift-tools-version:6.2
import PackageDescription

// libFuzzer harnesses for HTTPCore and Ingestion (swift-nio-http2's FuzzTesting layout). The main
// package has no library products, so Sources/HTTPCore (and Ingestion, MWRASPCore) are symlinks to ../../Sources/...
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
    targets: [
        .target(name: "HTTPCore", swiftSettings: fuzzSettings),
        .executableTarget(
            name: "HTTPParserFuzzer", dependencies: ["HTTPCore"], swiftSettings: fuzzSettings),
        // The ingest adapters: Sources/Ingestion and Sources/MWRASPCore are symlinks too.
        .target(name: "MWRASPCore", swiftSettings: fuzzSettings),
        .target(name: "Ingestion", dependencies: ["MWRASPCore"], swiftSettings: fuzzSettings),
        .executableTarget(
            name: "IngestionFuzzer", dependencies: ["Ingestion", "MWRASPCore"], swiftSettings: fuzzSettings),
    ],
    swiftLanguageModes: [.v6]
)
