namespace ControlPanel.Core.Security;

/// <summary>How the panel is coloured for a user: as their system says (the default), or always light or dark.</summary>
public enum ThemePreference
{
    System,
    Light,
    Dark,
}

/// <summary>The signed-in user's own display settings, kept with the user so that every browser they sign in from shows the same.</summary>
public interface IUserPreferences
{
    /// <summary>The current actor's choice; <see cref="ThemePreference.System"/> for anyone not signed in.</summary>
    Task<ThemePreference> GetThemeAsync(CancellationToken cancellationToken);

    /// <summary>Stores the current actor's choice. Not audited: it changes nothing anyone else sees.</summary>
    Task SetThemeAsync(ThemePreference theme, CancellationToken cancellationToken);
}
