struct Repl { let options: RunOptions; func run() -> Int32 { 0 } }
