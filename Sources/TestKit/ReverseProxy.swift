import Glibc
import Net

/// A real nginx in front of a running server, as an operator puts one (DESIGN §6): it passes the client's address
/// in `X-Forwarded-For`. It listens on 127.0.0.1 on a port it was given free, and stops when released.
public final class ReverseProxy: Sendable {
    /// The nginx master process.
    public let process: ChildProcess
    /// The port nginx listens on.
    public let port: Int

    /// Starts nginx proxying to `127.0.0.1:upstreamPort`; throws if nginx is missing or does not answer in time.
    public init(upstreamPort: Int, startTimeout: Double = 10) throws {
        let directory = try SharedTestData.temporaryDirectory()
        port = try FreePort.next()
        let configuration = """
            worker_processes 1;
            daemon off;
            pid \(directory)/nginx.pid;
            error_log \(directory)/error.log warn;
            events { worker_connections 256; }
            http {
                access_log off;
                client_body_temp_path \(directory)/body;
                proxy_temp_path \(directory)/proxy;
                fastcgi_temp_path \(directory)/fastcgi;
                uwsgi_temp_path \(directory)/uwsgi;
                scgi_temp_path \(directory)/scgi;
                upstream api { server 127.0.0.1:\(upstreamPort); keepalive 8; }
                server {
                    listen 127.0.0.1:\(port);
                    location / {
                        proxy_pass http://api;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        proxy_set_header Host $host;
                        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                    }
                }
            }
            """
        let path = try SharedTestData.temporaryFile(named: "nginx.conf", contents: Array(configuration.utf8))
        process = try ChildProcess(executable: try Self.nginxPath(), arguments: ["-e", directory + "/error.log", "-p", directory, "-c", path])
        try waitUntilListening(timeout: startTimeout)
    }

    deinit {
        process.send(signal: SIGQUIT)          // nginx's graceful stop
        if process.wait(timeout: 5) == nil {
            process.send(signal: SIGKILL)
            _ = process.wait(timeout: 5)
        }
    }

    /// A connection to nginx from `source`, a loopback address that nginx will name as the client.
    public func connect(from source: String) throws -> TestClient {
        try TestClient(port: port, source: source)
    }

    private func waitUntilListening(timeout: Double) throws {
        let deadline = TestClient.now() + timeout
        while TestClient.now() < deadline {
            if (try? TestClient(port: port)) != nil { return }
            if let status = process.wait(timeout: 0) { throw TestKitError("nginx exited (\(status)): \(process.stderr)") }
            usleep(20_000)
        }
        throw TestKitError("nginx did not listen on \(port) within \(timeout) s: \(process.stderr)")
    }

    private static func nginxPath() throws -> String {
        for candidate in ["/usr/sbin/nginx", "/usr/bin/nginx"] where access(candidate, X_OK) == 0 { return candidate }
        throw TestKitError("nginx is not installed (make test installs it)")
    }
}
