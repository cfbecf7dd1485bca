using ControlPanel.Core.Audit;

namespace ControlPanel.Web.Hosting;

/// <summary>
/// Until sign-in exists every action is the local operator's; the client address is kept so the
/// audit log already says where an action came from.
/// </summary>
public sealed class LocalOperator(IHttpContextAccessor http) : ICurrentActor
{
    public string Name => "local operator";

    public string? ClientAddress => http.HttpContext?.Connection.RemoteIpAddress?.ToString();
}
