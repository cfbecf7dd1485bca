using System.Text;
using ControlPanel.Core.Traffic;

namespace ControlPanel.Infrastructure.Nginx;

/// <summary>The upstream file the panel keeps in each router replica: one upstream block, nothing else.</summary>
public static class NginxUpstream
{
    public static string Render(string service, string upstream, IReadOnlyList<RotationMember> members)
    {
        // A replica without the route's port (started under an older spec) cannot be listed.
        members = members.Where(m => m.Port > 0).ToList();
        var text = new StringBuilder()
            .Append("# Written by ControlPanel: the replicas of service '").Append(service).Append("' that may be sent work.\n")
            .Append("# Each change overwrites this file; edit the service's route in the panel instead.\n")
            .Append("upstream ").Append(upstream).Append(" {\n");
        foreach (var m in members)
            text.Append("    server ").Append(Address(m)).Append(";  # ").Append(m.Node).Append(' ').Append(m.ContainerId[..Math.Min(12, m.ContainerId.Length)]).Append('\n');
        if (members.Count == 0)
        {
            // nginx refuses an upstream without servers; one marked down is valid and answers 502 at once.
            text.Append("    # No replica may be sent work now.\n    server 127.0.0.1:9 down;\n");
        }
        return text.Append("}\n").ToString();
    }

    // The host is as a URI writes it, so an IPv6 address already has its brackets.
    private static string Address(RotationMember m) => m.Host + ":" + m.Port;
}
