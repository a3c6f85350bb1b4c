extension SigmaRuleSet {
    /// Builds ahead the plans of the Windows logsources that busy feeds carry (every Sysmon
    /// event id, Security 4688, PowerShell 4103/4104, each channel's service alone), so the
    /// first such event after a start or a rule change does not pay for its plan (tens of ms
    /// with SigmaHQ's rule set). Call it off the hot path; other logsources are still built on
    /// their first event. Returns how many plans it built.
    @discardableResult
    public func preparePlans() -> Int {
        var logsources: [SigmaEventLogsource] = []
        let sysmonChannel = "microsoft-windows-sysmon/operational"
        for eventID in SigmaWindowsLogsources.sysmon.keys.sorted() + [12] {
            for eventType in eventID == 12 ? ["CreateKey", "DeleteKey"] : [nil] as [String?] {
                let categories = SigmaWindowsLogsources.categories(
                    provider: "Microsoft-Windows-Sysmon", channel: sysmonChannel, eventID: eventID, eventType: eventType)
                logsources.append(SigmaEventLogsource(product: "windows", service: "sysmon", categories: categories))
            }
        }
        logsources.append(SigmaEventLogsource(product: "windows", service: "security", categories: ["process_creation"]))
        logsources.append(SigmaEventLogsource(product: "windows", service: "powershell", categories: ["ps_module"]))
        logsources.append(SigmaEventLogsource(product: "windows", service: "powershell", categories: ["ps_script"]))
        for service in Set(SigmaWindowsLogsources.services.values).sorted() {
            logsources.append(SigmaEventLogsource(product: "windows", service: service, categories: []))
        }
        for logsource in logsources { _ = index.plan(logsource) }
        return logsources.count
    }
}
