using ControlPanel.TestSupport;
using ControlPanel.Web.Hosting;

namespace ControlPanel.Web.Tests;

/// <summary>With no administrator yet, the panel says how to create one in the way that fits how it was started.</summary>
public sealed class StartupHintTests
{
    [Fact]
    public async Task FromASourceCheckout_TheHintIsDotnetRun()
    {
        await using var panel = new PanelFactory();
        using var client = panel.CreateClient();
        await client.GetAsync("/healthz");

        var hint = Assert.Single(panel.Logs.Lines, l => l.Contains("No administrator exists yet", StringComparison.Ordinal));
        Assert.Contains("dotnet run --project src/Web -- admin create", hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Published_TheHintNamesTheAssemblyAndCompose()
    {
        var published = Directory.CreateTempSubdirectory("cp-published-").FullName;
        try
        {
            var hint = DatabaseStartup.CreateAdminCommand(published);

            Assert.Contains("dotnet ControlPanel.Web.dll admin create", hint, StringComparison.Ordinal);
            Assert.DoesNotContain("dotnet run", hint, StringComparison.Ordinal);
            Assert.Contains("docker compose exec -T panel", hint, StringComparison.Ordinal);
            Assert.Contains($"in the folder {published}", hint, StringComparison.Ordinal);
            Assert.StartsWith("read -rsp", hint, StringComparison.Ordinal); // the passphrase at a prompt, not in the shell's history

            // The sign-in page, which anyone can read, does not say where the panel lives on its server.
            var forSignInPage = DatabaseStartup.CreateAdminCommand(published, nameFolder: false);
            Assert.DoesNotContain(published, forSignInPage, StringComparison.Ordinal);
            Assert.Contains("in the panel's folder", forSignInPage, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(published);
        }
    }
}
