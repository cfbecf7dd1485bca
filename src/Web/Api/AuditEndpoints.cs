using ControlPanel.Core.Audit;
using ControlPanel.Web.Security;

namespace ControlPanel.Web.Api;

public static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/audit", (string? text, string? node, string? action, bool? succeeded, int? limit, IAuditLog audit, CancellationToken ct) =>
                audit.QueryAsync(new AuditQuery { Text = text, Node = node, Action = action, Succeeded = succeeded, Limit = limit ?? 200 }, ct))
            .WithTags("Audit")
            .WithSummary("Recorded actions, newest first.")
            .RequireAuthorization(Policies.ViewFleet);
        return app;
    }
}
