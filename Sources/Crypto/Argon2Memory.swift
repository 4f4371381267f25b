import Glibc

/// The memory matrix of one Argon2 run (RFC 9106 §3.2): p lanes of q 1 KiB blocks, each lane cut
/// into four slices. Owns its mapping, and unmaps it on the way out, since every block derives from the
/// password.
struct Argon2Memory: ~Copyable {
    /// 128 little-endian 64-bit words per block, lanes one after another.
    private let words: UnsafeMutablePointer<UInt64>
    /// Five scratch blocks: address generation (3) and the compression function (2).
    private let scratch: UnsafeMutablePointer<UInt64>
    private let blockCount: Int
    /// The length of the mapping that holds the blocks and the scratch blocks.
    private let mappedBytes: Int
    private let lanes: Int
    private let laneLength: Int
    private let segmentLength: Int
    private let passes: Int
    private let variant: Argon2.Variant

    init(parameters: Argon2.Parameters, variant: Argon2.Variant) throws(Argon2Error) {
        lanes = Int(parameters.parallelism)
        // RFC 9106 §3.2 step 2: m' = 4p * floor(m / 4p) blocks (m >= 8p was checked).
        blockCount = 4 * lanes * (Int(parameters.memoryKiB) / (4 * lanes))
        laneLength = blockCount / lanes
        segmentLength = laneLength / 4
        passes = Int(parameters.iterations)
        self.variant = variant
        let (blocks, overflow) = blockCount.addingReportingOverflow(5)
        let (bytes, tooLarge) = blocks.multipliedReportingOverflow(by: 1024)
        // A mapping of its own rather than malloc: after glibc frees one block this large it raises its mmap
        // threshold, so the next ones come from a thread's arena and stay resident after the hash (issue 14 saw
        // 148 MiB after ten logins). munmap hands the pages straight back, so the resident memory of hashing is
        // bounded by the hashes running at once. MAP_POPULATE maps every page in one call rather than one fault per
        // page (measured: less system time per hash). A huge cost throws instead of trapping.
        guard !overflow, !tooLarge else { throw .outOfMemory(kibibytes: Int(parameters.memoryKiB)) }
        let memory = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0)
        guard let memory, memory != MAP_FAILED else { throw .outOfMemory(kibibytes: Int(parameters.memoryKiB)) }
        mappedBytes = bytes
        words = memory.bindMemory(to: UInt64.self, capacity: blocks * 128)
        scratch = words + blockCount * 128
    }

    deinit {
        // No wipe needed: once unmapped, the pages are unreachable from this process, and the kernel zeroes a
        // page before it maps it anywhere again.
        munmap(words, mappedBytes)
    }

    /// The block at `index` (lane-major).
    @inline(__always)
    private func block(_ index: Int) -> UnsafeMutablePointer<UInt64> { words + index * 128 }

    // MARK: - Filling

    /// RFC 9106 §3.2 steps 3-6: the first two blocks of each lane from H0, then every pass,
    /// slice by slice. Lanes of one slice never reference each other's current segment, so
    /// filling them in turn gives the same result as filling them in parallel.
    func fill(initialHash h0: [UInt8]) {
        for lane in 0..<lanes {
            for column in 0..<2 {
                var seed = h0
                withUnsafeBytes(of: UInt32(column).littleEndian) { seed += $0 }
                withUnsafeBytes(of: UInt32(lane).littleEndian) { seed += $0 }
                let bytes = Argon2.variableLengthHash(seed, byteCount: 1024)
                bytes.withUnsafeBytes { source in
                    let target = block(lane * laneLength + column)
                    for word in 0..<128 { target[word] = source.baseAddress!.littleEndianUInt64(at: word * 8) }
                }
            }
        }
        for pass in 0..<passes {
            for slice in 0..<4 {
                for lane in 0..<lanes { fillSegment(pass: pass, slice: slice, lane: lane) }
            }
        }
    }

    /// RFC 9106 §3.2 step 7: the XOR of the last block of every lane, as little-endian bytes.
    func finalBlock() -> [UInt8] {
        var result = [UInt64](repeating: 0, count: 128)
        for lane in 0..<lanes {
            let last = block(lane * laneLength + laneLength - 1)
            for word in 0..<128 { result[word] ^= last[word] }
        }
        return result.flatMap { word in withUnsafeBytes(of: word.littleEndian) { Array($0) } }
    }

    /// Computes one segment: `segmentLength` blocks of one lane in one slice.
    private func fillSegment(pass: Int, slice: Int, lane: Int) {
        // RFC 9106 §3.4: Argon2id uses Argon2i addressing in the first two slices of pass 0.
        let independent = variant == .argon2i || (variant == .argon2id && pass == 0 && slice < 2)
        let addresses = scratch, input = scratch + 128, zero = scratch + 256
        if independent {
            // §3.4.1.2: Z = (r, l, sl, m', t, y, counter, zeros).
            zero.initialize(repeating: 0, count: 128)
            input.initialize(repeating: 0, count: 128)
            for (index, value) in [pass, lane, slice, blockCount, passes, Int(variant.rawValue)].enumerated() {
                input[index] = UInt64(value)
            }
        }
        // The first two blocks of each lane came from H0.
        let first = pass == 0 && slice == 0 ? 2 : 0
        if independent && first != 0 { nextAddresses(addresses, input, zero) }
        var current = lane * laneLength + slice * segmentLength + first
        for index in first..<segmentLength {
            let previous = current % laneLength == 0 ? current + laneLength - 1 : current - 1
            if independent && index % 128 == 0 { nextAddresses(addresses, input, zero) }
            let pseudoRandom = independent ? addresses[index % 128] : block(previous)[0]
            let reference = referenceBlock(pseudoRandom, pass: pass, slice: slice, lane: lane, index: index)
            // §3.2 step 6 (version 0x13): later passes XOR the new block into the old one.
            Self.compress(block(previous), block(reference), into: block(current), xorInto: pass > 0, scratch: scratch + 384)
            current += 1
        }
    }

    /// §3.4.1.2: the next 128 pseudo-random words, G(0, G(0, Z)) with Z's counter incremented.
    private func nextAddresses(_ addresses: UnsafeMutablePointer<UInt64>, _ input: UnsafeMutablePointer<UInt64>,
                               _ zero: UnsafeMutablePointer<UInt64>) {
        input[6] &+= 1
        Self.compress(zero, input, into: addresses, xorInto: false, scratch: scratch + 384)
        Self.compress(zero, addresses, into: addresses, xorInto: false, scratch: scratch + 384)
    }

    /// §3.4.2: maps J1 (low 32 bits) and J2 (high 32 bits) to the index of the reference block.
    @inline(__always)
    private func referenceBlock(_ pseudoRandom: UInt64, pass: Int, slice: Int, lane: Int, index: Int) -> Int {
        // In the first slice of the first pass only the current lane exists yet.
        let referenceLane = pass == 0 && slice == 0 ? lane : Int((pseudoRandom >> 32) % UInt64(lanes))
        let sameLane = referenceLane == lane
        // W: the blocks already computed that may be referenced, never the previous block of this
        // lane when it is the one being extended, nor a block of another lane's current segment.
        let areaSize: Int
        if pass == 0 {
            areaSize = slice * segmentLength + (sameLane ? index - 1 : (index == 0 ? -1 : 0))
        } else {
            areaSize = laneLength - segmentLength + (sameLane ? index - 1 : (index == 0 ? -1 : 0))
        }
        // x = J1^2 / 2^32; y = |W| * x / 2^32; zz = |W| - 1 - y.
        let j1 = pseudoRandom & 0xFFFF_FFFF
        let x = (j1 &* j1) >> 32
        let relative = UInt64(areaSize) - 1 - ((UInt64(areaSize) &* x) >> 32)
        let start = pass == 0 || slice == 3 ? 0 : (slice + 1) * segmentLength
        return referenceLane * laneLength + (start + Int(relative)) % laneLength
    }
}
