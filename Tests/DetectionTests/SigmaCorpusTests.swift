import Detection
import Foundation
import Ingestion
import MWRASPCore
import Testing

/// SigmaHQ's public rule set and its true-positive regression samples.
@Suite(.serialized) struct SigmaCorpusTests {
    static let loaded = SigmaRuleLoader.load(directory: SigmaTestSupport.testdata + "/rules")
    static let set = SigmaRuleSet(rules: loaded.rules)

    @Test func atLeast99PercentOfSigmaHQLoads() {
        let report = Self.loaded.report
        print(report.summary)
        print("stats:", Self.set.stats)
        #expect(report.files > 3000)
        #expect(report.loadRatio >= 0.99, "\(report.loaded) of \(report.loaded + report.refused)")
    }

    /// Every JSON value of a sample file (some hold several concatenated events).
    static func jsonValues(_ bytes: [UInt8]) -> [[UInt8]] {
        var out: [[UInt8]] = []
        var offset = 0
        while true {
            while offset < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[offset]) { offset += 1 }
            guard offset < bytes.count, let scanner = try? JSONScanner(bytes, from: offset) else { break }
            out.append(Array(bytes[offset..<scanner.endOffset]))
            offset = scanner.endOffset
        }
        return out
    }

    @Test func allRegressionSamplesProduceTheirFinding() throws {
        let root = SigmaTestSupport.testdata + "/regression"
        let enumerator = try #require(FileManager.default.enumerator(atPath: root))
        var samples = 0, detected = 0
        var missed: [String] = []
        while let relative = enumerator.nextObject() as? String {
            guard relative.hasSuffix("info.yml") else { continue }
            samples += 1
            let dir = root + "/" + (relative as NSString).deletingLastPathComponent
            let info = try String(contentsOfFile: dir + "/info.yml", encoding: .utf8)
            let idLine = try #require(info.split(separator: "\n").first { $0.contains("- id:") })
            let id = String(idLine.split(separator: ":").last!).trimmingCharacters(in: .whitespaces)
            var found = false
            for file in try FileManager.default.contentsOfDirectory(atPath: dir) where file.hasSuffix(".json") {
                let bytes = [UInt8](try #require(FileManager.default.contents(atPath: dir + "/" + file)))
                for value in Self.jsonValues(bytes) {
                    var context = IngestContext(receivedAt: 1_700_000_000_000)
                    let input = DetectionInput(event: try GenericEventAdapter.parse(value, context: &context))
                    if Self.set.findings(input).contains(where: { $0.detectorID == id && $0.type == .sigma }) { found = true }
                }
            }
            if found { detected += 1 } else { missed.append("\(id) \(relative)") }
        }
        print("regression: \(detected)/\(samples)", missed)
        #expect(samples == 60)
        #expect(detected == samples, "missed: \(missed)")
    }
}
