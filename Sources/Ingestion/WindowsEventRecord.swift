/// A Windows event log record rendered as JSON the way evtx_dump / the Sigma regression
/// corpus does: `{"Event": {"System": {...}, "EventData": {...}}}`, attributes under
/// `#attributes`. The record is kept in the document unchanged (Sigma rules read
/// `Event.EventData.*`); these ECS fields are added beside it:
/// - `host.name` <- `Event.System.Computer`
/// - `@timestamp` <- `Event.System.TimeCreated.#attributes.SystemTime` (or `.SystemTime`)
/// - `event.dataset` <- `"windows."` + the channel lowercased, every run of other characters
///   than a-z0-9 as `_` (`Microsoft-Windows-Sysmon/Operational` ->
///   `windows.microsoft_windows_sysmon_operational`, `Security` -> `windows.security`)
/// - `event.code` <- `Event.System.EventID` (as a string, as ECS types it), `event.provider`
///   <- `Event.System.Provider.#attributes.Name`
/// - `user.name` <- EventData `User`, `TargetUserName` or `SubjectUserName`; `source.ip` <-
///   `SourceIp` / `IpAddress`; `destination.ip` <- `DestinationIp` (Sysmon, Security log)
/// The kind stays `.event`: a log record, not a finding.
struct WindowsEventRecord {
    var hostName: String?
    var timestamp: Int64?
    var dataset: String?
    var code: String?
    var provider: String?
    var userName: String?
    var sourceIP: String?
    var destinationIP: String?

    init?(_ scanner: JSONScanner, record: Int) {
        guard let system = scanner.member(record, "System"),
              scanner.kind(system) == .object else { return nil }
        func text(_ node: Int?) -> String? {
            guard let node else { return nil }
            switch scanner.kind(node) {
            case .string: return scanner.string(node)
            case .number: return scanner.numberText(node)
            case .object: return text(scanner.member(node, "#text"))  // {"#attributes":..., "#text": 4624}
            default: return nil
            }
        }
        hostName = text(scanner.member(system, "Computer"))
        if let created = scanner.member(system, "TimeCreated") {
            let time = text(scanner.value(at: ["#attributes", "SystemTime"], from: created)) ?? text(scanner.member(created, "SystemTime"))
            timestamp = time.flatMap { Timestamps.parseRFC3339(Array($0.utf8)) }
        }
        if let channel = text(scanner.member(system, "Channel")) {
            var out = "windows."
            var pendingSeparator = false
            for scalar in channel.lowercased().unicodeScalars {
                if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                    if pendingSeparator { out.append("_") }
                    pendingSeparator = false
                    out.unicodeScalars.append(scalar)
                } else {
                    pendingSeparator = true
                }
            }
            dataset = out
        }
        code = text(scanner.member(system, "EventID"))
        if let providerNode = scanner.member(system, "Provider") {
            provider = text(scanner.value(at: ["#attributes", "Name"], from: providerNode)) ?? text(scanner.member(providerNode, "Name"))
        }
        if let data = scanner.member(record, "EventData"), scanner.kind(data) == .object {
            userName = text(scanner.member(data, "User")) ?? text(scanner.member(data, "TargetUserName"))
                ?? text(scanner.member(data, "SubjectUserName"))
            sourceIP = text(scanner.member(data, "SourceIp")) ?? text(scanner.member(data, "IpAddress"))
            destinationIP = text(scanner.member(data, "DestinationIp"))
        }
    }

    /// Fills what the sender's own ECS fields left empty.
    func fill(_ fields: inout ECSFields) {
        if fields.hostName == nil { fields.hostName = hostName }
        if fields.timestamp == nil { fields.timestamp = timestamp }
        if fields.dataset == nil { fields.dataset = dataset }
        if fields.userName == nil { fields.userName = userName }
        if fields.sourceIP == nil, let sourceIP, sourceIP != "-" { fields.sourceIP = sourceIP }
        if fields.destinationIP == nil { fields.destinationIP = destinationIP }
    }

    func writeEventExtras(_ writer: inout JSONWriter) {
        writer.string("code", code)
        writer.string("provider", provider)
    }
}
