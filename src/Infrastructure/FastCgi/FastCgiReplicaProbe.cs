using System.Globalization;
using System.Net.Sockets;
using System.Text;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Releases;
using ControlPanel.Infrastructure.Sockets;

namespace ControlPanel.Infrastructure.FastCgi;

/// <summary>
/// Asks a replica's FastCGI server for a path over a new connection, as nginx would, and reads the answer until
/// FCGI_END_REQUEST. Catches a PHP-FPM whose workers hang while its socket still accepts connections. At most
/// <see cref="MaxResponseBytes"/> of output are kept, so a server that talks without end costs no memory, only time,
/// and the timeout bounds that.
/// </summary>
public sealed class FastCgiReplicaProbe : IFastCgiProbe
{
    public const int MaxResponseBytes = 64 * 1024;
    private const int MaxErrorBytes = 1024;
    private const ushort RequestId = 1;

    public async Task<ProbeResult> ProbeAsync(NodeDefinition node, int port, string path, string expectedResponse, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var host = ReplicaAddress.Host(node);
        var asked = $"FastCGI GET {path} on {host}:{port}";
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var socket = await ReplicaAddress.ConnectAsync(node, port, deadline.Token);
            await using var connection = new NetworkStream(socket, ownsSocket: false);
            await connection.WriteAsync(FastCgiRecords.Request(RequestId, Parameters(path, host, port)), deadline.Token);
            var answer = await ReadAnswerAsync(connection, deadline.Token);
            if (answer.Problem is { } problem) return new ProbeResult(false, $"{asked} {problem}{Errors(answer.Errors)}");
            if (FastCgiResponse.Parse(answer.Output) is not { } response)
                return new ProbeResult(false, $"{asked} answered no CGI response (no blank line after its headers, or a Status without a code){Errors(answer.Errors)}");
            var body = response.Body.Trim();
            var healthy = response.Status is >= 200 and < 300 && body == expectedResponse.Trim();
            var expected = healthy || response.Status is < 200 or >= 300 ? "" : $", expected '{Shown(expectedResponse.Trim())}'";
            return new ProbeResult(healthy, $"{asked} answered {response.Status}{(response.Reason.Length == 0 ? "" : " " + response.Reason)} '{Shown(body)}'{expected}{Errors(answer.Errors)}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ProbeResult(false, $"{asked} did not answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (Exception ex) when (ex is SocketException or IOException or FastCgiProtocolException)
        {
            return new ProbeResult(false, $"{asked} failed: {ex.Message}");
        }
    }

    /// <summary>What a web server passes for a GET without a body; SCRIPT_NAME and SCRIPT_FILENAME are what PHP-FPM matches its ping.path against.</summary>
    private static IEnumerable<KeyValuePair<string, string>> Parameters(string path, string host, int port)
    {
        var query = path.IndexOf('?', StringComparison.Ordinal);
        var script = query < 0 ? path : path[..query];
        return new Dictionary<string, string>
        {
            ["GATEWAY_INTERFACE"] = "CGI/1.1",
            ["SERVER_SOFTWARE"] = "ControlPanel",
            ["SERVER_PROTOCOL"] = "HTTP/1.1",
            ["SERVER_NAME"] = host,
            ["SERVER_PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["REQUEST_METHOD"] = "GET",
            ["REQUEST_URI"] = path,
            ["DOCUMENT_URI"] = script,
            ["SCRIPT_NAME"] = script,
            ["SCRIPT_FILENAME"] = script,
            ["QUERY_STRING"] = query < 0 ? "" : path[(query + 1)..],
            ["CONTENT_TYPE"] = "",
            ["CONTENT_LENGTH"] = "",
        };
    }

    /// <param name="Output">FCGI_STDOUT, at most <see cref="MaxResponseBytes"/>.</param>
    /// <param name="Errors">The start of FCGI_STDERR (e.g. PHP-FPM's "Primary script unknown").</param>
    /// <param name="Problem">Why the answer is no answer, e.g. the server refused the request.</param>
    private sealed record Answer(byte[] Output, byte[] Errors, string? Problem);

    private static async Task<Answer> ReadAnswerAsync(Stream connection, CancellationToken cancellationToken)
    {
        using var output = new MemoryStream();
        using var errors = new MemoryStream();
        while (await FastCgiRecords.ReadAsync(connection, cancellationToken) is { } record)
        {
            if (record.RequestId != RequestId) continue; // management records (request id 0) say nothing about this request
            switch (record.Type)
            {
                case FastCgiRecordType.Stdout when output.Length + record.Content.Length > MaxResponseBytes:
                    return new Answer([], errors.ToArray(), $"answered more than {MaxResponseBytes / 1024} KiB; a health check answers briefly");
                case FastCgiRecordType.Stdout:
                    output.Write(record.Content);
                    break;
                case FastCgiRecordType.Stderr:
                    errors.Write(record.Content.AsSpan(0, (int)Math.Min(record.Content.Length, MaxErrorBytes - errors.Length)));
                    break;
                case FastCgiRecordType.EndRequest:
                    var status = record.Content.Length >= 5 ? record.Content[4] : -1;
                    return new Answer(output.ToArray(), errors.ToArray(), status == 0 ? null : $"refused the request: {ProtocolStatus(status)}");
            }
        }
        return new Answer([], errors.ToArray(), "closed the connection before ending the request");
    }

    private static string ProtocolStatus(int status) => status switch
    {
        1 => "it cannot take more than one request per connection (FCGI_CANT_MPX_CONN)",
        2 => "it is overloaded (FCGI_OVERLOADED)",
        3 => "it does not take the responder role (FCGI_UNKNOWN_ROLE)",
        _ => $"protocol status {status}",
    };

    private static string Errors(byte[] errors) => errors.Length == 0 ? "" : $" (its error output: {Shown(Encoding.UTF8.GetString(errors).Trim())})";

    /// <summary>Text from the server as one short line: control characters replaced, at most 100 characters.</summary>
    private static string Shown(string text)
    {
        var line = new string(text.Select(c => char.IsControl(c) ? ' ' : c).ToArray());
        return line.Length <= 100 ? line : line[..100] + "…";
    }
}
