import Foundation
import HTTPCore
import Testing

/// Replays the fuzzing corpus (FuzzTesting/FailCases: seeds and every input that once crashed
/// or disagreed) through the verifier, as swift-nio-http2 does with its FailCases.
@Suite struct FailCasesReplayTests {
    /// <package root>/FuzzTesting/FailCases, from this file's place in Tests/HTTPCoreTests.
    static let failCasesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("FuzzTesting/FailCases", isDirectory: true)

    static let caseNames: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: failCasesDirectory.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted()
    }()

    /// The same tiny limits as the fuzzer's second configuration.
    static let tinyLimits = HTTPParserLimits(
        maxRequestLineBytes: 64, maxHeaderBytes: 128, maxHeaderCount: 6, maxBodyBytes: 48,
        maxChunkSizeHexDigits: 3, maxChunkLineBytes: 32)

    @Test func failCasesFolder_holdsTheSeedCorpus() async {
        #expect(Self.caseNames.count >= 20, "no corpus at \(Self.failCasesDirectory.path)")
    }

    @Test(arguments: caseNames)
    func failCase_parsesTheSameHoweverItIsSplit(name: String) async throws {
        let data = try Data(contentsOf: Self.failCasesDirectory.appendingPathComponent(name))
        let input = [UInt8](data)
        let stride = max(1, input.count / 512)
        await verifyParse(input, splitStride: stride)
        await verifyParse(input, limits: Self.tinyLimits, splitStride: stride)
    }
}
