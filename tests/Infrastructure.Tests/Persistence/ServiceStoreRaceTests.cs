using ControlPanel.Core.Audit;
using ControlPanel.Core.Common;
using ControlPanel.Core.Services;
using ControlPanel.Infrastructure.Persistence;
using ControlPanel.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Infrastructure.Tests.Persistence;

/// <summary>A save that lost the race for a revision number is "changed by someone else"; any other database failure is itself.</summary>
public sealed class ServiceStoreRaceTests : IAsyncLifetime
{
    private ProviderDatabases _databases = default!;

    public async Task InitializeAsync() => _databases = await ProviderDatabases.CreateAsync();

    public async Task DisposeAsync() => await _databases.DisposeAsync();

    public static TheoryData<string> Providers => new() { "sqlite", "postgres" };

    private static readonly BuildSettings Build = new() { Registry = "lab", ImageRepository = "lab/web" };

    private static AuditEntry Audit(string actor) => new() { At = DateTimeOffset.UtcNow, Actor = actor, Action = "service.change", Target = "api", Succeeded = true, Duration = TimeSpan.Zero };

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ADeleteBasedOnAStaleRevision_LosesTheRaceForItsNumber_AndIsToldToReload(string provider)
    {
        var store = await StoreAsync(provider);
        var first = await store.AddRevisionAsync("api", Build, null, Audit("alice"), default);
        await store.AddRevisionAsync("api", Build with { Branch = "next" }, null, Audit("bob"), default);

        // Written from revision 1 while revision 2 was saved meanwhile: its number (2) is taken.
        var refused = await Assert.ThrowsAsync<InvalidRequestException>(() => store.MarkDeletedAsync(first, "alice", DateTimeOffset.UtcNow, default));

        Assert.Contains("was changed by someone else", refused.Message, StringComparison.Ordinal);
        Assert.Equal(2, (await store.FindAsync("api", null, default))!.Number);
    }

    [Fact]
    public async Task AFailureThatIsNotTheRevisionKey_IsNotReportedAsARace()
    {
        // PostgreSQL refuses a name longer than its column (SQLite does not check lengths).
        var store = await StoreAsync("postgres");

        var failed = await Assert.ThrowsAsync<DbUpdateException>(() => store.AddRevisionAsync("api", Build, null, Audit(new string('a', 300)), default));

        Assert.Contains("22001", failed.InnerException!.Message, StringComparison.Ordinal);
        Assert.Null(await store.FindAsync("api", null, default));
    }

    private async Task<EfServiceStore> StoreAsync(string provider)
    {
        var contexts = _databases.Contexts(provider);
        await using (var db = contexts.CreateDbContext()) await db.Database.MigrateAsync();
        return new EfServiceStore(contexts);
    }
}
