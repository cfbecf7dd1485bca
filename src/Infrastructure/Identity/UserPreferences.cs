using ControlPanel.Core.Audit;
using ControlPanel.Core.Common;
using ControlPanel.Core.Security;
using ControlPanel.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Infrastructure.Identity;

/// <summary>Display settings in the user's own row; a user only ever reads and changes their own.</summary>
/// <remarks>
/// A context of its own per call: the layout reads the theme while the page under it (Users, API tokens) queries the
/// circuit's shared context, and two queries at once on one context fail on PostgreSQL.
/// </remarks>
public sealed class UserPreferences(IDbContextFactory<ControlPanelDbContext> contexts, ICurrentActor actor) : IUserPreferences
{
    public async Task<ThemePreference> GetThemeAsync(CancellationToken cancellationToken)
    {
        var who = await actor.GetAsync(cancellationToken);
        if (!who.IsAuthenticated) return ThemePreference.System;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Users.AsNoTracking().Where(u => u.UserName == who.Name).Select(u => u.ThemePreference).FirstOrDefaultAsync(cancellationToken);
    }

    public async Task SetThemeAsync(ThemePreference theme, CancellationToken cancellationToken)
    {
        if (!Enum.IsDefined(theme)) throw new InvalidRequestException("theme", $"'{theme}' is not a theme: choose System, Light or Dark.");
        var who = await actor.GetAsync(cancellationToken);
        if (!who.IsAuthenticated) throw new InvalidRequestException("theme", "Sign in to keep a theme.");
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Users.Where(u => u.UserName == who.Name).ExecuteUpdateAsync(s => s.SetProperty(u => u.ThemePreference, theme), cancellationToken);
    }
}
