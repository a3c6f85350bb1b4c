import Ingestion
import MWRASPCore
import Testing

/// Hostile input never crashes an adapter (DESIGN.md section 9: "never a crash"): every
/// fixture truncated at every length, and randomly mutated. Run under
/// `swift test --sanitize=address` to check the unsafe-pointer code as well.
@Suite struct RobustnessTests {
    static let fixtures: [String] = [
        GenericEventAdapterTests.flatAlert, AlertmanagerAdapterTests.payload, SplunkAlertAdapterTests.payload,
        KibanaAdapterTests.rendered, PagerDutyAdapterTests.trigger, HECAdapterTests.batch,
        WindowsEventFixture.certutilDownload,
    ]

    private func runAll(_ body: [UInt8]) {
        var ctx = context()
        _ = try? GenericEventAdapter.parse(body, context: &ctx)
        _ = NDJSONAdapter.parse(body, context: &ctx)
        _ = try? AlertmanagerAdapter.parse(body, context: &ctx)
        _ = try? SplunkAlertAdapter.parse(body, context: &ctx)
        _ = try? KibanaAdapter.parse(body, context: &ctx)
        _ = try? PagerDutyAdapter.parse(body, context: &ctx)
        _ = try? HECAdapter.parse(body, context: &ctx)
        if let event = try? GenericEventAdapter.parse(body, context: &ctx) {
            // Whatever is accepted yields a valid JSON document.
            #expect((try? JSONScanner(event.document)) != nil)
        }
    }

    @Test func everyTruncationIsRefusedCleanly() {
        for fixture in Self.fixtures {
            let body = bytes(fixture)
            for length in 0..<body.count { runAll(Array(body[..<length])) }
        }
    }

    @Test func randomMutations() {
        var random = SplitMix64(seed: 0x5EED)
        let interesting: [UInt8] = Array("{}[]\",:\\0123456789.eE+-tfnu ".utf8) + [0x00, 0x1F, 0x7F, 0x80, 0xC3, 0xED, 0xF4, 0xFF]
        for fixture in Self.fixtures {
            let original = bytes(fixture)
            for _ in 0..<300 {
                var body = original
                for _ in 0..<(1 + Int(random.next() % 4)) {
                    let index = Int(random.next() % UInt64(body.count))
                    switch random.next() % 3 {
                    case 0: body[index] = interesting[Int(random.next() % UInt64(interesting.count))]
                    case 1: body.remove(at: index)
                    default: body.insert(interesting[Int(random.next() % UInt64(interesting.count))], at: index)
                    }
                }
                runAll(body)
            }
        }
    }

    @Test func everyAcceptedDocumentIsValidJSON() throws {
        var ctx = context()
        var documents: [[UInt8]] = []
        documents += try AlertmanagerAdapter.parse(bytes(AlertmanagerAdapterTests.payload), context: &ctx).map(\.document)
        documents.append(try SplunkAlertAdapter.parse(bytes(SplunkAlertAdapterTests.payload), context: &ctx).document)
        documents += try KibanaAdapter.parse(bytes(KibanaAdapterTests.rendered), context: &ctx).map(\.document)
        documents.append(try PagerDutyAdapter.parse(bytes(PagerDutyAdapterTests.trigger), context: &ctx).event.document)
        documents += try HECAdapter.parse(bytes(HECAdapterTests.batch), context: &ctx).map(\.document)
        documents.append(try GenericEventAdapter.parse(bytes(GenericEventAdapterTests.flatAlert), context: &ctx).document)
        for document in documents {
            #expect((try? JSONScanner(document)) != nil, "\(String(decoding: document, as: UTF8.self))")
            #expect(try object(document)["@timestamp"] is String)
        }
    }
}

