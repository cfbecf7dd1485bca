using Microsoft.JSInterop;
using MudBlazor;

namespace ControlPanel.Web.Components.Pages.Containers;

/// <summary>Copies text through the browser's clipboard and says so; a refusal (no permission, no focus) is shown, not thrown.</summary>
public static class Clipboard
{
    public static async Task CopyAsync(IJSRuntime js, ISnackbar snackbar, string text, string what)
    {
        try
        {
            await js.InvokeVoidAsync("navigator.clipboard.writeText", text);
            snackbar.Add($"{what} copied.", Severity.Normal);
        }
        catch (JSException ex)
        {
            snackbar.Add($"The browser did not allow copying: {ex.Message}", Severity.Warning);
        }
    }
}
