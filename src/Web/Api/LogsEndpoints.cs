using System.Runtime.CompilerServices;
using System.Text;
using ControlPanel.Core.Common;
using ControlPanel.Core.Fleet;
using ControlPanel.Core.Logs;
using ControlPanel.Web.Security;

namespace ControlPanel.Web.Api;

/// <summary>
/// A container's log straight from its engine for a time range (not followed): to search all of it,
/// not just what a viewer holds, and to download it.
/// </summary>
public static class LogsEndpoints
{
    private const int MaxLines = 100_000;

    public static IEndpointRouteBuilder MapLogsApi(this IEndpointRouteBuilder app)
    {
        var logs = app.MapGroup("/api/nodes/{node}/containers/{id}/logs").WithTags("Logs").RequireAuthorization(Policies.ReadLogs).ProducesAuthProblems()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status502BadGateway, StatusCodes.Status503ServiceUnavailable);

        logs.MapGet("/", async (string node, string id, [AsParameters] LogRange range, LogRangeReader reader, CancellationToken ct) =>
            {
                var lines = new List<LogLine>();
                await foreach (var line in ReadAsync(node, id, range, reader, ct))
                {
                    lines.Add(line);
                    if (lines.Count == MaxLines) break;
                }
                return new LogLinesDto(lines.Count, lines.Count == MaxLines, lines);
            })
            .WithName("GetLogLines")
            .WithSummary("Lines in [since, until] (ISO 8601), optionally only those matching search (text, or a regex with regex=true).");

        logs.MapGet("/download", async (string node, string id, [AsParameters] LogRange range, FleetService fleet, LogRangeReader reader, CancellationToken ct) =>
            {
                // Everything that can be refused is checked before the file starts: after that, a 404 is too late.
                new LogQuery(Tail: null, Since: range.Since, Until: range.Until, Follow: false).Validated();
                range.Filter();
                await fleet.GetContainerAsync(node, id, ct);
                return Results.Stream(async stream =>
                {
                    await using var writer = new StreamWriter(stream, new UTF8Encoding(false));
                    await foreach (var line in ReadAsync(node, id, range, reader, ct))
                        await writer.WriteLineAsync($"{line.Timestamp.UtcDateTime:yyyy-MM-ddTHH:mm:ss.fffffffZ} {(line.Stream == LogStream.Stderr ? "stderr" : "stdout")} {AnsiText.Strip(line.Text)}");
                }, "text/plain; charset=utf-8", $"{node}-{id}-{DateTime.UtcNow:yyyyMMdd-HHmmss}.log");
            })
            .WithName("DownloadLog")
            .WithSummary("The same range as a plain text file (ANSI escapes removed): time, stream and text per line.")
            .ProducesFile("text/plain");
        return app;
    }

    private static async IAsyncEnumerable<LogLine> ReadAsync(string nodeName, string id, LogRange range, LogRangeReader reader, [EnumeratorCancellation] CancellationToken ct)
    {
        var query = new LogQuery(Tail: null, Since: range.Since, Until: range.Until, Follow: false);
        var filter = range.Filter();
        await foreach (var line in reader.ReadAsync(nodeName, id, query, ct))
        {
            if (filter is null || filter.Matches(line.Text)) yield return line;
        }
    }
}

/// <summary>A container's log lines in a time range.</summary>
/// <param name="Count">How many lines are listed.</param>
/// <param name="Capped">True when the range held more lines than the 100,000 returned: narrow it, or download it.</param>
/// <param name="Lines">The lines, oldest first.</param>
public sealed record LogLinesDto(int Count, bool Capped, IReadOnlyList<LogLine> Lines);

public sealed record LogRange(DateTimeOffset? Since, DateTimeOffset? Until, string? Search, bool? Regex, bool? CaseSensitive)
{
    /// <summary>The search; throws naming the field when it does not compile.</summary>
    public LogSearch? Filter() => LogSearch.Create(Search, Regex == true, CaseSensitive == true, TimeSpan.FromMilliseconds(100));
}
