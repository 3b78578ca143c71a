import CFFTW
import Foundation

/// A single-precision real FFT of one size on FFTW plans.
///
/// Plans are made once per size (FFTW's planner is not thread-safe, so creation is serialised)
/// and then executed with FFTW's new-array interface, which is safe from several threads at once.
/// The pointer methods use `FFTW_UNALIGNED` plans so that any buffer may be passed. Plans come from
/// the FFTW_PATIENT wisdom committed in `FFTWisdom.swift` when it covers the size on this machine,
/// else from FFTW's estimator: never from run-time timing, so results are bitwise reproducible.
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

    /// Guards every FFTW planner call, the cache and the wisdom state (see FFTWisdomPlanning.swift).
    static let plannerLock = NSLock()
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

    /// A transform planned afresh and not cached, so tests can compare new plans with cached ones.
    package static func planned(size: Int) throws -> RealFFT {
        guard size >= 1 else { throw FFTError.invalidSize(size) }
        plannerLock.lock()
        defer { plannerLock.unlock() }
        return try RealFFT(plannedSize: size)
    }

    private init(plannedSize size: Int) throws {
        self.size = size
        Self.loadWisdomOnce()
        guard let plans = Self.makePlans(size: size, using: Self.wisdomElseEstimate) else {
            throw FFTError.planningFailed(size)
        }
        (forwardPlan, inversePlan, alignedForwardPlan, alignedInversePlan) = (plans[0], plans[1], plans[2], plans[3])
    }

    /// The four plans of one size, in the order unaligned r2c, c2r, aligned r2c, c2r, planned on
    /// `fftwf_alloc`'d arrays (so the aligned ones may use SIMD). `plan` is handed a maker that takes
    /// the planner-rigor flags and returns the plan (nil on failure). Nil, with nothing leaked, when
    /// any plan fails. The wisdom generator plans through this too, so it times exactly these problems.
    static func makePlans(size: Int, using plan: ((UInt32) -> fftwf_plan?) -> fftwf_plan?) -> [fftwf_plan]? {
        guard let n = Int32(exactly: size) else { return nil }
        let real = fftwf_alloc_real(size)
        let complex = fftwf_alloc_complex(size / 2 + 1)
        defer { fftwf_free(real); fftwf_free(complex) }
        // c2r destroys its input by default; PRESERVE_INPUT keeps callers' spectra intact.
        let preserve = UInt32(FFTW_PRESERVE_INPUT)
        let makers: [(UInt32) -> fftwf_plan?] = [UInt32(FFTW_UNALIGNED), 0].flatMap { layout in
            [{ fftwf_plan_dft_r2c_1d(n, real, complex, layout | $0) },
             { fftwf_plan_dft_c2r_1d(n, complex, real, layout | preserve | $0) }]
        }
        var plans: [fftwf_plan] = []
        for make in makers {
            guard let made = plan(make) else {
                plans.forEach(fftwf_destroy_plan)
                return nil
            }
            plans.append(made)
        }
        return plans
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
    case wisdomExportFailed

    public var description: String {
        switch self {
        case .invalidSize(let n): return "FFT size must be at least 1, got \(n)"
        case .planningFailed(let n): return "FFTW could not plan a transform of size \(n)"
        case .wisdomExportFailed: return "FFTW could not export its wisdom"
        }
    }
}
