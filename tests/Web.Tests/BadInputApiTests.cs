using System.Net;
using System.Text.Json;
using ControlPanel.TestSupport;

namespace ControlPanel.Web.Tests;

/// <summary>Each bad input gets the right status and names what was wrong — and no stack trace.</summary>
public sealed class BadInputApiTests : ApiTestBase
{
    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal); // no stack trace
        return JsonDocument.Parse(text).RootElement;
    }

    [Fact]
    public async Task UnknownNode_Is404NamingIt()
    {
        var p = await ProblemAsync(await Http.PostAsync("/api/nodes/atlantis/containers/x/restart", null), HttpStatusCode.NotFound);
        Assert.Equal("atlantis", p.GetProperty("node").GetString());
        Assert.Contains("atlantis", p.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await ProblemAsync(await Http.GetAsync("/api/containers?node=atlantis"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task DeployWithoutARelease_Is400NamingReleaseAsRequired()
    {
        var deployer = await Factory.CreateClientAsync(Core.Security.Role.Deployer);
        using var body = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");

        var p = await ProblemAsync(await deployer.PostAsync("/api/services/anything/deployments", body), HttpStatusCode.BadRequest);

        Assert.Contains("'release' is required", p.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(p.GetProperty("errors").TryGetProperty("release", out _));
    }

    [Fact]
    public async Task UnknownDeploymentOrBuild_Is404NamingIt()
    {
        var id = Guid.NewGuid();
        var deployment = await ProblemAsync(await Http.GetAsync($"/api/deployments/{id}"), HttpStatusCode.NotFound);
        Assert.Equal(id.ToString(), deployment.GetProperty("deployment").GetString());
        var build = await ProblemAsync(await Http.GetAsync($"/api/builds/{id}"), HttpStatusCode.NotFound);
        Assert.Equal(id.ToString(), build.GetProperty("build").GetString());
    }

    [Fact]
    public async Task UnknownContainer_Is404NamingIt()
    {
        var p = await ProblemAsync(await Http.GetAsync("/api/nodes/node1/containers/ghost-container"), HttpStatusCode.NotFound);
        Assert.Equal("ghost-container", p.GetProperty("container").GetString());
        await ProblemAsync(await Http.PostAsync("/api/nodes/node1/containers/ghost-container/stop", null), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("stop?timeout=abc", "timeout")]
    [InlineData("stop?timeout=-1", "timeout")]
    [InlineData("restart?timeout=99999", "timeout")]
    [InlineData("kill?signal=SIGFOO", "signal")]
    public async Task InvalidTimeoutOrSignal_Is400NamingTheField(string action, string field)
    {
        var id = await Containers.RunAsync(Lab.SharedNodes[0], "sigquit", "bad-input");
        var p = await ProblemAsync(await Http.PostAsync($"/api/nodes/node1/containers/{id}/{action}", null), HttpStatusCode.BadRequest);
        Assert.True(p.GetProperty("errors").TryGetProperty(field, out _), $"errors names '{field}'");
        Assert.True((await Containers.InspectAsync(Lab.SharedNodes[0], id)).State!.Running, "a refused request changes nothing");
    }

    [Theory]
    [InlineData("state=sleeping", "state")]
    [InlineData("sort=colour", "sort")]
    public async Task InvalidListFilter_Is400NamingTheField(string query, string field)
    {
        var p = await ProblemAsync(await Http.GetAsync($"/api/containers?{query}"), HttpStatusCode.BadRequest);
        Assert.True(p.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task EngineRefusal_Is502WithTheEnginesMessage_AndIsAuditedAsFailed()
    {
        var id = await Containers.RunAsync(Lab.SharedNodes[1], "sigquit", "not-running", start: false);

        var p = await ProblemAsync(await Http.PostAsync($"/api/nodes/node2/containers/{id}/kill", null), HttpStatusCode.BadGateway);

        Assert.Contains("is not running", p.GetProperty("engineMessage").GetString(), StringComparison.Ordinal);
        var audit = JsonDocument.Parse(await Http.GetStringAsync($"/api/audit?text={id}&succeeded=false")).RootElement;
        var entry = Assert.Single(audit.EnumerateArray());
        Assert.Contains("is not running", entry.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MisconfiguredNode_Is503WithTheConfigurationError()
    {
        var p = await ProblemAsync(await Http.GetAsync("/api/nodes/broken/containers/x"), HttpStatusCode.ServiceUnavailable);
        Assert.Contains("needs a port", p.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
