import EngineTensor

/// `|X|²` of a run of spectra, written bin-major (`block[f · stride + k]` for frame `k`, bin `f`) so
/// that the mel filterbank can then run across frames as vector multiply-adds. Four frames and two
/// bins at a time are squared, paired and transposed in registers; a frame-at-a-time loop with
/// strided stores cost more than the FFT's post-processing.
enum PowerTranspose {
    static func powers(_ spectra: ArraySlice<RealFFT.Workspace>, bins: Int,
                       into block: UnsafeMutablePointer<Float>, stride: Int) {
        let used = spectra.count, base = spectra.startIndex
        var k = 0
        while k &+ 4 <= used {
            let a = spectra[base + k].output, b = spectra[base + k + 1].output
            let c = spectra[base + k + 2].output, d = spectra[base + k + 3].output
            var f = 0
            while f &+ 2 <= bins {
                // (re_f, im_f, re_f+1, im_f+1) of each frame, squared, then summed in pairs.
                let ab = squares(a + 2 &* f, b + 2 &* f), cd = squares(c + 2 &* f, d + 2 &* f)
                let abPowers = ab.evenHalf + ab.oddHalf          // a_f, a_f+1, b_f, b_f+1
                let cdPowers = cd.evenHalf + cd.oddHalf          // c_f, c_f+1, d_f, d_f+1
                let both = SIMD8(lowHalf: abPowers, highHalf: cdPowers)
                UnsafeMutableRawPointer(block + (f &* stride &+ k)).storeBytes(of: both.evenHalf, as: SIMD4<Float>.self)
                UnsafeMutableRawPointer(block + ((f &+ 1) &* stride &+ k)).storeBytes(of: both.oddHalf, as: SIMD4<Float>.self)
                f &+= 2
            }
            for j in 0..<4 { scalarPowers(spectra[base + k + j].output, bins: f..<bins, into: block + k + j, stride: stride) }
            k &+= 4
        }
        while k < used {
            scalarPowers(spectra[base + k].output, bins: 0..<bins, into: block + k, stride: stride)
            k &+= 1
        }
    }

    @inline(__always)
    private static func squares(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>) -> SIMD8<Float> {
        let v = SIMD8(lowHalf: UnsafeRawPointer(x).loadUnaligned(as: SIMD4<Float>.self),
                      highHalf: UnsafeRawPointer(y).loadUnaligned(as: SIMD4<Float>.self))
        return v * v
    }

    private static func scalarPowers(_ spectrum: UnsafePointer<Float>, bins: Range<Int>,
                                     into column: UnsafeMutablePointer<Float>, stride: Int) {
        for f in bins {
            column[f * stride] = spectrum[2 * f] * spectrum[2 * f] + spectrum[2 * f + 1] * spectrum[2 * f + 1]
        }
    }
}
