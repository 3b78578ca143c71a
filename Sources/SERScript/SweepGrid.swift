import ArgumentParser
import Runtime

/// The axes of a sweep from `--grid name=v1,v2` and `--seeds s1,s2`, checked before any run starts.
struct SweepAxis: Equatable {
    let name: String
    let values: [String]
}

enum SweepGrid {
    /// The axis whose values go to each run's `--seed` rather than to a `param`.
    static let seedAxis = "seed"

    static func parse(grid: [String], seeds: String?) throws -> [SweepAxis] {
        var axes: [SweepAxis] = []
        for entry in grid {
            let (name, text) = try Assignment.parse(entry, flag: "--grid")
            guard !axes.contains(where: { $0.name == name }) else {
                throw ValidationError("--grid \(name) is given twice; list all its values in one --grid \(name)=v1,v2")
            }
            axes.append(SweepAxis(name: name, values: try values(text, flag: "--grid \(entry)")))
        }
        if let seeds {
            guard !axes.contains(where: { $0.name == seedAxis }) else {
                throw ValidationError("--seeds and --grid seed=… both give the seeds; use one")
            }
            axes.append(SweepAxis(name: seedAxis, values: try values(seeds, flag: "--seeds \(seeds)")))
        }
        for axis in axes where axis.name == seedAxis {
            if let bad = axis.values.first(where: { UInt64($0) == nil }) {
                throw ValidationError("seeds are non-negative integers, got '\(bad)'")
            }
        }
        return axes
    }

    private static func values(_ text: String, flag: String) throws -> [String] {
        let list = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard !list.contains(where: \.isEmpty) else { throw ValidationError("\(flag): empty value in the list") }
        var seen = Set<String>()
        for value in list where !seen.insert(value).inserted {
            throw ValidationError("\(flag): '\(value)' is listed twice")
        }
        return list
    }

    /// Each value converts to the type of its param's literal default (a float param rejects `abc`),
    /// as `--set` would at run time. (That each axis names a param is `ScriptRunner.checkOverrides`'s job.)
    static func check(_ axes: [SweepAxis], against program: Program) throws {
        for axis in axes {
            guard let fallback = program.literalDefault(of: axis.name) else { continue }
            for value in axis.values {
                do { _ = try ParameterOverride.convert(value, like: fallback) } catch {
                    throw UsageError(description: "--grid \(axis.name)=\(value): \(error)")
                }
            }
        }
    }
}
