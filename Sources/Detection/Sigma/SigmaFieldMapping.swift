import Ingestion

/// How a Sigma field name finds its value in one of our events. THE table; resolution order,
/// first found wins:
///
/// 1. Windows records (the document has `Event.System`, as GenericEventAdapter keeps EVTX
///    JSON): `Event.EventData.<Name>`, then the Security-log spellings of Sysmon names
///    (`windowsAliases`: `Image` is `NewProcessName` in 4688...), then `Event.UserData.*.<Name>`,
///    then the System fields (`windowsSystem`: `EventID`, `Channel`, `Provider_Name`...).
///    `{"#text": ...}` objects (EVTX attributes) read as their text.
/// 2. `ecs`: Sigma's generic and web/proxy/network names onto ECS paths of the normalized
///    document (`c-uri` -> `url.original`, `SourceIp` -> `source.ip`...). Several paths are
///    tried in order.
/// 3. The name itself as a dotted path into the document (`http.request.method`,
///    `eventSource`, `okta.eventType`...), through nested objects or dotted keys.
///
/// Names are case-sensitive, as in Sigma. Arrays give one value per scalar element; a field
/// matches when any element does.
public enum SigmaFieldMapping {
    /// Sigma names read from `Event.System` (path inside System).
    public static let windowsSystem: [String: [String]] = [
        "EventID": ["EventID"],
        "Channel": ["Channel"],
        "Computer": ["Computer"],
        "Provider_Name": ["Provider", "#attributes", "Name"],
        "Provider": ["Provider", "#attributes", "Name"],
        "Level": ["Level"],
        "Task": ["Task"],
        "Opcode": ["Opcode"],
        "Keywords": ["Keywords"],
        "EventRecordID": ["EventRecordID"],
        "Version": ["Version"],
        "ProcessID": ["Execution", "#attributes", "ProcessID"],
        "ThreadID": ["Execution", "#attributes", "ThreadID"],
        "UserID": ["Security", "#attributes", "UserID"],
    ]

    /// Other EventData spellings of a Sysmon name (Security 4688 process creation).
    public static let windowsAliases: [String: [String]] = [
        "Image": ["NewProcessName"],
        "ParentImage": ["ParentProcessName"],
        "ProcessId": ["NewProcessId"],
        "User": ["SubjectUserName"],
    ]

    /// Sigma name -> ECS paths, tried in order.
    public static let ecs: [String: [String]] = [
        // Web server and proxy logs (W3C names, as Sigma's webserver/proxy rules use them).
        "cs-method": ["http.request.method"],
        "c-uri": ["url.original", "url.full"],
        "c-uri-query": ["url.query"],
        "c-uri-stem": ["url.path"],
        "c-uri-extension": ["url.extension"],
        "cs-uri-query": ["url.query"],
        "cs-uri-stem": ["url.path"],
        "cs-uri": ["url.original", "url.full"],
        "c-useragent": ["user_agent.original"],
        "cs-user-agent": ["user_agent.original"],
        "cs-referrer": ["http.request.referrer"],
        "cs-referer": ["http.request.referrer"],
        "cs-cookie": ["http.request.cookie"],
        "cs-host": ["url.domain", "destination.domain"],
        "cs-version": ["http.version"],
        "cs-username": ["user.name"],
        "cs-bytes": ["http.request.bytes"],
        "sc-bytes": ["http.response.bytes"],
        "sc-status": ["http.response.status_code"],
        "c-ip": ["source.ip"],
        "s-ip": ["destination.ip"],
        "r-dns": ["url.domain", "destination.domain"],
        "cs-content-type": ["http.request.mime_type"],
        // Network and generic names.
        "SourceIp": ["source.ip"], "src_ip": ["source.ip"], "source_ip": ["source.ip"], "SourceAddress": ["source.ip"],
        "DestinationIp": ["destination.ip"], "dst_ip": ["destination.ip"], "dest_ip": ["destination.ip"],
        "DestinationAddress": ["destination.ip"],
        "SourcePort": ["source.port"], "src_port": ["source.port"],
        "DestinationPort": ["destination.port"], "dst_port": ["destination.port"], "dest_port": ["destination.port"],
        "DestinationHostname": ["destination.domain"],
        "SourceHostname": ["source.domain"],
        "Protocol": ["network.transport"],
        "QueryName": ["dns.question.name"], "query": ["dns.question.name"],
        "User": ["user.name"], "user": ["user.name"], "username": ["user.name"], "UserName": ["user.name"],
        "TargetUserName": ["user.target.name", "user.name"],
        "Computer": ["host.name"], "ComputerName": ["host.name"], "Hostname": ["host.name"], "hostname": ["host.name"],
        // Process and file names, for ECS endpoint events (Elastic Defend, auditbeat...).
        "Image": ["process.executable"],
        "CommandLine": ["process.command_line"],
        "ProcessId": ["process.pid"],
        "CurrentDirectory": ["process.working_directory"],
        "OriginalFileName": ["process.pe.original_file_name"],
        "ParentImage": ["process.parent.executable"],
        "ParentCommandLine": ["process.parent.command_line"],
        "ParentProcessId": ["process.parent.pid"],
        "TargetFilename": ["file.path"],
        "ImageLoaded": ["dll.path", "file.path"],
        "TargetObject": ["registry.path"],
        "Details": ["registry.data.strings"],
        "md5": ["hash.md5", "file.hash.md5"], "sha1": ["hash.sha1", "file.hash.sha1"], "sha256": ["hash.sha256", "file.hash.sha256"],
        // Our own typed fields.
        "EventID": ["event.code"],
        "message": ["message"],
    ]

    /// The value of Sigma field `name` in `input`, as text (the first one if it is a list),
    /// resolved exactly as rules resolve it. For the correlation engine (`group-by`,
    /// `value_count` fields). Nil when absent or null.
    public static func value(ofSigmaField name: String, in input: DetectionInput) -> String? {
        let view = SigmaEventView(input)
        guard case .values(let values) = view.resolve(SigmaFieldPlan(name)), let first = values.first else { return nil }
        return String(decoding: first.bytes, as: UTF8.self)
    }
}

/// A field name's resolution, prepared once per rule set.
final class SigmaFieldPlan: Sendable {
    let name: String
    let nameBytes: [UInt8]
    let aliases: [[UInt8]]
    let systemPath: [String]?
    let systemPathBytes: [[UInt8]]?
    let ecsPaths: [String]
    let ecsPathBytes: [[UInt8]]

    init(_ name: String) {
        self.name = name
        nameBytes = Array(name.utf8)
        aliases = (SigmaFieldMapping.windowsAliases[name] ?? []).map { Array($0.utf8) }
        systemPath = SigmaFieldMapping.windowsSystem[name]
        systemPathBytes = systemPath.map { $0.map { Array($0.utf8) } }
        ecsPaths = SigmaFieldMapping.ecs[name] ?? []
        ecsPathBytes = ecsPaths.map { Array($0.utf8) }
    }
}
