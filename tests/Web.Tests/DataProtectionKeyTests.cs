using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ControlPanel.Core.Security;
using ControlPanel.TestSupport;
using Microsoft.Data.Sqlite;

namespace ControlPanel.Web.Tests;

public sealed class DataProtectionKeyTests : IAsyncLifetime
{
    private readonly string _pfx = Path.Combine(Path.GetTempPath(), $"cp-dp-{Guid.NewGuid():N}.pfx");
    private PanelFactory _factory = default!;

    public Task InitializeAsync()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=controlpanel-data-protection", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        File.WriteAllBytes(_pfx, certificate.Export(X509ContentType.Pfx, "pfx-password"));
        _factory = new PanelFactory();
        _factory.Settings["ControlPanel:DataProtection:CertificatePath"] = _pfx;
        _factory.Settings["ControlPanel:DataProtection:CertificatePassword"] = "pfx-password";
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        File.Delete(_pfx);
    }

    [Fact]
    public async Task WithACertificate_TheKeyRingIsStoredEncrypted_AndSignInStillWorks()
    {
        var (user, password) = await _factory.CreateUserAsync(Role.Viewer);
        using var browser = _factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await FormSignIn.SignInAsync(browser, user, password);
        Assert.Equal("/containers", response.Headers.Location?.OriginalString);

        await using var db = new SqliteConnection($"Data Source={_factory.SqliteFile};Mode=ReadOnly");
        await db.OpenAsync();
        await using var query = new SqliteCommand("SELECT Xml FROM DataProtectionKeys", db);
        var keys = new List<string>();
        await using (var reader = await query.ExecuteReaderAsync()) while (await reader.ReadAsync()) keys.Add(reader.GetString(0));
        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.Contains("encryptedSecret", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
        });
    }
}
