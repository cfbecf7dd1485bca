using System.Net;
using System.Net.Http.Json;
using ControlPanel.Core.Security;
using ControlPanel.TestSupport;

namespace ControlPanel.Web.Tests;

/// <summary>What the cordon endpoints refuse, in problem details that name what is wrong; nothing is stored then.</summary>
public sealed class NodeCordonApiTests : ApiTestBase
{
    [Fact]
    public async Task UnknownNode_Is404_NamingTheNode()
    {
        using var admin = await Factory.CreateClientAsync(Role.Admin);
        foreach (var action in new[] { "cordon", "uncordon", "drain" })
        {
            var response = await admin.PostAsync($"/api/nodes/no-such-node/{action}", null);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync();
            Assert.Contains("\"node\":\"no-such-node\"", body, StringComparison.Ordinal);
            Assert.Contains("application/problem+json", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task UncordonOfANodeNotCordoned_AndATooLongReason_Are400_NamingTheField()
    {
        using var admin = await Factory.CreateClientAsync(Role.Admin);
        var node = Lab.SharedNodes[0].Name;

        var uncordon = await admin.PostAsync($"/api/nodes/{node}/uncordon", null);
        Assert.Equal(HttpStatusCode.BadRequest, uncordon.StatusCode);
        Assert.Contains("is not cordoned", await uncordon.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var tooLong = await admin.PostAsJsonAsync($"/api/nodes/{node}/cordon", new { reason = new string('x', 501) });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("\"reason\"", await tooLong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var nodes = await admin.GetFromJsonAsync<List<Api.NodeDto>>("/api/nodes", new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)
        {
            Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
        });
        Assert.Equal(Core.Fleet.NodeAvailability.Active, nodes!.Single(n => n.Name == node).Availability);
    }
}
