import Foundation

/// The machine a run happens on, as far as it can change results or speed.
public enum Host {
    /// The CPU model and the x86 SIMD extensions FFTW and OpenBLAS pick kernels by
    /// ("unknown" where /proc/cpuinfo is absent).
    public static var cpu: String {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown" }
        let lines = info.split(separator: "\n")
        func field(_ name: String) -> Substring? {
            lines.first { $0.hasPrefix(name) }.flatMap { $0.split(separator: ":", maxSplits: 1).last }
        }
        let model = field("model name").map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"
        let flags = Set((field("flags") ?? "").split(separator: " ").map(String.init))
        let simd = ["sse2", "avx", "avx2", "fma", "avx512f"].filter(flags.contains)
        return "\(model) (\(simd.joined(separator: " ")))"
    }

    /// The kernel and its release, e.g. "Linux 6.1.0-18-amd64".
    public static var operatingSystem: String {
        var names = utsname()
        guard uname(&names) == 0 else { return ProcessInfo.processInfo.operatingSystemVersionString }
        func text<T>(_ field: T) -> String {
            withUnsafeBytes(of: field) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        }
        return "\(text(names.sysname)) \(text(names.release))"
    }

    /// Logical processors available to this process.
    public static var logicalCores: Int { ProcessInfo.processInfo.activeProcessorCount }
}
