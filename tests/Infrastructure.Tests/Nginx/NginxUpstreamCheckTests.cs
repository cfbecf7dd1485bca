using System.Text;
using ControlPanel.Core.Traffic;
using ControlPanel.Infrastructure.Nginx;
using ControlPanel.TestSupport;

namespace ControlPanel.Infrastructure.Tests.Nginx;

/// <summary>What the panel renders, checked by the lab's real nginx (nginx -t inside its container).</summary>
public sealed class NginxUpstreamCheckTests : EngineTestBase
{
    [Fact]
    public async Task AnEmptyUpstream_AndOneOfThreeMembers_PassNginxsOwnCheck()
    {
        var node = Lab.SharedNodes[2];
        var nginx = await Containers.RunAsync(node, "nginx", "check", new Dictionary<string, string> { ["PORT"] = $"{LabContainers.NextPort()}" });
        await LabContainers.WaitUntilAsync(async () => (await Services.Exec.RunAsync(node, nginx, ["nginx", "-t"], default)).ExitCode == 0, TimeSpan.FromSeconds(20), "nginx to start");
        var members = Enumerable.Range(0, 3).Select(i => new RotationMember($"node{i + 1}", "127.0.0.1", 9100 + i, $"c0ffee{i}")).ToList();

        foreach (var upstream in new[] { NginxUpstream.Render("api", "fpm", []), NginxUpstream.Render("api", "fpm", members) })
        {
            await Services.Exec.WriteFileAsync(node, nginx, "/etc/nginx/conf.d/upstream-fpm.conf", Encoding.UTF8.GetBytes(upstream), default);
            var check = await Services.Exec.RunAsync(node, nginx, ["nginx", "-t"], default);
            Assert.True(check.ExitCode == 0, check.Output);
        }
    }
}
