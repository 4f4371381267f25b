/// Punycode (RFC 3492): how the `xn--` labels of an internationalized domain name spell Unicode in ASCII.
enum Punycode {
    /// The characters `input` (the ASCII of a label without its `xn--`) stands for, or nil when it is not valid
    /// Punycode: a digit that is not one, a number past 32 bits, or a code point that is not a Unicode scalar.
    static func decoded(_ input: [UInt8]) -> [Unicode.Scalar]? {
        let (base, tMin, tMax, skew, damp) = (36, 1, 26, 38, 700)
        let limit = Int(UInt32.max)
        // The ASCII characters come first, up to the last `-`; a `-` that starts the label is a digit instead.
        let delimiter = input.lastIndex(of: UInt8(ascii: "-")) ?? 0
        guard input[..<delimiter].allSatisfy({ $0 < 0x80 }) else { return nil }
        var output = input[..<delimiter].map { Unicode.Scalar($0) }
        var position = delimiter > 0 ? delimiter + 1 : 0
        var (code, index, bias) = (128, 0, 72)
        while position < input.count {
            let oldIndex = index
            var (weight, k) = (1, base)
            while true {
                guard position < input.count, let digit = digit(input[position]) else { return nil }
                position += 1
                guard digit <= (limit - index) / weight else { return nil }
                index += digit * weight
                let threshold = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                if digit < threshold { break }
                guard weight <= limit / (base - threshold) else { return nil }
                weight *= base - threshold
                k += base
            }
            let length = output.count + 1
            // The bias adaptation of RFC 3492 §6.1.
            var delta = oldIndex == 0 ? (index - oldIndex) / damp : (index - oldIndex) / 2
            delta += delta / length
            var shift = 0
            while delta > ((base - tMin) * tMax) / 2 {
                delta /= base - tMin
                shift += base
            }
            bias = shift + (base - tMin + 1) * delta / (delta + skew)
            guard index / length <= limit - code else { return nil }
            code += index / length
            index %= length
            guard code <= 0x10FFFF, let scalar = Unicode.Scalar(UInt32(code)) else { return nil }
            output.insert(scalar, at: index)
            index += 1
        }
        return output
    }

    /// A base-36 digit: `a`-`z` (either case) are 0-25, `0`-`9` are 26-35.
    private static func digit(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"): Int(byte - UInt8(ascii: "a"))
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): Int(byte - UInt8(ascii: "A"))
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0")) + 26
        default: nil
        }
    }
}
