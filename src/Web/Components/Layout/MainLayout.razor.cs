using ControlPanel.Core.Common;
using ControlPanel.Core.Security;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace ControlPanel.Web.Components.Layout;

/// <summary>The app bar (links, theme, user) around every signed-in page, in the user's theme from the first paint.</summary>
public partial class MainLayout
{
    private static readonly (string Href, string Text)[] Links =
        [("/containers", "Containers"), ("/top", "Top"), ("/nodes", "Nodes"), ("/services", "Services"), ("/registries", "Registries"), ("/audit", "Audit")];

    [Inject] private IUserPreferences Preferences { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;
    [Inject] private ILogger<MainLayout> Logger { get; set; } = default!;

    private ThemePreference _theme;

    private string ThemeIcon => _theme switch
    {
        ThemePreference.Light => Icons.Material.Filled.LightMode,
        ThemePreference.Dark => Icons.Material.Filled.DarkMode,
        _ => Icons.Material.Filled.BrightnessAuto,
    };

    // Marks what app.css and SystemDarkPalette key on: the system's dark palette, or native controls in dark.
    private string? LayoutClass => _theme switch
    {
        ThemePreference.System => SystemDarkPalette.FollowsSystemClass,
        ThemePreference.Dark => "theme-dark",
        _ => null,
    };

    private static string ThemeName(ThemePreference theme) => theme switch
    {
        ThemePreference.Light => "Light",
        ThemePreference.Dark => "Dark",
        _ => "Follow the system",
    };

    // Read while prerendering too: the first paint is already in the user's theme.
    protected override async Task OnInitializedAsync() => _theme = await Preferences.GetThemeAsync(CancellationToken.None);

    private async Task ChooseThemeAsync(ThemePreference theme)
    {
        _theme = theme;
        try
        {
            await Preferences.SetThemeAsync(theme, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The page still shows the choice; only the next visit would not.
            Logger.LogWarning(ex, "Could not store the theme {Theme}", theme);
            Snackbar.Add($"The theme applies here but could not be kept for your next visit: {(ex is ControlPanelException ? ex.Message : ex.GetBaseException().Message)}", Severity.Warning);
        }
    }
}
