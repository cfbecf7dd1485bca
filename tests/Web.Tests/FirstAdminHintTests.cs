using ControlPanel.Core.Security;
using ControlPanel.TestSupport;

namespace ControlPanel.Web.Tests;

/// <summary>A new install cannot be signed into until an administrator is created on the server; the sign-in page says how.</summary>
public sealed class FirstAdminHintTests : IAsyncLifetime
{
    private readonly PanelFactory _panel = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _panel.DisposeAsync();

    [Fact]
    public async Task SignInPage_NamesTheCreateCommand_OnlyUntilAnAdministratorExists()
    {
        using var browser = _panel.CreateClient();

        var before = await browser.GetStringAsync("/account/login");
        Assert.Contains("data-testid=\"first-admin-hint\"", before, StringComparison.Ordinal);
        Assert.Contains("dotnet run --project src/Web -- admin create --user NAME --password-stdin", before, StringComparison.Ordinal);

        await _panel.CreateUserAsync(Role.Viewer);
        Assert.Contains("first-admin-hint", await browser.GetStringAsync("/account/login"), StringComparison.Ordinal); // a viewer cannot create users

        await _panel.CreateUserAsync(Role.Admin);
        Assert.DoesNotContain("first-admin-hint", await browser.GetStringAsync("/account/login"), StringComparison.Ordinal);
    }
}
