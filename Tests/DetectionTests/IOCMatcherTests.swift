@testable import Detection
import MWRASPCore
import Testing

@Suite struct IOCMatcherTests {
    func matcher(_ entries: [IOCEntry], name: String = "feed") -> IOCMatcher {
        IOCMatcher(lists: [IOCList(id: "l1", name: name, entries: entries)])
    }

    func ip(_ m: IOCMatcher, _ text: String) -> [String] {
        var out: [IOCMatch] = []
        m.matchIP(text, into: &out)
        return out.map(\.indicator)
    }

    func domain(_ m: IOCMatcher, _ text: String) -> [String] {
        var out: [IOCMatch] = []
        m.matchDomain(text, into: &out)
        return out.map(\.indicator)
    }

    @Test func addressesParseToOneCanonicalForm() {
        #expect(IOCAddress("1.2.3.4") == IOCAddress("::ffff:1.2.3.4"))
        #expect(IOCAddress("1.2.3.4") == IOCAddress("::FFFF:0102:0304"))
        #expect(IOCAddress("2001:db8::1") == IOCAddress("2001:0db8:0000:0000:0000:0000:0000:0001"))
        #expect(IOCAddress("2001:db8::1") == IOCAddress("[2001:DB8:0::0:1]"))
        #expect(IOCAddress("fe80::1%eth0") == IOCAddress("fe80::1"))
        #expect(IOCAddress("::") == IOCAddress(high: 0, low: 0))
        #expect(IOCAddress("::1") == IOCAddress(high: 0, low: 1))
        #expect(IOCAddress("1::") == IOCAddress(high: 1 << 48, low: 0))
        #expect(IOCAddress("1.2.3.4")?.description == "1.2.3.4")
        for bad in ["", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4/8", "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", ":1", "1:",
                    "abc", "1.2.3.04x", "::ffff:1.2.3", "evil.com"] {
            #expect(IOCAddress(bad) == nil, "\(bad)")
        }
    }

    @Test func exactIPs() {
        let m = matcher([IOCEntry(value: "203.0.113.7", kind: .ip), IOCEntry(value: "2001:db8::dead:beef", kind: .ip)])
        #expect(ip(m, "203.0.113.7") == ["203.0.113.7"])
        #expect(ip(m, "::ffff:203.0.113.7") == ["203.0.113.7"])
        #expect(ip(m, "203.0.113.8").isEmpty)
        #expect(ip(m, "2001:0DB8:0:0:0:0:dead:beef").count == 1)
        #expect(ip(m, "2001:db8::dead:bef0").isEmpty)
    }

    @Test func cidrBoundariesIPv4() {
        let m = matcher([IOCEntry(value: "198.51.100.0/24", kind: .cidr), IOCEntry(value: "10.1.2.3/8", kind: .cidr)])
        #expect(ip(m, "198.51.100.0") == ["198.51.100.0/24"])
        #expect(ip(m, "198.51.100.255") == ["198.51.100.0/24"])
        #expect(ip(m, "198.51.99.255").isEmpty)
        #expect(ip(m, "198.51.101.0").isEmpty)
        // Host bits of an entry are cleared: 10.1.2.3/8 is 10.0.0.0/8.
        #expect(ip(m, "10.0.0.0") == ["10.0.0.0/8"])
        #expect(ip(m, "10.255.255.255") == ["10.0.0.0/8"])
        #expect(ip(m, "9.255.255.255").isEmpty)
        #expect(ip(m, "11.0.0.0").isEmpty)
        #expect(ip(m, "::ffff:10.9.9.9") == ["10.0.0.0/8"])
    }

