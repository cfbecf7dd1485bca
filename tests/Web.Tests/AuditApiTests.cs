using System.Net;
using ControlPanel.Core.Audit;
using ControlPanel.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Web.Tests;

public sealed class AuditApiTests : ApiTestBase
{
    [Fact]
    public async Task CsvExport_HasTheFilteredRows_QuotedAndWithFormulasDefused()
    {
        var node = Lab.SharedNodes[0];
        var id = await Containers.RunAsync(node, "sigquit", "csv", stopSignal: "SIGQUIT");
        Assert.Equal(HttpStatusCode.OK, (await Http.PostAsync($"/api/nodes/{node.Name}/containers/{id}/restart", null)).StatusCode);
        await Factory.Services.GetRequiredService<IAuditLog>().RecordAsync(new AuditEntry
        {
            At = DateTimeOffset.UtcNow, Actor = "=HYPERLINK(\"evil\")", Action = "test.csv", Target = $"{id}, \"quoted\"", Succeeded = true, Duration = TimeSpan.Zero,
        }, default);

        var response = await Http.GetAsync($"/api/audit/csv?text={id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("time_utc,actor,client_address,action,node,target,detail,succeeded,error,duration_ms,count,pending", lines[0]);
        Assert.Equal(3, lines.Length);
        Assert.Contains(lines, l => l.Contains($",container.restart,{node.Name},{id},timeout=container default,true,,", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("\"'=HYPERLINK(\"\"evil\"\")\"", StringComparison.Ordinal) && l.Contains($"\"{id}, \"\"quoted\"\"\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SinceAfterUntil_Is400NamingTheField()
    {
        var response = await Http.GetAsync("/api/audit?since=2026-11-02T00:00:00Z&until=2026-11-01T00:00:00Z");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"since\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
