using ControlPanel.TestSupport;
using Microsoft.Extensions.Options;

namespace ControlPanel.Web.Tests;

/// <summary>The hardening settings are bound and checked when the panel starts, not when a build or registry call first needs them.</summary>
public sealed class HardeningSettingsStartupTests
{
    [Theory]
    [InlineData("ControlPanel:Builds:GitTimeout", "00:00:00", "ControlPanel:Builds:GitTimeout")]
    [InlineData("ControlPanel:Registries:AllowedTokenRealms:0", "https://auth.example.test", "ControlPanel:Registries:AllowedTokenRealms:0")]
    public async Task InvalidSetting_StopsStartUp_NamingTheSetting(string key, string value, string named)
    {
        await using var panel = new PanelFactory(withBrokenNode: false);
        panel.Settings[key] = value;

        var ex = Assert.Throws<OptionsValidationException>(() => panel.CreateClient());

        Assert.Contains(named, ex.Message, StringComparison.Ordinal);
    }
}
