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
    /// Plans for FFTW-aligned buffers (`Workspace`): these may use SIMD codelets, which
    /// `FFTW_UNALIGNED` plans cannot.
    private let alignedForwardPlan: fftwf_plan
    private let alignedInversePlan: fftwf_plan

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
        var plans: [fftwf_plan] = []
        for flags in [UInt32(FFTW_ESTIMATE) | UInt32(FFTW_UNALIGNED), UInt32(FFTW_ESTIMATE)] {
            // c2r destroys its input by default; PRESERVE_INPUT keeps callers' spectra intact.
            guard let forward = fftwf_plan_dft_r2c_1d(Int32(size), real, complex, flags),
                  let inverse = fftwf_plan_dft_c2r_1d(Int32(size), complex, real, flags | UInt32(FFTW_PRESERVE_INPUT)) else {
                plans.forEach(fftwf_destroy_plan)
                throw FFTError.planningFailed(size)
            }
            plans += [forward, inverse]
        }
        (forwardPlan, inversePlan, alignedForwardPlan, alignedInversePlan) = (plans[0], plans[1], plans[2], plans[3])
    }

    deinit {
        [forwardPlan, inversePlan, alignedForwardPlan, alignedInversePlan].forEach(fftwf_destroy_plan)
    }

    /// Buffers allocated by FFTW with its SIMD alignment, sized for one transform of this size:
    /// `input` holds `size` reals, `output` `binCount` interleaved complex values. One per thread.
    public final class Workspace {
        /// `size` real samples (time domain).
        public let input: UnsafeMutablePointer<Float>
        /// `2 · binCount` floats: interleaved (re, im) bins (frequency domain).
        public let output: UnsafeMutablePointer<Float>
        /// Real samples in `input`.
        public let size: Int

        fileprivate init(size: Int) {
            self.size = size
            input = fftwf_alloc_real(size)
            output = fftwf_alloc_real(2 * (size / 2 + 1))
            input.initialize(repeating: 0, count: size)
            output.initialize(repeating: 0, count: 2 * (size / 2 + 1))
        }

        deinit {
            fftwf_free(input)
            fftwf_free(output)
        }
    }

    /// Fresh aligned buffers for `forward(_:)` / `inverse(_:)`.
    public func makeWorkspace() -> Workspace { Workspace(size: size) }

    /// Forward transform of `workspace.input` into `workspace.output` on the SIMD-capable plan.
    /// A workspace made for another size is refused (returns false) rather than overrun.
    @discardableResult
    public func forward(_ workspace: Workspace) -> Bool {
        guard workspace.size == size else { return false }
        workspace.output.withMemoryRebound(to: fftwf_complex.self, capacity: binCount) { bins in
            fftwf_execute_dft_r2c(alignedForwardPlan, workspace.input, bins)
        }
        return true
    }

    /// Inverse transform of `workspace.output` into `workspace.input` (unnormalised, like `inverse`).
    @discardableResult
    public func inverse(_ workspace: Workspace) -> Bool {
        guard workspace.size == size else { return false }
        workspace.output.withMemoryRebound(to: fftwf_complex.self, capacity: binCount) { bins in
            fftwf_execute_dft_c2r(alignedInversePlan, bins, workspace.input)
        }
        return true
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
