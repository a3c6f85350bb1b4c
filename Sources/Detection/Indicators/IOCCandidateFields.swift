/// Where the IOC detector looks for observables in an event's normalized document, and how
/// each place's value is read. Arrays are read element by element. Dotted paths resolve
/// through nested objects or dotted keys alike (`DetectionInput.node`).
///
/// | path                                   | read as                                        |
/// |----------------------------------------|------------------------------------------------|
/// | source.ip, destination.ip              | IP                                             |
/// | client.ip, server.ip, host.ip          | IP                                             |
/// | related.ip                             | IP (array)                                     |
/// | Event.EventData.SourceIp               | IP (Sysmon 3, Security log)                    |
/// | Event.EventData.DestinationIp          | IP (Sysmon 3)                                  |
/// | Event.EventData.IpAddress              | IP (Security 4624/4625...)                     |
/// | Event.EventData.QueryResults           | IPs in Sysmon 22's `type: 5 x;::ffff:1.2.3.4;` |
/// | Event.EventData.QueryName              | domain (Sysmon 22)                             |
/// | Event.EventData.DestinationHostname    | domain (Sysmon 3)                              |
/// | dns.question.name                      | domain                                         |
/// | url.domain                             | domain                                         |
/// | destination.domain, source.domain      | domain                                         |
/// | server.domain, client.domain           | domain                                         |
/// | related.hosts                          | domain (array)                                 |
/// | url.full, url.original                 | URL, and its host as domain/IP                 |
/// | Event.EventData.Hashes                 | Sysmon `SHA1=..,MD5=..,SHA256=..,IMPHASH=..`   |
/// | Event.EventData.Hash                   | same (Sysmon 15)                               |
/// | file.hash.*, process.hash.*            | hash (every member: md5, sha1, sha256...)      |
/// | process.parent.hash.*, dll.hash.*      | hash (every member)                            |
/// | related.hash                           | hash (array)                                   |
enum IOCCandidateFields {
    enum Shape: Sendable {
        case ip
        /// Separated list of addresses, non-addresses skipped (Sysmon QueryResults).
        case ipList
        case domain
        case url
        case hash
        /// An object whose members are digests (`file.hash`).
        case hashObject
        /// `ALGO=digest` pairs separated by commas (Sysmon `Hashes`).
        case algorithmPairs
    }

    static let table: [(path: String, shape: Shape)] = [
        ("source.ip", .ip), ("destination.ip", .ip), ("client.ip", .ip), ("server.ip", .ip), ("host.ip", .ip),
        ("related.ip", .ip),
        ("Event.EventData.SourceIp", .ip), ("Event.EventData.DestinationIp", .ip), ("Event.EventData.IpAddress", .ip),
        ("Event.EventData.QueryResults", .ipList),
        ("Event.EventData.QueryName", .domain), ("Event.EventData.DestinationHostname", .domain),
        ("dns.question.name", .domain), ("url.domain", .domain),
        ("destination.domain", .domain), ("source.domain", .domain), ("server.domain", .domain), ("client.domain", .domain),
        ("related.hosts", .domain),
        ("url.full", .url), ("url.original", .url),
        ("Event.EventData.Hashes", .algorithmPairs), ("Event.EventData.Hash", .algorithmPairs),
        ("file.hash", .hashObject), ("process.hash", .hashObject), ("process.parent.hash", .hashObject), ("dll.hash", .hashObject),
        ("related.hash", .hash),
    ]
}
