using ControlPanel.Core.Audit;
using ControlPanel.Infrastructure.Persistence;
using ControlPanel.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace ControlPanel.Infrastructure.Tests;

/// <summary>The same behaviour on both providers: SQLite (embedded default) and the lab's PostgreSQL.</summary>
public sealed class AuditPersistenceTests : IAsyncLifetime
{
    private ProviderDatabases _databases = default!;

    public async Task InitializeAsync() => _databases = await ProviderDatabases.CreateAsync();

    public async Task DisposeAsync() => await _databases.DisposeAsync();

    public static TheoryData<string> Providers => new() { "sqlite", "postgres" };

    private IDbContextFactory<ControlPanelDbContext> Factory(string provider) => _databases.Contexts(provider);

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Migrate_ThenRecordAndQuery_FiltersNewestFirst(string provider)
    {
        var factory = Factory(provider);
        var applied = await new DatabaseMigrator(factory, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(default);
        Assert.NotEmpty(applied);
        var audit = new EfAuditLog(factory);
        var t0 = new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 5; i++)
        {
            await audit.RecordAsync(new AuditEntry
            {
                At = t0.AddMinutes(i), Actor = "local operator", ClientAddress = "127.0.0.1", Action = i % 2 == 0 ? "container.restart" : "container.stop",
                Node = i < 3 ? "node1" : "node2", Target = $"api-{i}", Succeeded = i != 4, Error = i == 4 ? "engine said no" : null,
                Duration = TimeSpan.FromMilliseconds(100 + i),
            }, default);
        }

        var all = await audit.QueryAsync(new AuditQuery(), default);
        Assert.Equal(["api-4", "api-3", "api-2", "api-1", "api-0"], all.Select(a => a.Target));
        Assert.Equal(3, (await audit.QueryAsync(new AuditQuery { Node = "node1" }, default)).Count);
        Assert.Equal(3, (await audit.QueryAsync(new AuditQuery { Action = "container.restart" }, default)).Count);
        var failed = Assert.Single(await audit.QueryAsync(new AuditQuery { Succeeded = false }, default));
        Assert.Equal("engine said no", failed.Error);
        Assert.Equal(TimeSpan.FromMilliseconds(104), failed.Duration);
        Assert.Equal(t0.AddMinutes(4), failed.At);
        Assert.Equal(2, (await audit.QueryAsync(new AuditQuery { Since = t0.AddMinutes(3) }, default)).Count);
        Assert.Equal(2, (await audit.QueryAsync(new AuditQuery { Limit = 2 }, default)).Count);
        Assert.Single(await audit.QueryAsync(new AuditQuery { Text = "api-3" }, default));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task TwoInstancesMigratingAtOnce_BothSucceed_AndApplyEachMigrationOnce(string provider)
    {
        var factory = Factory(provider);
        var a = new DatabaseMigrator(factory, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(default);
        var b = new DatabaseMigrator(factory, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(default);
        await Task.WhenAll(a, b);

        await using var db = factory.CreateDbContext();
        var applied = (await db.Database.GetAppliedMigrationsAsync()).ToList();
        Assert.Equal(db.Database.GetMigrations().Count(), applied.Count);
        Assert.Equal(applied.Count, applied.Distinct().Count());
        Assert.Empty(await db.Database.GetPendingMigrationsAsync());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AuditRows_CannotBeUpdatedOrDeleted_EvenWithRawSql(string provider)
    {
        var factory = Factory(provider);
        await new DatabaseMigrator(factory, NullLogger<DatabaseMigrator>.Instance).MigrateAsync(default);
        await new EfAuditLog(factory).RecordAsync(new AuditEntry
        {
            At = DateTimeOffset.UtcNow, Actor = "alice", Action = "container.restart", Target = "api-1", Succeeded = true, Duration = TimeSpan.Zero,
        }, default);

        await using var db = factory.CreateDbContext();
        var update = await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("UPDATE audit_entries SET \"Actor\" = 'mallory'"));
        Assert.Contains("append-only", update.Message, StringComparison.Ordinal);
        var delete = await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM audit_entries"));
        Assert.Contains("append-only", delete.Message, StringComparison.Ordinal);
        Assert.Equal("alice", Assert.Single(await new EfAuditLog(factory).QueryAsync(new AuditQuery(), default)).Actor);
    }
}
