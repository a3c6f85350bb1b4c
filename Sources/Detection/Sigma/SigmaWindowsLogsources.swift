/// Windows channel -> Sigma service, and provider + event id -> Sigma categories, following
/// pySigma's Windows and Sysmon pipelines (the mapping SIEM backends apply).
public enum SigmaWindowsLogsources {
    /// Channel (lowercased) -> service.
    public static let services: [String: String] = [
        "security": "security",
        "system": "system",
        "application": "application",
        "microsoft-windows-sysmon/operational": "sysmon",
        "microsoft-windows-powershell/operational": "powershell",
        "powershellcore/operational": "powershell",
        "windows powershell": "powershell-classic",
        "microsoft-windows-taskscheduler/operational": "taskscheduler",
        "microsoft-windows-wmi-activity/operational": "wmi",
        "dns server": "dns-server",
        "microsoft-windows-dns-server/analytical": "dns-server-analytic",
        "microsoft-windows-dns-client/operational": "dns-client",
        "microsoft-windows-windows defender/operational": "windefend",
        "microsoft-windows-bits-client/operational": "bits-client",
        "microsoft-windows-codeintegrity/operational": "codeintegrity-operational",
        "microsoft-windows-appxdeploymentserver/operational": "appxdeployment-server",
        "microsoft-windows-appxpackaging/operational": "appxpackaging-om",
        "msexchange management": "msexchange-management",
        "microsoft-windows-windows firewall with advanced security/firewall": "firewall-as",
        "microsoft-windows-ntlm/operational": "ntlm",
        "microsoft-windows-security-mitigations/kernel mode": "security-mitigations",
        "microsoft-windows-security-mitigations/user mode": "security-mitigations",
        "microsoft-windows-smbclient/security": "smbclient-security",
        "microsoft-windows-smbclient/connectivity": "smbclient-connectivity",
        "microsoft-windows-smbserver/connectivity": "smbserver-connectivity",
        "microsoft-windows-applocker/exe and dll": "applocker",
        "microsoft-windows-applocker/msi and script": "applocker",
        "microsoft-windows-applocker/packaged app-deployment": "applocker",
        "microsoft-windows-applocker/packaged app-execution": "applocker",
        "microsoft-windows-terminalservices-localsessionmanager/operational": "terminalservices-localsessionmanager",
        "microsoft-windows-printservice/admin": "printservice-admin",
        "microsoft-windows-printservice/operational": "printservice-operational",
        "microsoft-windows-lsa/operational": "lsa-server",
        "microsoft-windows-shell-core/operational": "shell-core",
        "microsoft-windows-driverframeworks-usermode/operational": "driver-framework",
        "microsoft-windows-diagnosis-scripted/operational": "diagnosis-scripted",
        "microsoft-servicebus-client": "microsoft-servicebus-client",
        "microsoft-windows-iis-configuration/operational": "iis-configuration",
        "openssh/operational": "openssh",
        "microsoft-windows-ldap-client/debug": "ldap",
        "microsoft-windows-capi2/operational": "capi2",
        "microsoft-windows-certificateservicesclient-lifecycle-system/operational": "certificateservicesclient-lifecycle-system",
        "microsoft-windows-appmodel-runtime/admin": "appmodel-runtime",
        "microsoft-windows-kernel-shimengine/operational": "shimengine",
        "microsoft-windows-vhdmp/operational": "vhdmp",
        "microsoft-windows-hyper-v-worker-admin": "hyper-v-worker",
        "microsoft-windows-ntfs/operational": "ntfs",
        "microsoft-windows-bitlocker/bitlocker management": "bitlocker",
        "microsoft-windows-wmi-activity/trace": "wmi",
    ]

    /// Sysmon event id -> categories.
    static let sysmon: [Int: [String]] = [
        1: ["process_creation"], 2: ["file_change"], 3: ["network_connection"], 5: ["process_termination"],
        6: ["driver_load"], 7: ["image_load"], 8: ["create_remote_thread"], 9: ["raw_access_thread"],
        10: ["process_access"], 11: ["file_event"],
        13: ["registry_set", "registry_event"], 14: ["registry_rename", "registry_event"],
        15: ["create_stream_hash"], 17: ["pipe_created"], 18: ["pipe_created"],
        19: ["wmi_event"], 20: ["wmi_event"], 21: ["wmi_event"], 22: ["dns_query"], 23: ["file_delete"],
        24: ["clipboard_capture"], 25: ["process_tampering"], 26: ["file_delete_detected"],
        27: ["file_block_executable"], 28: ["file_block_shredding"], 29: ["file_executable_detected"],
    ]

    /// The categories of one Windows event (none when it has no Sigma category).
    public static func categories(provider: String?, channel: String?, eventID: Int, eventType: String?) -> [String] {
        let provider = provider?.lowercased() ?? ""
        let channel = channel?.lowercased() ?? ""
        if provider == "microsoft-windows-sysmon" || channel == "microsoft-windows-sysmon/operational" {
            if eventID == 12 {
                let deletes = eventType == "DeleteKey" || eventType == "DeleteValue"
                return [deletes ? "registry_delete" : "registry_add", "registry_event"]
            }
            return sysmon[eventID] ?? []
        }
        if (provider == "microsoft-windows-security-auditing" || channel == "security") && eventID == 4688 {
            return ["process_creation"]
        }
        if provider == "microsoft-windows-powershell" || provider == "powershellcore" {
            switch eventID {
            case 4103: return ["ps_module"]
            case 4104: return ["ps_script"]
            default: return []
            }
        }
        if channel == "windows powershell" || provider == "powershell" {
            switch eventID {
            case 400: return ["ps_classic_start"]
            case 600: return ["ps_classic_provider_start"]
            case 800: return ["ps_classic_script"]
            default: return []
            }
        }
        return []
    }
}
