using ControlPanel.Core.Audit;
using ControlPanel.Core.Common;
using ControlPanel.Core.Security;
using ControlPanel.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace ControlPanel.Infrastructure.Identity;

/// <summary>Display settings in the user's own row; a user only ever reads and changes their own.</summary>
public sealed class UserPreferences(ControlPanelDbContext db, ICurrentActor actor) : IUserPreferences
{
    public async Task<ThemePreference> GetThemeAsync(CancellationToken cancellationToken)
    {
        var who = await actor.GetAsync(cancellationToken);
        if (!who.IsAuthenticated) return ThemePreference.System;
        return await db.Users.AsNoTracking().Where(u => u.UserName == who.Name).Select(u => u.ThemePreference).FirstOrDefaultAsync(cancellationToken);
    }

    public async Task SetThemeAsync(ThemePreference theme, CancellationToken cancellationToken)
    {
        if (!Enum.IsDefined(theme)) throw new InvalidRequestException("theme", $"'{theme}' is not a theme: choose System, Light or Dark.");
        var who = await actor.GetAsync(cancellationToken);
        if (!who.IsAuthenticated) throw new InvalidRequestException("theme", "Sign in to keep a theme.");
        await db.Users.Where(u => u.UserName == who.Name).ExecuteUpdateAsync(s => s.SetProperty(u => u.ThemePreference, theme), cancellationToken);
    }
}
