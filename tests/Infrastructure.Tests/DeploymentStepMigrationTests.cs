using ControlPanel.Core.Audit;
using ControlPanel.Core.Releases;
using ControlPanel.Infrastructure.Persistence;
using ControlPanel.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace ControlPanel.Infrastructure.Tests;

/// <summary>Steps stored when one column carried an image reference, a replica name or a container id, migrated on both providers.</summary>
public sealed class DeploymentStepMigrationTests : IAsyncLifetime
{
    private const string Image = "127.0.0.1:5055/tests/api@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private const string ReplicaName = "api-r3-node1-0-1a2b3c4d";
    private static readonly string ContainerId = new('c', 64);
    private ProviderDatabases _databases = default!;

    public async Task InitializeAsync() => _databases = await ProviderDatabases.CreateAsync();

    public async Task DisposeAsync() => await _databases.DisposeAsync();

    public static TheoryData<string> Providers => new() { "sqlite", "postgres" };

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task StepsStoredBeforeTheSplit_GetTheirImageNameAndIdInFieldsOfTheirOwn(string provider)
    {
        var contexts = _databases.Contexts(provider);
        await using (var db = contexts.CreateDbContext()) await db.GetService<IMigrator>().MigrateAsync("AuditPendingOutcome");
        var store = new EfReleaseStore(contexts);
        var id = Guid.NewGuid();
        await using (var db = contexts.CreateDbContext())
        {
            // The deployment row as that schema had it (the store writes today's columns); SQLite keeps times as binary longs.
            var now = DateTimeOffset.UtcNow;
            object startedAt = provider == "sqlite" ? new Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter().ConvertToProvider(now)! : now;
            await db.Database.ExecuteSqlAsync(
                $"""INSERT INTO deployments ("Id", "Service", "Release", "StartedBy", "StartedAt", "Status") VALUES ({id}, 'api', 3, 'alice', {startedAt}, 'Running')""");
            // The shape rows had then: one "ContainerId" column; a create step's new id in "Detail" once it succeeded.
            foreach (var (action, container, detail, failed) in new[]
            {
                ("pull", Image, (string?)null, false), ("create", ReplicaName, ContainerId, false), ("create", ReplicaName, "no free port", true), ("start", ContainerId, null, false),
            })
            {
                await db.Database.ExecuteSqlAsync(
                    $"""INSERT INTO deployment_steps ("DeploymentId", "Node", "Slot", "Action", "At", "DurationMs", "ContainerId", "Detail", "Failed") SELECT "Id", 'node1', 0, {action}, "StartedAt", 5, {container}, {detail}, {failed} FROM deployments""");
            }
        }

        await using (var db = contexts.CreateDbContext()) await db.Database.MigrateAsync();

        var steps = (await store.FindDeploymentAsync(id, default))!.Steps;
        Assert.Equal([DeploymentStepAction.Pull, DeploymentStepAction.Create, DeploymentStepAction.Create, DeploymentStepAction.Start], steps.Select(s => s.Action));
        Assert.Equal((Image, (string?)null, (string?)null, (string?)null), (steps[0].Image, steps[0].ContainerName, steps[0].ContainerId, steps[0].Detail));
        Assert.Equal(((string?)null, ReplicaName, ContainerId, (string?)null), (steps[1].Image, steps[1].ContainerName, steps[1].ContainerId, steps[1].Detail));
        Assert.Equal(((string?)null, ReplicaName, (string?)null, "no free port"), (steps[2].Image, steps[2].ContainerName, steps[2].ContainerId, steps[2].Detail));
        Assert.Equal(((string?)null, (string?)null, ContainerId, (string?)null), (steps[3].Image, steps[3].ContainerName, steps[3].ContainerId, steps[3].Detail));
    }
}
