using MudBlazor;

namespace ControlPanel.Web.Components.Layout;

/// <summary>
/// MudBlazor's default theme with status colours dark enough to read: its success, warning, info and error colours
/// are too light as text on white (success #00c853 is 2.2:1, warning #ff9800 2.2:1), and state names, chips and
/// alerts are written in them. These keep at least 4.5:1 (WCAG AA) as text on white and under white text.
/// </summary>
public static class ControlPanelTheme
{
    public static readonly MudTheme Value = new()
    {
        PaletteLight = new PaletteLight
        {
            Success = "#2e7d32", // 5.1:1
            Warning = "#a15c00", // 5.2:1
            Info = "#0263a3",    // 6.3:1
            Error = "#c62828",   // 5.6:1
        },
    };
}
