using System.Net;
using System.Text.Json;
using ControlPanel.TestSupport;

namespace ControlPanel.Web.Tests;

public sealed class LogsApiTests : ApiTestBase
{
    [Fact]
    public async Task RangeSearch_ReadsTheEnginesFullLog_AndDownloadHasEveryLine()
    {
        var node = Lab.SharedNodes[2];
        var id = await Containers.RunAsync(node, "logger", "range", new Dictionary<string, string> { ["PREFIX"] = "entry", ["RATE"] = "0", ["COUNT"] = "2000", ["STREAM"] = "both" });
        await LabContainers.WaitUntilAsync(async () =>
            JsonDocument.Parse(await Http.GetStringAsync($"/api/nodes/{node.Name}/containers/{id}/logs?search=entry 2000 ")).RootElement.GetProperty("count").GetInt32() == 1,
            TimeSpan.FromSeconds(20), "all 2000 lines written");

        var matching = JsonDocument.Parse(await Http.GetStringAsync($"/api/nodes/{node.Name}/containers/{id}/logs?search=entry 1[0-9]{{3}} &regex=true")).RootElement;
        Assert.Equal(1000, matching.GetProperty("count").GetInt32());
        var since = DateTimeOffset.UtcNow.AddMinutes(-5).ToString("o");
        var all = JsonDocument.Parse(await Http.GetStringAsync($"/api/nodes/{node.Name}/containers/{id}/logs?since={Uri.EscapeDataString(since)}")).RootElement;
        Assert.Equal(2000, all.GetProperty("count").GetInt32());

        var file = await Http.GetAsync($"/api/nodes/{node.Name}/containers/{id}/logs/download");
        Assert.Equal("text/plain", file.Content.Headers.ContentType?.MediaType);
        var lines = (await file.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2000, lines.Length);
        Assert.Equal(1000, lines.Count(l => l.Contains(" stderr entry ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Download_IsPlainText_WithTheAnsiEscapesOfColouredOutputRemoved()
    {
        var node = Lab.SharedNodes[1];
        var id = await Containers.RunAsync(node, "busybox", "coloured", shellCommand: "printf '\\033[1;32mGET /orders\\033[0m 200\\n'; printf '\\033]8;;http://x\\007link\\033]8;;\\007 done\\n'; exec sleep 3600");
        await Containers.WaitForLogAsync(node, id, "done", TimeSpan.FromSeconds(20));

        var text = await Http.GetStringAsync($"/api/nodes/{node.Name}/containers/{id}/logs/download");

        Assert.DoesNotContain('\u001b', text);
        Assert.DoesNotContain('\u0007', text);
        Assert.Equal(["stdout GET /orders 200", "stdout link done"], text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[(l.IndexOf(' ') + 1)..]));
    }

    [Theory]
    [InlineData("?since=2026-11-02T00:00:00Z&until=2026-11-01T00:00:00Z", "since")]
    [InlineData("?search=(&regex=true", "search")]
    public async Task BadRange_Is400NamingTheField(string query, string field)
    {
        var id = await Containers.RunAsync(Lab.SharedNodes[0], "sigquit", "badrange");
        foreach (var path in new[] { "", "/download" })
        {
            var response = await Http.GetAsync($"/api/nodes/node1/containers/{id}/logs{path}{query}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains($"\"{field}\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task UnknownContainer_Is404_ForBothForms()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync("/api/nodes/node1/containers/ghost/logs")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync("/api/nodes/node1/containers/ghost/logs/download")).StatusCode);
    }
}
