import CFFTW
import Foundation

/// A single-precision real FFT of one size on FFTW plans.
///
/// Plans are made once per size (FFTW's planner is not thread-safe, so creation is serialised)
/// and then executed with FFTW's new-array interface, which is safe from several threads at once.
/// Plans are created with `FFTW_UNALIGNED` so that any buffer may be passed.
public final class RealFFT: @unchecked Sendable {
    /// Number of real samples per transform.
    public let size: Int
    /// Number of complex bins a forward transform yields: `size / 2 + 1`.
    public var binCount: Int { size / 2 + 1 }

    private let forwardPlan: fftwf_plan
    private let inversePlan: fftwf_plan

    private static let plannerLock = NSLock()
    nonisolated(unsafe) private static var cache: [Int: RealFFT] = [:]

    /// The shared transform for `size` real samples (`size ≥ 1`), planned on first use.
    public static func of(size: Int) throws -> RealFFT {
        guard size >= 1 else { throw FFTError.invalidSize(size) }
        plannerLock.lock()
        defer { plannerLock.unlock() }
        if let plan = cache[size] { return plan }
        let plan = try RealFFT(plannedSize: size)
        cache[size] = plan
        return plan
    }

    private init(plannedSize size: Int) throws {
        self.size = size
        let real = fftwf_alloc_real(size)
        let complex = fftwf_alloc_complex(size / 2 + 1)
        defer { fftwf_free(real); fftwf_free(complex) }
        let flags = UInt32(FFTW_ESTIMATE) | UInt32(FFTW_UNALIGNED)
        guard let forward = fftwf_plan_dft_r2c_1d(Int32(size), real, complex, flags) else {
            throw FFTError.planningFailed(size)
        }
        // c2r destroys its input by default; PRESERVE_INPUT keeps callers' spectra intact.
        guard let inverse = fftwf_plan_dft_c2r_1d(Int32(size), complex, real,
                                                   flags | UInt32(FFTW_PRESERVE_INPUT)) else {
            fftwf_destroy_plan(forward)
            throw FFTError.planningFailed(size)
        }
        forwardPlan = forward
        inversePlan = inverse
    }

    deinit {
        fftwf_destroy_plan(forwardPlan)
        fftwf_destroy_plan(inversePlan)
    }

    /// Forward transform of `size` real samples into `binCount` complex bins,
    /// written interleaved as `re, im` pairs (`2 · binCount` floats). Unnormalised, like numpy.
    public func forward(_ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>) {
        output.withMemoryRebound(to: fftwf_complex.self, capacity: binCount) { bins in
            fftwf_execute_dft_r2c(forwardPlan, UnsafeMutablePointer(mutating: input), bins)
        }
    }

    /// Inverse of `forward`: `binCount` interleaved complex bins to `size` real samples.
    /// Unnormalised: the result is `size` times the original signal, as FFTW defines it.
    public func inverse(_ input: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>) {
        UnsafeMutablePointer(mutating: input).withMemoryRebound(to: fftwf_complex.self,
                                                                capacity: binCount) { bins in
            fftwf_execute_dft_c2r(inversePlan, bins, output)
        }
    }
}

/// Failures of the FFT layer.
public enum FFTError: Error, CustomStringConvertible {
    case invalidSize(Int)
    case planningFailed(Int)

    public var description: String {
        switch self {
        case .invalidSize(let n): return "FFT size must be at least 1, got \(n)"
        case .planningFailed(let n): return "FFTW could not plan a transform of size \(n)"
        }
    }
}
