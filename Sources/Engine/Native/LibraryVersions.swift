import CBLAS
import CFFTW
import CSndFile
import CSoxr
import Foundation

/// The versions of the C libraries this process runs on, as each library reports itself: part of a
/// run's record, since BLAS builds and FFT codelets can change results in their last bits.
public enum LibraryVersions {
    /// Library name → its own version string (OpenBLAS: its build configuration, which names the
    /// kernel it chose for this CPU).
    public static var current: [String: String] {
        [
            "openblas": String(cString: openblas_get_config()).trimmingCharacters(in: .whitespaces),
            "fftw": String(cString: serscript_fftwf_version()),
            "libsndfile": String(cString: sf_version_string()),
            "soxr": String(cString: soxr_version()),
        ]
    }
}
