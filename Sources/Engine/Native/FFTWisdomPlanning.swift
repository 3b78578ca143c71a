import CFFTW
import Foundation

/// How `RealFFT` uses the committed FFTW_PATIENT wisdom (`FFTWisdom`), and how it is regenerated.
///
/// FFTW_MEASURE / FFTW_PATIENT at run time pick plans by timing, so the plan (and the float
/// rounding of every transform) could change from run to run. Wisdom timed once and committed
/// gives the faster plans with a fixed choice; FFTW_ESTIMATE covers what the wisdom does not.
extension RealFFT {
    nonisolated(unsafe) private static var wisdomLoaded = false
    nonisolated(unsafe) private static var wisdomAccepted = false

    /// Whether the committed wisdom was accepted on this machine (imported by this FFTW build and
    /// reproducing every plan of every size it lists), so those sizes get its plans.
    static var usesWisdom: Bool {
        plannerLock.lock()
        defer { plannerLock.unlock() }
        loadWisdomOnce()
        return wisdomAccepted
    }

    /// Planner flags that take a plan from wisdom at FFTW_PATIENT level or return nil, never timing.
    private static let wisdomOnly = UInt32(FFTW_PATIENT) | UInt32(FFTW_WISDOM_ONLY)

    /// A plan from the wisdom when it covers the problem, else FFTW's (deterministic) estimate.
    static func wisdomElseEstimate(_ make: (UInt32) -> fftwf_plan?) -> fftwf_plan? {
        make(wisdomOnly) ?? make(UInt32(FFTW_ESTIMATE))
    }

    /// Imports the committed wisdom on first planning; call with `plannerLock` held.
    ///
    /// The wisdom is kept only if every plan it was made for can be rebuilt from it. Otherwise (a CPU
    /// without the SIMD codelets it names) it is forgotten at once: FFTW_ESTIMATE also consults
    /// wisdom, and on meeting an unusable entry FFTW silently forgets all wisdom, so which sizes got
    /// wisdom plans would depend on the order sizes were first planned in.
    static func loadWisdomOnce() {
        guard !wisdomLoaded else { return }
        wisdomLoaded = true
        // FFTW rejects wisdom from another version or build as a whole (returns 0, imports nothing).
        guard fftwf_import_wisdom_from_string(FFTWisdom.text) == 1 else { return }
        let complete = FFTWisdom.sizes.allSatisfy { size in
            guard let plans = makePlans(size: size, using: { $0(wisdomOnly) }) else { return false }
            plans.forEach(fftwf_destroy_plan)
            return true
        }
        if complete { wisdomAccepted = true } else { fftwf_forget_wisdom() }
    }

    /// FFTW_PATIENT wisdom for every plan `of(size:)` makes for `sizes`, as FFTW's wisdom text.
    /// For the `FFTWisdom` generator only: it drops all wisdom first, then plans by timing (slow,
    /// and the choices differ between runs). Transforms already made keep their plans.
    @_spi(WisdomGenerator)
    public static func patientWisdom(sizes: [Int]) throws -> String {
        plannerLock.lock()
        defer { plannerLock.unlock() }
        (wisdomLoaded, wisdomAccepted) = (true, false)   // the committed wisdom must not seed the search
        fftwf_forget_wisdom()
        for size in sizes {
            guard let plans = makePlans(size: size, using: { $0(UInt32(FFTW_PATIENT)) }) else {
                throw FFTError.planningFailed(size)
            }
            plans.forEach(fftwf_destroy_plan)
        }
        guard let text = fftwf_export_wisdom_to_string() else { throw FFTError.wisdomExportFailed }
        defer { free(text) }
        return String(cString: text)
    }

    /// The CPU as far as it decides which wisdom applies (`Host.cpu`).
    @_spi(WisdomGenerator)
    public static var cpuDescription: String { Host.cpu }
}
