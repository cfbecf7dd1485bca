using ControlPanel.Core.Security;
using ControlPanel.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPanel.Web.Tests;

/// <summary>The check long-lived connections repeat, against the panel's real user and token tables.</summary>
public sealed class CredentialStatusTests : IDisposable
{
    private readonly PanelFactory _panel = new();

    [Fact]
    public async Task AUserAndTheirToken_AreActive_UntilTheTokenIsRevokedOrTheUserDisabled()
    {
        var (user, _) = await _panel.CreateUserAsync(Role.Viewer);
        await _panel.CreateTokenAsync(user);
        var answers = new List<bool>();
        await _panel.RunAsAdminAsync(async services =>
        {
            var status = services.GetRequiredService<ICredentialStatus>();
            var tokens = services.GetRequiredService<IApiTokens>();
            var token = Assert.Single(await tokens.ListAsync(user, CancellationToken.None)).Id;
            answers.Add(await status.IsActiveAsync(user, null, CancellationToken.None));
            answers.Add(await status.IsActiveAsync(user, token, CancellationToken.None));
            answers.Add(await status.IsActiveAsync(user, "no-such-token", CancellationToken.None));
            answers.Add(await status.IsActiveAsync("no-such-user", null, CancellationToken.None));
            Assert.True(await tokens.RevokeAsync(user, token, CancellationToken.None));
            answers.Add(await status.IsActiveAsync(user, token, CancellationToken.None));
            await services.GetRequiredService<IUserAdministration>().SetDisabledAsync(user, true, CancellationToken.None);
            answers.Add(await status.IsActiveAsync(user, null, CancellationToken.None));
        });

        Assert.Equal([true, true, false, false, false, false], answers);
    }

    public void Dispose() => _panel.Dispose();
}
