using ControlPanel.Core.Security;
using ControlPanel.TestSupport;

namespace ControlPanel.Web.Tests;

/// <summary>The database and the key ring in it are for the panel's user alone, and never unencrypted by accident.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // the lab, and these file modes, are Linux
public sealed class DataFolderSecurityTests
{
    [Fact]
    public async Task DataFolderAndDatabaseFiles_AreReadableByThePanelsUserOnly()
    {
        await using var panel = new PanelFactory();
        await panel.CreateUserAsync(Role.Viewer); // writes: the database and its journal files exist

        var folder = Path.GetDirectoryName(panel.SqliteFile)!;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
        var files = Directory.GetFiles(folder, "controlpanel.db*");
        Assert.Contains(panel.SqliteFile, files);
        Assert.All(files, f => Assert.True(File.GetUnixFileMode(f) == (UnixFileMode.UserRead | UnixFileMode.UserWrite), $"{f}: {File.GetUnixFileMode(f)}"));
        // Made before EF Core saw it, yet in WAL mode as EF Core makes it: readers must not block the writer.
        await using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={panel.SqliteFile};Mode=ReadOnly");
        await db.OpenAsync();
        await using var mode = new Microsoft.Data.Sqlite.SqliteCommand("PRAGMA journal_mode", db);
        Assert.Equal("wal", (string?)await mode.ExecuteScalarAsync());
    }

    [Fact]
    public async Task OutsideDevelopment_WithoutACertificateOrTheOptOut_ThePanelRefusesToStart_NamingTheSettings()
    {
        await using var panel = new PanelFactory();
        panel.Settings["ControlPanel:DataProtection:AllowUnprotectedKeys"] = "false";

        var error = Assert.ThrowsAny<Exception>(() => panel.CreateClient());

        var message = error.ToString();
        Assert.Contains("ControlPanel:DataProtection:CertificatePath", message, StringComparison.Ordinal);
        Assert.Contains("ControlPanel:DataProtection:AllowUnprotectedKeys", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheOptOut_IsWarnedAboutOnEveryStart()
    {
        await using var panel = new PanelFactory();
        using var client = panel.CreateClient();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);

        Assert.Single(panel.Logs.Lines, l => l.StartsWith("Warning ", StringComparison.Ordinal) && l.Contains("key ring is stored unencrypted", StringComparison.Ordinal));
    }
}
