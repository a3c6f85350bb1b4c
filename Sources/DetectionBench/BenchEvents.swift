import Foundation
import Ingestion
import MWRASPCore

/// The event mix of the detection benchmark: SigmaHQ's regression samples (each matches a
/// rule), ordinary SIEM alerts with entities from realistic pools, benign Windows process
/// creations (the bulk of a real Sysmon feed: they match nothing), and catalog telemetry.
enum BenchEvents {
    static func regressionSamples(testdata: String) throws -> [[UInt8]] {
        let root = testdata + "/sigma/regression"
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        var out: [[UInt8]] = []
        for case let path as String in walker where path.hasSuffix(".json") {
            out.append(Array(try Data(contentsOf: URL(fileURLWithPath: root + "/" + path))))
        }
        return out
    }

    /// One of 5,000 alert shapes, with entities from pools of 400 hosts, 250 users, 1,000
    /// sources and 97 destinations. `mix` calls it for 40 of every 100 event numbers, which
    /// reach 2,000 of the shapes: 2,000 distinct alerts that repeat (as SIEM alerts do: dedup
    /// counts them), all of them new in the first tenth of a second of the latency run.
    static func alert(_ n: Int) -> [UInt8] {
        let k = (n &* 7919) % 5000
        let host = "web-\(k % 400)"
        let user = "user\(k % 250)"
        let source = "10.\(k % 7).\(k % 1000 / 7).\(k % 251)"
        let destination = "203.0.113.\(k % 97)"
        return Array(#"""
            {"source":"suricata-sensor-07","severity":"\#(["high", "medium", "low"][k % 3])",
             "title":"ET POLICY Possible outbound SSH brute force attempt \#(k % 50)","src_ip":"\#(source)","dst_ip":"\#(destination)",
             "user":"\#(user)","host":"\#(host).corp.example.com","tags":["ssh","bruteforce"],
             "raw":{"signature_id":"\#(2_001_219 + k % 50)","dest_port":"22"}}
            """#.utf8)
    }

    static func benignProcess(_ n: Int) -> [UInt8] {
        // (image, command line, the parent Windows really gives it)
        let programs = [
            (#"C:\\Windows\\System32\\svchost.exe"#, "svchost.exe -k netsvcs -p -s Schedule", #"C:\\Windows\\System32\\services.exe"#),
            (#"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe"#, "chrome.exe --type=renderer --lang=en-US",
             #"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe"#),
            (#"C:\\Windows\\System32\\conhost.exe"#, #"\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1"#,
             #"C:\\Windows\\System32\\cmd.exe"#),
            (#"C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE"#, "OUTLOOK.EXE /recycle", #"C:\\Windows\\explorer.exe"#),
        ]
        let (image, commandLine, parent) = programs[n % programs.count]
        return Array(#"""
            {"Event":{"System":{"Provider":{"#attributes":{"Name":"Microsoft-Windows-Sysmon"}},"EventID":1,
             "Channel":"Microsoft-Windows-Sysmon/Operational","Computer":"ws-\#(n % 300).corp.example.com",
             "TimeCreated":{"#attributes":{"SystemTime":"2026-11-27T01:00:00.000Z"}}},
             "EventData":{"Image":"\#(image)","CommandLine":"\#(commandLine) \#(n)","ParentImage":"\#(parent)",
              "User":"CORP\\user\#(n % 250)","IntegrityLevel":"Medium","Hashes":"SHA256=\#(String(repeating: "ab", count: 32))"}}}
            """#.utf8)
    }

    static func quantumTelemetry(_ n: Int) -> [UInt8] {
        Array(#"""
            {"event":{"kind":"telemetry","dataset":"mwrasp.quantum"},"host":{"name":"kms-\#(n % 5)"},
             "quantum":{"signals":{"period_finding":true,"qft_signature":\#(n % 2 == 0),"factorization":false},
              "chsh":{"ab":[60,40,40,60],"ab_":[40,60,60,40],"a_b":[60,40,40,60],"a_b_":[60,40,40,60]},
              "chi_squared":{"observed":[55,45],"expected":[50,50]},"entanglement_witness":0.02}}
            """#.utf8)
    }

    /// `count` raw bodies: per 100, `samplesPerHundred` regression samples (every one a true
    /// positive of several rules), 40 SIEM alerts, 2 telemetry events, the rest benign
    /// process creations.
    static func mix(count: Int, samples: [[UInt8]], samplesPerHundred: Int) -> [[UInt8]] {
        (0..<count).map { n in
            switch n % 100 {
            case 0..<samplesPerHundred where !samples.isEmpty: samples[(n / 100 * samplesPerHundred + n % 100) % samples.count]
            case 50..<90: alert(n)
            case 98, 99: quantumTelemetry(n)
            default: benignProcess(n)
            }
        }
    }

    static func normalize(_ bodies: [[UInt8]], receivedAt: Int64) -> [Event] {
        var context = IngestContext(receivedAt: receivedAt)
        return bodies.compactMap { try? GenericEventAdapter.parse($0, context: &context) }
    }

    /// 100,000 IOCs: 40k IPs (a quarter IPv6), 10k CIDRs, 30k domains, 20k hashes.
    static func iocEntries() -> [(String, String)] {
        var out: [(String, String)] = []
        var random = SplitMix64(seed: 42)
        for n in 0..<40_000 {
            if n % 4 == 0 {
                out.append(("ip", "2001:db8:\(String(random.next() % 65536, radix: 16))::\(String(random.next() % 65536, radix: 16))"))
            } else {
                out.append(("ip", "\(100 + random.next() % 100).\(random.next() % 256).\(random.next() % 256).\(random.next() % 256)"))
            }
        }
        for _ in 0..<10_000 {
            out.append(("cidr", "\(random.next() % 90 + 100).\(random.next() % 256).\(random.next() % 256).0/24"))
        }
        for n in 0..<30_000 { out.append(("domain", "bad\(n)-\(random.next() % 100000).example-c2.net")) }
        for _ in 0..<20_000 {
            out.append(("hash", (0..<4).map { _ in String(format: "%016llx", random.next()) }.joined()))
        }
        return out
    }
}

