using System.Net;
using ControlPanel.TestSupport;
using Npgsql;

namespace ControlPanel.Web.Tests;

public sealed class HealthzTests
{
    [Fact]
    public async Task Healthz_IsHealthyWithTheDatabase_AndUnhealthyOnceItCannotBeReached()
    {
        var database = await LabDatabase.CreateAsync();
        try
        {
            await using var panel = new PanelFactory(database.ConnectionString);
            var http = panel.CreateClient();
            var healthy = await http.GetAsync("/healthz");
            Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
            Assert.Equal("Healthy", await healthy.Content.ReadAsStringAsync());

            await using (var admin = new NpgsqlConnection(Lab.Current.PostgresConnectionString))
            {
                await admin.OpenAsync();
                await new NpgsqlCommand($"ALTER DATABASE \"{database.Name}\" ALLOW_CONNECTIONS false", admin).ExecuteNonQueryAsync();
                await new NpgsqlCommand($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database.Name}'", admin).ExecuteNonQueryAsync();
            }

            var unhealthy = await http.GetAsync("/healthz");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, unhealthy.StatusCode);
            Assert.Equal("Unhealthy", await unhealthy.Content.ReadAsStringAsync());
        }
        finally
        {
            await database.DisposeAsync();
        }
    }
}
