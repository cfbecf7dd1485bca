using System.Globalization;
using System.Text;
using ControlPanel.Core.Audit;
using ControlPanel.Web.Security;

namespace ControlPanel.Web.Api;

public static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        var audit = app.MapGroup("/api/audit").WithTags("Audit").RequireAuthorization(Policies.ViewFleet)
            .ProducesAuthProblems().ProducesProblems(StatusCodes.Status400BadRequest);
        audit.MapGet("/", (IAuditLog log, [AsParameters] AuditFilter filter, CancellationToken ct) => log.QueryAsync(filter.ToQuery(200), ct))
            .WithName("ListAuditEntries")
            .WithSummary("Recorded actions, newest first.");
        audit.MapGet("/csv", async (IAuditLog log, [AsParameters] AuditFilter filter, CancellationToken ct) =>
            {
                var rows = await log.QueryAsync(filter.ToQuery(5000), ct);
                return Results.File(Encoding.UTF8.GetBytes(AuditCsv.Write(rows)), "text/csv", $"audit-{DateTime.UtcNow:yyyyMMdd-HHmmss}.csv");
            })
            .WithName("DownloadAuditCsv")
            .WithSummary("The same rows as CSV (at most 5000), for spreadsheets and archives.")
            .ProducesFile("text/csv");
        return app;
    }
}

/// <summary>Query-string filters shared by the JSON and CSV forms; since/until are ISO 8601.</summary>
public sealed record AuditFilter(string? Text, string? Actor, string? Node, string? Action, bool? Succeeded, DateTimeOffset? Since, DateTimeOffset? Until, int? Limit)
{
    public AuditQuery ToQuery(int defaultLimit)
    {
        if (Since is { } s && Until is { } u && s > u)
            throw new Core.Common.InvalidRequestException("since", $"'since' ({s:u}) is after 'until' ({u:u}).");
        return new AuditQuery { Text = Text, Actor = Actor, Node = Node, Action = Action, Succeeded = Succeeded, Since = Since, Until = Until, Limit = Limit ?? defaultLimit };
    }
}

public static class AuditCsv
{
    public static string Write(IEnumerable<AuditEntry> rows)
    {
        var csv = new StringBuilder("time_utc,actor,client_address,action,node,target,detail,succeeded,error,duration_ms,count,pending\r\n");
        foreach (var a in rows)
        {
            string[] fields = [a.At.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture), a.Actor, a.ClientAddress ?? "", a.Action,
                a.Node ?? "", a.Target, a.Detail ?? "", a.Succeeded ? "true" : "false", a.Error ?? "", ((long)a.Duration.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
                a.Count.ToString(CultureInfo.InvariantCulture), a.Pending ? "true" : "false"];
            csv.AppendJoin(',', fields.Select(Field)).Append("\r\n");
        }
        return csv.ToString();
    }

    // RFC 4180 quoting; a leading = + - @ is defused so a spreadsheet never runs a cell as a formula.
    private static string Field(string value)
    {
        if (value.Length > 0 && "=+-@\t\r".Contains(value[0], StringComparison.Ordinal)) value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
