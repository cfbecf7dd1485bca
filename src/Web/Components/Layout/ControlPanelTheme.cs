using MudBlazor;

namespace ControlPanel.Web.Components.Layout;

/// <summary>
/// MudBlazor's default theme with status colours that read (WCAG AA, 4.5:1). Light: its success, warning, info and
/// error colours are too light as text on white (success #00c853 is 2.2:1, warning #ff9800 2.2:1), and state names,
/// chips and alerts are written in them; these keep 4.5:1 as text on white and under white text. Dark: the status
/// colours are lightened to 4.5:1 on the dark surfaces (MudBlazor's error #f44336 is 3.2:1 there) and so carry dark
/// text when filled, and their "darken" shade (the text of MudBlazor's alerts) stays as light; secondary text is brighter than MudBlazor's 50 % white (3.9:1).
/// </summary>
public static class ControlPanelTheme
{
    private const string DarkText = "#1e1e24";

    public static readonly MudTheme Value = new()
    {
        PaletteLight = new PaletteLight
        {
            Success = "#2e7d32", // 5.1:1
            Warning = "#a15c00", // 5.2:1
            Info = "#0263a3",    // 6.3:1
            Error = "#c62828",   // 5.6:1
        },
        PaletteDark = new PaletteDark
        {
            // Ratios on the surface (#373740); the background and the app bar are darker still.
            Primary = "#a99ff5", PrimaryContrastText = DarkText,   // 5.0:1
            Secondary = "#ff80ab", SecondaryContrastText = DarkText,
            Success = "#66bb6a", SuccessContrastText = DarkText, SuccessDarken = "#66bb6a",   // 5.0:1
            Warning = "#ffb74d", WarningContrastText = DarkText, WarningDarken = "#ffb74d",   // 6.8:1
            Info = "#64b5f6", InfoContrastText = DarkText, InfoDarken = "#64b5f6",         // 5.3:1
            Error = "#ff8a80", ErrorContrastText = DarkText, ErrorDarken = "#ff8a80",       // 5.2:1
            TextPrimary = "rgba(255,255,255,0.87)",
            TextSecondary = "rgba(255,255,255,0.70)",
            ActionDefault = "rgba(255,255,255,0.80)",
        },
    };
}
