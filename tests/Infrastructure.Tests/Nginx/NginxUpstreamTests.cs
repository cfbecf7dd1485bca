using ControlPanel.Core.Traffic;
using ControlPanel.Infrastructure.Nginx;

namespace ControlPanel.Infrastructure.Tests.Nginx;

public sealed class NginxUpstreamTests
{
    [Fact]
    public void ListsEachMemberAtItsNodesAddress_AndAnEmptyOneHasOneServerMarkedDown()
    {
        var members = new[] { new RotationMember("node1", "127.0.0.1", 9001, "c0ffee0123456789"), new RotationMember("node2", "[::1]", 9002, "beef") };

        var text = NginxUpstream.Render("api", "fpm", members);
        var empty = NginxUpstream.Render("api", "fpm", []);

        Assert.Contains("upstream fpm {\n    server 127.0.0.1:9001;  # node1 c0ffee012345\n    server [::1]:9002;  # node2 beef\n}\n", text, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(empty, @"^\s+server ", System.Text.RegularExpressions.RegexOptions.Multiline));
        Assert.Contains("    server 127.0.0.1:9 down;\n}\n", empty, StringComparison.Ordinal);
    }
}