    @Test func cidrBoundariesIPv6AndNesting() {
        let m = matcher([IOCEntry(value: "2001:db8:abcd::/48", kind: .cidr), IOCEntry(value: "2001:db8::/32", kind: .cidr),
                         IOCEntry(value: "2001:db8:abcd:12::/127", kind: .cidr)])
        #expect(ip(m, "2001:db8:abcd::") == ["2001:db8:abcd:0:0:0:0:0/48", "2001:db8:0:0:0:0:0:0/32"])
        #expect(ip(m, "2001:db8:abcd:ffff:ffff:ffff:ffff:ffff").count == 2)
        #expect(ip(m, "2001:db8:abce::") == ["2001:db8:0:0:0:0:0:0/32"])
        #expect(ip(m, "2001:db9::").isEmpty)
        #expect(ip(m, "2001:db7:ffff:ffff:ffff:ffff:ffff:ffff").isEmpty)
        #expect(ip(m, "2001:db8:abcd:12::1").count == 3)
        #expect(ip(m, "2001:db8:abcd:12::2").count == 2)
    }

    @Test func domainsMatchThemselvesAndSubdomainsOnly() {
        let m = matcher([IOCEntry(value: "Evil.COM.", kind: .domain), IOCEntry(value: "*.bad.example.org", kind: .domain)])
        #expect(domain(m, "evil.com") == ["evil.com"])
        #expect(domain(m, "a.b.EVIL.com.") == ["evil.com"])
        #expect(domain(m, "notevil.com").isEmpty)
        #expect(domain(m, "evil.com.au").isEmpty)
        #expect(domain(m, "evil.co").isEmpty)
        #expect(domain(m, "com").isEmpty)
        #expect(domain(m, "x.bad.example.org") == ["bad.example.org"])
        #expect(domain(m, "example.org").isEmpty)
    }

    @Test func hashesAnyCaseByLength() {
        let md5 = "44d88612fea8a8f36de82e1278abb02f"
        let sha1 = "3395856CE81F2B7382DEE72602F798B642F14140"
        let sha256 = "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f"
        let m = matcher([IOCEntry(value: md5, kind: .hash), IOCEntry(value: sha1, kind: .hash), IOCEntry(value: sha256, kind: .hash)])
        var out: [IOCMatch] = []
        m.matchHash(md5.uppercased(), into: &out)
        m.matchHash(sha1.lowercased(), into: &out)
        m.matchHash(sha256, into: &out)
        m.matchHash(String(sha256.dropLast()) + "1", into: &out)
        #expect(out.map(\.indicator) == [md5, sha1.lowercased(), sha256])
    }

    @Test func urlsAndTheirHosts() {
        let m = matcher([IOCEntry(value: "HTTP://Evil.com/Payload.exe", kind: .url), IOCEntry(value: "c2.example.net", kind: .domain)])
        var out: [IOCMatch] = []
        m.matchURL("http://evil.COM/Payload.exe", into: &out)
        #expect(out.map(\.indicator) == ["http://evil.com/Payload.exe"])
        out = []
        m.matchURL("https://user@x.c2.example.net:8443/a?b", into: &out)
        #expect(out.map(\.indicator) == ["c2.example.net"])
        out = []
        m.matchURL("http://evil.com/payload.exe", into: &out)
        #expect(out.isEmpty)
    }

    @Test func kindsAreDetectedAndInvalidEntriesRejected() {
        #expect(IOCKind.detect("1.2.3.4") == .ip)
        #expect(IOCKind.detect("2001:db8::/32") == .cidr)
        #expect(IOCKind.detect("44d88612fea8a8f36de82e1278abb02f") == .hash)
        #expect(IOCKind.detect("https://evil.com/x") == .url)
        #expect(IOCKind.detect(" evil.com ") == .domain)
        #expect(IOCKind.detect("not a thing") == nil)
        #expect(IOCEntry(value: "10.0.0.0/33", kind: .cidr).problem != nil)
        let m = matcher([IOCEntry(value: "1.2.3.4", kind: .ip), IOCEntry(value: "nope", kind: .ip), IOCEntry(value: "xyz", kind: .hash)])
        #expect(m.entryCount == 1)
        #expect(m.rejected.map(\.value) == ["nope", "xyz"])
    }
}
