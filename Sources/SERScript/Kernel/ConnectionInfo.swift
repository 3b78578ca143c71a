import Engine
import Foundation

/// A Jupyter connection file: where the five channels listen and the signing key.
struct ConnectionInfo {
    let transport: String
    let ip: String
    let ports: [String: Int]
    let key: String

    static let channels = ["shell", "control", "stdin", "iopub", "hb"]

    init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KernelProtocolError("\(path): no such connection file or unreadable")
        }
        let json: JSONValue
        do { json = try JSONValue.parse(String(decoding: data, as: UTF8.self)) } catch {
            throw KernelProtocolError("\(path): not JSON: \(error)")
        }
        guard let members = json.objectValue else { throw KernelProtocolError("\(path): not a JSON object") }
        transport = members.string("transport", "tcp")
        ip = members.string("ip", "127.0.0.1")
        key = members.string("key")
        guard ["tcp", "ipc"].contains(transport) else {
            throw KernelProtocolError("\(path): transport '\(transport)' is not tcp or ipc")
        }
        let scheme = members.string("signature_scheme", "hmac-sha256")
        guard scheme == "hmac-sha256" || key.isEmpty else {
            throw KernelProtocolError("\(path): signature_scheme '\(scheme)' is not supported (only hmac-sha256)")
        }
        var ports: [String: Int] = [:]
        for channel in ConnectionInfo.channels {
            let port = members.int("\(channel)_port", -1)
            guard (0...65535).contains(port) else { throw KernelProtocolError("\(path): \(channel)_port is missing or not a port number") }
            ports[channel] = port
        }
        self.ports = ports
    }

    /// The ZeroMQ endpoint of `channel`: `tcp://IP:PORT` or `ipc://PATH-PORT`.
    func endpoint(_ channel: String) -> String {
        let port = ports[channel] ?? 0
        return transport == "ipc" ? "ipc://\(ip)-\(port)" : "tcp://\(ip):\(port)"
    }
}
