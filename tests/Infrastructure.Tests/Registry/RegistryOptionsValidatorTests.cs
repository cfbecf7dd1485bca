using ControlPanel.Infrastructure.Registry;

namespace ControlPanel.Infrastructure.Tests.Registry;

public sealed class RegistryOptionsValidatorTests
{
    [Theory]
    [InlineData("https://auth.example.test")]
    [InlineData("auth.example.test:443")]
    [InlineData("auth.example.test/token")]
    public void AllowedTokenRealm_ThatIsNotAHostName_FailsStartNamingTheEntry(string entry)
    {
        var result = new RegistryOptionsValidator().Validate(null, new RegistryOptions { AllowedTokenRealms = ["auth.docker.io", entry] });

        Assert.True(result.Failed);
        Assert.Contains("ControlPanel:Registries:AllowedTokenRealms:1", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void HostNames_AndNone_AreAccepted() =>
        Assert.True(new RegistryOptionsValidator().Validate(null, new RegistryOptions { AllowedTokenRealms = ["auth.docker.io", "127.0.0.1", "localhost"] }).Succeeded
            && new RegistryOptionsValidator().Validate(null, new RegistryOptions()).Succeeded);
}
