import Engine
import Foundation

/// `cross_validate` under mpirun: the fold × seed runs go to whichever rank is free (rank 0 hands
/// them out, `DynamicTasks`), each rank trains its runs alone, and every rank ends with all the
/// scores in run order — so the script carries on identically everywhere and rank 0 writes the
/// table. A run that fails fails `cross_validate` on every rank, with the rank's error.
enum CrossValidationRanks {
    static func run(count: Int, _ runOne: @escaping (Int) throws -> FoldScore) throws -> [FoldScore] {
        let world = Cluster.world
        let tasks = DynamicTasks(count: count, communicator: world)
        let gathered = try Cluster.whileTrainingAlone {
            try tasks.run { index in
                do { return message(.success(try runOne(index)), rank: world.rank) } catch {
                    return message(.failure(error), rank: world.rank)
                }
            }
        }
        // Rank 0 holds every result; the others receive them.
        let all = try world.broadcast(Array(JSONValue.array(gathered.map { bytes in
            bytes.flatMap { try? JSONValue.parse(String(decoding: $0, as: UTF8.self)) } ?? .null
        }).encoded().utf8), from: 0)
        guard let items = (try? JSONValue.parse(String(decoding: all, as: UTF8.self)))?.arrayValue, items.count == count else {
            throw BuiltinError("cross_validate: the ranks' results did not arrive (\(count) runs expected)")
        }
        return try items.enumerated().map { index, item in try score(item, run: index + 1) }
    }

    private static func message(_ result: Result<FoldScore, Error>, rank: Int) -> [UInt8] {
        let members: [String: JSONValue]
        switch result {
        case .success(let score):
            members = ["fold": .string(score.fold), "seed": .number(Double(score.seed)), "accuracy": .number(score.accuracy),
                       "uar": .number(score.uar), "macro_f1": .number(score.macroF1),
                       "test_clips": .number(Double(score.testCount)), "seconds": .number(score.seconds)]
        case .failure(let error):
            members = ["error": .string("\(error)"), "rank": .number(Double(rank))]
        }
        return Array(JSONValue.object(members).encoded().utf8)
    }

    private static func score(_ item: JSONValue, run: Int) throws -> FoldScore {
        guard let members = item.objectValue else { throw BuiltinError("cross_validate: run \(run) never ran (a rank stopped)") }
        if let error = members["error"]?.stringValue {
            throw BuiltinError("cross_validate: run \(run) failed on rank \(Int(members["rank"]?.numberValue ?? 0)):\n\(error)")
        }
        func number(_ key: String) throws -> Double {
            guard let value = members[key]?.numberValue else { throw BuiltinError("cross_validate: run \(run)'s result lacks \(key)") }
            return value
        }
        return FoldScore(fold: members["fold"]?.stringValue ?? "", seed: Int(try number("seed")), accuracy: try number("accuracy"),
                         uar: try number("uar"), macroF1: try number("macro_f1"), testCount: Int(try number("test_clips")),
                         seconds: try number("seconds"))
    }
}
