using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Logs;

namespace ControlPanel.Infrastructure.Docker.Logs;

/// <summary>
/// GET /containers/{id}/logs with timestamps, parsed by <see cref="DockerLogFrameParser"/>. The caller passes the
/// container's id and TTY flag: the source asks the engine for nothing but the log.
/// </summary>
public sealed class DockerLogSource(EngineHttp http) : ILogSource
{
    public async IAsyncEnumerable<LogLine> ReadAsync(NodeDefinition node, string containerId, bool tty, LogQuery query, [EnumeratorCancellation] CancellationToken cancellationToken, Action? opened = null)
    {
        query = query.Validated();
        var url = $"/containers/{Uri.EscapeDataString(containerId)}/logs?stdout=1&stderr=1&timestamps=1&follow={(query.Follow ? 1 : 0)}"
            + (query.Tail is { } tail ? $"&tail={tail}" : "&tail=all")
            + (query.Since is { } since ? $"&since={Unix(since)}" : "")
            // Our timestamps are the engine's nanoseconds cut to 100 ns: one tick more keeps 'until' inclusive.
            + (query.Until is { } until ? $"&until={Unix(until.AddTicks(1))}" : "");
        using var response = await Send(node, containerId, url, cancellationToken);
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        opened?.Invoke();
        var parser = new DockerLogFrameParser(tty);
        var lines = new List<LogLine>();
        void OnLine(LogStream stream, ReadOnlySpan<byte> raw, bool truncated) => lines.Add(ToLine(node.Name, containerId, stream, raw, truncated));
        var buffer = new byte[64 * 1024];
        while (true)
        {
            int read;
            try
            {
                read = await body.ReadAsync(buffer, cancellationToken);
            }
            catch (IOException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new EngineUnavailableException(node.Name, "the log stream broke: " + ex.Message, ex);
            }
            if (read == 0) break;
            parser.Feed(buffer.AsSpan(0, read), OnLine);
            foreach (var line in lines) yield return line;
            lines.Clear();
        }
        parser.Complete(OnLine);
        foreach (var line in lines) yield return line;
    }

    private async Task<HttpResponseMessage> Send(NodeDefinition node, string containerId, string url, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.For(node).GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (Exception ex) when (DockerErrors.Translate(node.Name, containerId, ex) is { } translated)
        {
            throw translated;
        }
        if (response.StatusCode == HttpStatusCode.NotFound) { response.Dispose(); throw new ContainerNotFoundException(node.Name, containerId); }
        if (!response.IsSuccessStatusCode)
        {
            var message = await response.Content.ReadAsStringAsync(cancellationToken);
            response.Dispose();
            throw new EngineRefusedException(node.Name, message.Trim());
        }
        return response;
    }

    /// <summary>Splits "2026-11-26T02:41:22.123456789Z text"; the engine's nanoseconds are cut to .NET's 100 ns.</summary>
    internal static LogLine ToLine(string node, string id, LogStream stream, ReadOnlySpan<byte> raw, bool truncated)
    {
        var space = raw.IndexOf((byte)' ');
        if (space > 0 && TryParseTimestamp(Encoding.ASCII.GetString(raw[..space]), out var at))
            return new LogLine(node, id, stream, at, Encoding.UTF8.GetString(raw[(space + 1)..]), truncated);
        return new LogLine(node, id, stream, DateTimeOffset.UtcNow, Encoding.UTF8.GetString(raw), truncated);
    }

    public static bool TryParseTimestamp(string text, out DateTimeOffset at)
    {
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0 && text.EndsWith('Z'))
        {
            var fraction = text[(dot + 1)..^1];
            text = text[..dot] + "." + (fraction.Length > 7 ? fraction[..7] : fraction) + "Z";
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out at);
    }

    /// <summary>"seconds.nanoseconds", the engine's own precision: many lines share one millisecond.</summary>
    private static string Unix(DateTimeOffset t)
    {
        var ticks = t.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return $"{ticks / TimeSpan.TicksPerSecond}.{ticks % TimeSpan.TicksPerSecond * 100:D9}";
    }
}
