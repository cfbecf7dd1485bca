using ControlPanel.Core.Audit;
using ControlPanel.Core.Security;
using ControlPanel.Infrastructure.Identity;
using ControlPanel.Infrastructure.Persistence;
using ControlPanel.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Infrastructure.Tests.Identity;

/// <summary>
/// The layout reads the user's theme while the page under it queries the circuit's context; on PostgreSQL two
/// queries at once on one context fail, so the preferences must not share it.
/// </summary>
public sealed class UserPreferencesTests : IAsyncLifetime
{
    private ProviderDatabases _databases = default!;

    public async Task InitializeAsync() => _databases = await ProviderDatabases.CreateAsync();

    public async Task DisposeAsync() => await _databases.DisposeAsync();

    [Fact]
    public async Task TheTheme_IsReadWhileAQueryRunsOnThePagesContext_OnPostgres()
    {
        var contexts = _databases.Contexts("postgres");
        await using (var db = contexts.CreateDbContext())
        {
            await db.Database.MigrateAsync();
            db.Users.Add(new ControlPanelUser { UserName = "alice", NormalizedUserName = "ALICE", CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }
        var preferences = new UserPreferences(contexts, new SignedIn("alice"));
        await preferences.SetThemeAsync(ThemePreference.Dark, default);

        // The page's own query, still running (pg_sleep) when the layout asks for the theme.
        await using var page = contexts.CreateDbContext();
        var pageQuery = page.Database.SqlQueryRaw<int>("SELECT 1 AS \"Value\" FROM pg_sleep(0.5)").ToListAsync();
        var themes = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => preferences.GetThemeAsync(default)));

        Assert.Equal([1], await pageQuery);
        Assert.All(themes, t => Assert.Equal(ThemePreference.Dark, t));
        Assert.Equal(5, themes.Length);
    }

    private sealed class SignedIn(string name) : ICurrentActor
    {
        public Task<Actor> GetAsync(CancellationToken cancellationToken) =>
            Task.FromResult(new Actor(name, null, new HashSet<Role> { Role.Viewer }, IsAuthenticated: true));
    }
}
