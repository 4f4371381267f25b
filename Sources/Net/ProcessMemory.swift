import CLinux

/// How the process's allocator treats large blocks.
public enum ProcessMemory {
    /// Makes blocks of `bytes` or more (128 KiB by default) mapped of their own and handed back to the kernel when
    /// freed. glibc's default threshold rises to the size of each such block freed, after which later ones (an inflated
    /// request body, a large answer) come from the threads' arenas and stay resident; a fixed threshold does not move.
    /// Call before the threads start.
    public static func returnLargeBlocksToTheKernel(atLeast bytes: Int = 128 * 1024) {
        _ = clinux_fix_mmap_threshold(Int32(bytes))
    }
}
