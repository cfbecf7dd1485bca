namespace ControlPanel.Web.Tests.Consul;

/// <summary>Consul behind ACLs: the panel's token works, and is never shown or logged.</summary>
public sealed class ConsulTokenTests : ConsulDeployTestBase
{
    private readonly string _token = "b1gs3cr3t-" + Guid.NewGuid().ToString("N");

    protected override string? Token => _token;

    [Fact]
    public async Task TheAclToken_RegistersReplicas_AndNeverAppearsInLogsOrResponses()
    {
        var deployment = Succeeded(await DeployAsync(await ReleasePhpAsync("1")));

        Assert.Equal(3, (await CatalogAsync()).Count);
        Assert.Contains(Consul.Calls, c => c.Path == "/v1/agent/service/register" && c.StatusCode == 200);
        foreach (var path in new[] { "/api/nodes", $"/api/deployments/{deployment.Id}", $"/api/services/{Service}", "/api/audit" })
            Assert.DoesNotContain(_token, await Admin.GetStringAsync(path), StringComparison.Ordinal);
        Assert.NotEmpty(Factory.Logs.Lines);
        Assert.DoesNotContain(Factory.Logs.Lines, l => l.Contains(_token, StringComparison.Ordinal));
        Assert.DoesNotContain(Factory.Logs.Lines, l => l.Contains(_token[..12], StringComparison.Ordinal));
    }
}
