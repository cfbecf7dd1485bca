using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ControlPanel.TestSupport;

namespace ControlPanel.Web.Tests;

public sealed class ContainersApiTests : ApiTestBase
{
    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

    [Fact]
    public async Task ListContainers_AcrossNodes_FiltersAndReportsTheBrokenNode()
    {
        foreach (var node in Lab.SharedNodes) await Containers.RunAsync(node, "sigquit", "svc");
        await Containers.RunAsync(Lab.SharedNodes[0], "sigquit", "stopped", start: false);

        var all = await Json(await Http.GetAsync($"/api/containers?text={Containers.RunId}"));
        Assert.Equal(4, all.GetProperty("count").GetInt32());
        var failure = Assert.Single(all.GetProperty("failures").EnumerateArray());
        Assert.Equal("broken", failure.GetProperty("node").GetString());

        var running = await Json(await Http.GetAsync($"/api/containers?text={Containers.RunId}&state=running&sort=name&desc=true"));
        Assert.Equal(3, running.GetProperty("count").GetInt32());
        var onNode1 = await Json(await Http.GetAsync($"/api/containers?text={Containers.RunId}&node=node1"));
        Assert.Equal(2, onNode1.GetProperty("count").GetInt32());
        var byLabel = await Json(await Http.GetAsync($"/api/containers?label=controlpanel.test.run={Containers.RunId}"));
        Assert.Equal(4, byLabel.GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Nodes_ShowReachableLabNodes_AndTheMisconfiguredOneWithItsReason()
    {
        var nodes = (await Json(await Http.GetAsync("/api/nodes"))).EnumerateArray().ToList();
        Assert.Equal(4, nodes.Count);
        Assert.Equal(3, nodes.Count(n => n.GetProperty("status").GetString() == "Reachable"));
        var broken = nodes.Single(n => n.GetProperty("name").GetString() == "broken");
        Assert.Equal("Misconfigured", broken.GetProperty("status").GetString());
        Assert.Contains("ControlPanel:Nodes:3", broken.GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restart_ThroughTheApi_RestartsTheRealContainer_AndIsAudited()
    {
        var node = Lab.SharedNodes[1];
        var id = await Containers.RunAsync(node, "sigquit", "restart-me", stopSignal: "SIGQUIT");
        var before = (await Containers.InspectAsync(node, id)).State!.StartedAt;

        var response = await Http.PostAsync($"/api/nodes/{node.Name}/containers/{id}/restart?timeout=5", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Json(response);
        Assert.Equal("Running", body.GetProperty("stateAfter").GetProperty("state").GetString());
        var after = await Containers.InspectAsync(node, id);
        Assert.True(after.State!.Running);
        Assert.NotEqual(before, after.State.StartedAt);

        var audit = (await Json(await Http.GetAsync($"/api/audit?text={id}"))).EnumerateArray().ToList();
        var entry = Assert.Single(audit);
        Assert.Equal("container.restart", entry.GetProperty("action").GetString());
        Assert.Equal(node.Name, entry.GetProperty("node").GetString());
        Assert.True(entry.GetProperty("succeeded").GetBoolean());
        Assert.Equal("timeout=5s", entry.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Remove_ThroughTheApi_RemovesTheContainer()
    {
        var node = Lab.SharedNodes[2];
        var id = await Containers.RunAsync(node, "sigquit", "remove-me", start: false);

        var response = await Http.DeleteAsync($"/api/nodes/{node.Name}/containers/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var gone = await Http.GetAsync($"/api/nodes/{node.Name}/containers/{id}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Inspect_MasksSecretLookingEnvironmentValues()
    {
        var node = Lab.SharedNodes[0];
        var id = await Containers.RunAsync(node, "sigquit", "secretive", new Dictionary<string, string> { ["API_TOKEN"] = "canary-7f3a9" });

        var response = await Http.GetAsync($"/api/nodes/{node.Name}/containers/{id}");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("canary-7f3a9", text, StringComparison.Ordinal);
        Assert.Contains("\"masked\":true", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApiAndHealth_AreServed()
    {
        var openApi = await Json(await Http.GetAsync("/openapi/v1.json"));
        var paths = openApi.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/containers", paths);
        Assert.Contains("/api/nodes/{node}/containers/{id}/restart", paths);
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task AnActionWhoseCallerGoesAway_IsStillAudited_WithItsOutcomeUnknown()
    {
        // Ignores SIGTERM, so the engine's stop waits the whole 20 s: long enough for the caller to leave first.
        var node = Lab.SharedNodes[0];
        var id = await Containers.RunAsync(node, "sigquit", "abandoned");
        await Containers.WaitForLogAsync(node, id, "sigquit service started", TimeSpan.FromSeconds(15));
        using var leave = new CancellationTokenSource();

        var stop = Http.PostAsync($"/api/nodes/node1/containers/{id}/stop?timeout=20", null, leave.Token);
        // The caller leaves once the engine is carrying the stop out (the container logs the SIGTERM it ignores), not before.
        await Containers.WaitForLogAsync(node, id, "SIGTERM ignored", TimeSpan.FromSeconds(15));
        await leave.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stop);

        JsonElement entry = default;
        await LabContainers.WaitUntilAsync(async () =>
        {
            var audit = await Json(await Http.GetAsync($"/api/audit?text={id}"));
            if (audit.GetArrayLength() == 0) return false;
            entry = Assert.Single(audit.EnumerateArray());
            return true;
        }, TimeSpan.FromSeconds(30), "the abandoned stop in the audit log");
        Assert.Equal("container.stop", entry.GetProperty("action").GetString());
        Assert.False(entry.GetProperty("succeeded").GetBoolean());
        Assert.Contains("outcome is unknown", entry.GetProperty("error").GetString(), StringComparison.Ordinal);
    }
}
