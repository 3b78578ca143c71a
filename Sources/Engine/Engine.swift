// The whole Engine under one name: `import Engine` gives every layer's public API. The layers
// themselves import only what lies below them (docs/architecture.md).
@_exported import EngineFormats
@_exported import EngineTensor
@_exported import EngineNN
@_exported import EngineAudio
@_exported import EngineData
@_exported import EngineTrain
@_exported import EngineReport
@_exported import EngineExport
