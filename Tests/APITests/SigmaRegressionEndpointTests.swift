import Foundation
import Ingestion
import Pipeline
import Testing

/// SigmaHQ's regression samples sent the way a SIEM would: every rule of the shared test data
/// loaded from a rules directory, each sample POSTed to /v1/events as an ordinary event, and
/// GET /v1/detections must name the sample's rule.
@Suite struct SigmaRegressionEndpointTests {
    static let testdata = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../shared/testdata/sigma").standardized.path

    /// Every JSON value of a sample file (a few hold several concatenated events).
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

    @Test func everyRegressionSamplePostedAsAnEventIsDetectedByItsRule() async throws {
        var settings = DetectionSettings()
        settings.rulesDirectory = Self.testdata + "/rules"
        let harness = try await APITestHarness(detection: settings)
        let summary = await harness.send(.get, "/v1/rules?summary", token: harness.responderToken)
        #expect(summary.jsonObject?["refused"] as? Int == 0)
        #expect((summary.jsonObject?["loaded"] as? Int ?? 0) >= 3700)

        let root = Self.testdata + "/regression"
        let enumerator = try #require(FileManager.default.enumerator(atPath: root))
        var expected: [(id: String, sample: String)] = []
        while let relative = enumerator.nextObject() as? String {
            guard relative.hasSuffix("info.yml") else { continue }
            let directory = root + "/" + (relative as NSString).deletingLastPathComponent
            let info = try String(contentsOfFile: directory + "/info.yml", encoding: .utf8)
            let idLine = try #require(info.split(separator: "\n").first { $0.contains("- id:") })
            let id = String(idLine.split(separator: ":").last!).trimmingCharacters(in: .whitespaces)
            expected.append((id, relative))
            for file in try FileManager.default.contentsOfDirectory(atPath: directory) where file.hasSuffix(".json") {
                let bytes = [UInt8](try #require(FileManager.default.contents(atPath: directory + "/" + file)))
                for value in Self.jsonValues(bytes) {
                    let response = await harness.send(.post, "/v1/events", token: harness.ingestToken,
                                                      headers: [("Content-Type", "application/json")], body: value)
                    #expect(response.status.code == 202, "\(relative): \(response.text)")
                }
            }
        }
        try await harness.environment.detection!.pipeline.drain()
        var missed: [String] = []
        for (id, sample) in expected {
            let found = await harness.send(.get, "/v1/detections?type=sigma&detector_id=\(id)", token: harness.responderToken)
            if (found.jsonObject?["items"] as? [Any] ?? []).isEmpty { missed.append("\(id) \(sample)") }
        }
        #expect(expected.count == 60)
        #expect(missed.isEmpty, "missed: \(missed)")
    }
}
