import Detection
import Testing

/// Windows records take their plan from the raw bytes of their logsource values
/// (SigmaRawPlanCache) unless a key on the way is escaped or a top-level `logsource...` key
/// states the logsource: the rules evaluated must be those the derived logsource applies to.
struct SigmaRawPlanTests {
    typealias S = SigmaTestSupport

    static let yaml = """
    title: Process rule
    id: process-rule
    logsource:
        product: windows
        category: process_creation
    detection:
        sel:
            Image|endswith: '\\\\cmd.exe'
        condition: sel
    ---
    title: File rule
    id: file-rule
    logsource:
        product: windows
        category: file_event
    detection:
        sel:
            Image|endswith: '\\\\cmd.exe'
        condition: sel
    """

    func record(system: String = #""Channel":"Microsoft-Windows-Sysmon/Operational""#, top: String = "") -> DetectionInput {
        S.event(##"{"Event":{"System":{"Provider":{"#attributes":{"Name":"Microsoft-Windows-Sysmon"}},"EventID":1,"## + system
                + ##"},"EventData":{"Image":"C:\\Windows\\System32\\cmd.exe"}}"## + top + "}")
    }

    @Test func rawPlanAgreesWithDerivedLogsource() throws {
        let set = try S.ruleSet(Self.yaml)
        let cases: [(DetectionInput, [String])] = [
            (record(), ["process-rule"]),
            // An explicit logsource overrides the one the record's System derives.
            (record(top: #","logsource":{"category":"file_event"}"#), ["file-rule"]),
            // Escaped keys and values: the general path, same answer.
            (record(system: #""Chann\u0065l":"Microsoft-Windows-Sysmon/Operational""#), ["process-rule"]),
            (record(system: #""Channel":"Microsoft-Windows-Sysmon\/Operational""#), ["process-rule"]),
        ]
        for (input, expected) in cases {
            #expect(set.matches(input).map(\.id) == expected)
            #expect(set.matchesWithoutPrefilter(input) == expected)
        }
    }
}
