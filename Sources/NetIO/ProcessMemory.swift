import CSystemLinux

/// The process's heap, as the operating system sees it.
public enum ProcessMemory {
    /// Gives memory that glibc's allocator holds free back to the system (`malloc_trim`).
    /// Without it, RSS stays at the high-water mark of the largest burst (bulk bodies, batches).
    public static func returnFreedMemory() {
        _ = mwrasp_malloc_trim()
    }
}
