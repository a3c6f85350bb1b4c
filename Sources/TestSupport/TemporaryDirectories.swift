import Foundation
import Synchronization

/// Fresh temporary directories for tests, optionally removed when the process exits.
public enum TemporaryDirectories {
    /// A new, empty, private (0700) directory under the system temporary directory.
    public static func make(prefix: String = "mwrasp-test") throws(TestSupportError) -> String {
        var base = NSTemporaryDirectory()
        while base.hasSuffix("/") { base.removeLast() }
        var template = Array("\(base)/\(prefix)-XXXXXX".utf8CString)
        guard let result = mkdtemp(&template) else { throw .system(call: "mkdtemp", errno: errno) }
        return String(cString: result)
    }

    /// Registers `path` for recursive removal at process exit.
    public static func removeAtExit(_ path: String) {
        _ = registerExitHandler
        pending.withLock { $0.append(path) }
    }

    private static let pending = Mutex<[String]>([])

    private static let registerExitHandler: Void = {
        atexit {
            let paths = TemporaryDirectories.pending.withLock { $0 }
            for path in paths { try? FileManager.default.removeItem(atPath: path) }
        }
    }()
}
