import EngineTensor

/// How a centred analysis extends the signal past its ends (numpy.pad modes librosa accepts).
public enum PadMode: String, CaseIterable, Sendable {
    /// Zeros: librosa ≥ 0.10's default for `center=True`.
    case constant
    /// Mirror without repeating the edge sample (`abc|ba`), librosa < 0.10's default.
    case reflect
    /// Repeat the edge sample (used by zero_crossing_rate).
    case edge
}

extension Array where Element == Float {
    /// The array with `count` samples added on both sides in `mode`, as numpy.pad does it.
    package func padded(by count: Int, mode: PadMode) -> [Float] {
        let n = self.count
        guard count > 0 else { return self }
        var out = [Float](repeating: 0, count: n + 2 * count)
        out.replaceSubrange(count..<count + n, with: self)
        guard n > 0, mode != .constant else { return out }
        for i in 0..<count {
            out[count - 1 - i] = self[sourceIndex(-1 - i, mode: mode)]
            out[count + n + i] = self[sourceIndex(n + i, mode: mode)]
        }
        return out
    }

    /// The sample at position `i` of the padded signal's frame of reference: `self[i]` inside,
    /// the padding value outside. `base` is this array's storage; the array is not empty.
    @inline(__always)
    func paddedSample(at i: Int, mode: PadMode, base: UnsafePointer<Float>) -> Float {
        if i >= 0, i < count { return base[i] }
        return mode == .constant ? 0 : base[sourceIndex(i, mode: mode)]
    }

    /// Index into `self` that padding position `i` (negative or ≥ count) copies.
    private func sourceIndex(_ i: Int, mode: PadMode) -> Int {
        let n = count
        if mode == .edge || n == 1 { return i < 0 ? 0 : n - 1 }
        // reflect: period 2(n − 1), mirrored about the first and last samples.
        let period = 2 * (n - 1)
        var j = i % period
        if j < 0 { j += period }
        return j < n ? j : period - j
    }
}
